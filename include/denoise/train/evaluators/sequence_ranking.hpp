// SequenceRanking: the Evaluator of the sequential task (docs/sequential.md). Each user of a
// holdout (data/sequence_protocol.hpp) is scored over all items from the window of its input
// history (model.score on sequence batches, in evaluation mode), then judged on its held-out
// true positives:
//  - Precision, Recall, F1 and NDCG at each cutoff (10, 20, 50 by default), named "precision@10",
//    "recall@10", "f1@10", "ndcg@10", ... (metrics::SequenceRanking: history items excluded unless
//    exclude_history is off; ties by lower item index);
//  - "auc", the reward of Ge et al.'s controller (ALGORITHMS.md §4, [ours]: the paper does not define
//    it): per user, the AUC of the scores of its held-out positives against every item it has not
//    interacted with in the observed prefix (train and the held-out segment itself: target::observed),
//    exact from ranks with ties counted 1/2; averaged over users with at least one positive and
//    one such negative. "auc_users" says how many.
//
//   auto valid = train::evaluators::sequence_target::validation(split, protocol_options, 10);
//   train::Trainer<Model, losses::SoftmaxCrossEntropy, Method, nn::Adam<B>,
//                  train::evaluators::SequenceRanking> trainer(model, ...);
//   trainer.fit(train::batchers::SequenceWindows(split, 10), &valid);
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"
#include "../../data/sequence_protocol.hpp"
#include "../../data/sequence_windows.hpp"
#include "../../data/sequences.hpp"
#include "../../metrics/metric_value.hpp"
#include "../../metrics/sequence_ranking.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {
namespace evaluators {

/// What SequenceRanking validates on: one holdout of a split, the window the model reads, and per
/// holdout user the length of the observed prefix the AUC's negatives exclude.
struct sequence_target {
  const data::Sequences* sequences = nullptr;
  const data::sequence_holdout* holdout = nullptr;
  index_t window = 10;
  /// observed[k]: items_of(holdout->users[k])[0..observed[k]) are interactions the AUC does not
  /// count as negatives. Empty: the input history only.
  std::vector<offset_t> observed;

  /// The validation part of `split` (cut with `protocol`): observed = train and validation segment.
  static sequence_target validation(const data::sequence_split& split, const data::sequence_protocol_options& protocol = {},
                                    index_t window = 10) {
    return make(split, split.valid, protocol, window, true);
  }
  /// The test part: observed = the whole sequence up to the end of the test segment.
  static sequence_target test(const data::sequence_split& split, const data::sequence_protocol_options& protocol = {},
                              index_t window = 10) {
    return make(split, split.test, protocol, window, false);
  }

 private:
  static sequence_target make(const data::sequence_split& split, const data::sequence_holdout& part,
                              const data::sequence_protocol_options& o, index_t window, bool valid) {
    if (window <= 0) throw config_error("the window must be positive", location::of_field("window"));
    sequence_target t;
    t.sequences = &split.sequences;
    t.holdout = &part;
    t.window = window;
    t.observed.resize(part.size());
    const std::size_t total = o.train_parts + o.valid_parts + o.test_parts;
    for (std::size_t k = 0; k < part.size(); ++k) {
      const std::size_t n = split.sequences.length(part.users[k]);
      std::size_t end = n;
      if (o.protocol == data::sequence_protocol::leave_one_out) {
        end = static_cast<std::size_t>(part.history[k]) + 1;  // the held-out item itself
      } else if (valid) {
        end = data::detail::rounded_share(n, o.train_parts + o.valid_parts, total);
      }
      t.observed[k] = static_cast<offset_t>(end);
    }
    return t;
  }
};

/// The result: ranking metrics at each cutoff and the per-user AUC.
struct sequence_evaluation {
  metrics::sequence_ranking_result ranking;
  double auc = 0.0;
  std::size_t auc_users = 0;

  denoise::metrics::metric_list metrics() const {
    denoise::metrics::metric_list out;
    for (std::size_t c = 0; c < ranking.cutoffs.size(); ++c) {
      const std::string k = std::to_string(ranking.cutoffs[c]);
      out.push_back({"precision@" + k, ranking.precision[c]});
      out.push_back({"recall@" + k, ranking.recall[c]});
      out.push_back({"f1@" + k, ranking.f1[c]});
      out.push_back({"ndcg@" + k, ranking.ndcg[c]});
    }
    out.push_back({"auc", auc});
    out.push_back({"auc_users", static_cast<double>(auc_users)});
    return out;
  }
};

struct SequenceRanking {
  using target_type = sequence_target;
  using result_type = sequence_evaluation;
  static constexpr const char* name() { return "sequence-ranking"; }

  std::vector<index_t> cutoffs{10, 20, 50};
  bool exclude_history = true;   ///< leave the input history out of the top-K lists
  std::size_t batch_users = 256; ///< windows scored per model.score() call

  template <class B>
  class State {
   public:
    State(const SequenceRanking& policy, const trainer_options& /*options*/)
        : ranking_(policy.cutoffs, policy.exclude_history), batch_users_(policy.batch_users) {
      if (batch_users_ == 0) throw config_error("batch_users must be positive", location::of_field("batch_users"));
    }

    /// Metrics of `model` on `target`; the model is in evaluation mode meanwhile.
    template <class Model>
    result_type evaluate(Model& model, const target_type& target) {
      if (target.sequences == nullptr || target.holdout == nullptr)
        throw config_error("the sequence target has no sequences or holdout", location::of_field("validation"));
      const auto& seq = *target.sequences;
      const auto& h = *target.holdout;
      if (!target.observed.empty() && target.observed.size() != h.size())
        throw config_error("one observed length per holdout user", location::of_field("observed"));
      if (seq.n_items() != model.items())
        throw config_error("the sequences have " + std::to_string(seq.n_items()) + " items, the model " +
                               std::to_string(model.items()),
                           location::of_field("model"));
      const bool was_training = model.training();
      model.eval();
      ranking_.reset();
      auc_sum_ = 0.0;
      auc_users_ = 0;
      const data::SequenceWindows windows(seq, std::vector<offset_t>(static_cast<std::size_t>(seq.n_users()), 0),
                                          target.window);
      for (std::size_t first = 0; first < h.size(); first += batch_users_) {
        const std::size_t n = std::min(batch_users_, h.size() - first);
        windows.fill_histories(span<const index_t>(h.users.data() + first, n),
                               span<const offset_t>(h.history.data() + first, n), host_);
        data::SequenceWindows::upload(host_, batch_);
        model.score(batch_, scores_);
        B::to_host(scores_, host_scores_);
        const auto items = static_cast<std::size_t>(scores_.cols());
        for (std::size_t b = 0; b < n; ++b) {
          const std::size_t k = first + b;
          const index_t u = h.users[k];
          const auto t0 = static_cast<std::size_t>(h.offsets[k]), t1 = static_cast<std::size_t>(h.offsets[k + 1]);
          const span<const typename B::scalar> row(host_scores_.data() + b * items, items);
          const span<const index_t> targets(h.targets.data() + t0, t1 - t0);
          ranking_.add_user(row, targets, seq.items_of(u).subspan(0, static_cast<std::size_t>(h.history[k])));
          const auto seen = target.observed.empty() ? h.history[k] : target.observed[k];
          add_auc(row, targets, seq.items_of(u).subspan(0, static_cast<std::size_t>(seen)));
        }
      }
      model.train(was_training);
      result_type r;
      r.ranking = ranking_.result();
      r.auc = auc_users_ == 0 ? 0.0 : auc_sum_ / static_cast<double>(auc_users_);
      r.auc_users = auc_users_;
      return r;
    }

   private:
    // One user's AUC: its targets against the items outside `seen` and the targets.
    template <class S>
    void add_auc(span<const S> scores, span<const index_t> targets, span<const index_t> seen) {
      const std::size_t items = scores.size();
      mark_.assign(items, 0);
      for (index_t t : targets) mark_[static_cast<std::size_t>(t)] = 1;  // ranking_ checked the range
      for (index_t i : seen)
        if (i >= 0 && static_cast<std::size_t>(i) < items && mark_[static_cast<std::size_t>(i)] == 0)
          mark_[static_cast<std::size_t>(i)] = 2;
      negatives_.clear();
      for (std::size_t i = 0; i < items; ++i)
        if (mark_[i] == 0) negatives_.push_back(static_cast<double>(scores[i]));
      if (negatives_.empty()) return;
      std::sort(negatives_.begin(), negatives_.end());
      std::size_t twice = 0, positives = 0;
      for (std::size_t i = 0; i < items; ++i) {
        if (mark_[i] != 1) continue;
        const double s = static_cast<double>(scores[i]);
        const auto below = std::lower_bound(negatives_.begin(), negatives_.end(), s);
        const auto upto = std::upper_bound(below, negatives_.end(), s);
        twice += 2 * static_cast<std::size_t>(below - negatives_.begin()) + static_cast<std::size_t>(upto - below);
        ++positives;
      }
      if (positives == 0) return;
      auc_sum_ += static_cast<double>(twice) / (2.0 * static_cast<double>(positives) * static_cast<double>(negatives_.size()));
      ++auc_users_;
    }

    metrics::SequenceRanking ranking_;
    std::size_t batch_users_;
    data::sequence_host_batch host_;
    data::sequence_batch<B> batch_;
    typename B::matrix scores_;
    std::vector<typename B::scalar> host_scores_;
    std::vector<unsigned char> mark_;  // 1 target, 2 observed (not a negative)
    std::vector<double> negatives_;
    double auc_sum_ = 0.0;
    std::size_t auc_users_ = 0;
  };
};

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
