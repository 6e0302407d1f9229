// RankingWithAuc: the Evaluator of the pairs family's representation runner (the AutoDenoise
// controller). It reports what evaluators::Ranking reports (Recall, NDCG, ... @K) plus "auc", the
// reward rl::ValidationMetric reads by default, computed from the same scores in the same pass:
//
//   auc: per user with a relevant (clean validation) item, the AUC of the scores of those items
//        against every item the user has not interacted with (not in `observed`, nor relevant),
//        exact from ranks with ties counting 1/2; averaged over users with a relevant item and at
//        least one such negative ("auc_users" says how many). ALGORITHMS.md §4's reward, as
//        evaluators::SequenceRanking defines it for sequences.
//
// observed: for validation, the user's training and validation interactions, noisy ones included
// (an item the user interacted with is neither a positive nor a negative of the reward). An empty
// view (rows() == 0) falls back to the ranking's exclude rows (the test target: train and
// validation already).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <denoise/core/csr_view.hpp>
#include <denoise/core/error.hpp>
#include <denoise/core/span.hpp>
#include <denoise/core/types.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/metrics/ranking_evaluator.hpp>
#include <denoise/metrics/ranking_result.hpp>
#include <denoise/train/evaluators/model_block_scorer.hpp>
#include <denoise/train/options.hpp>

namespace denoise_cli {

/// What RankingWithAuc evaluates on: a ranking target and the interactions the AUC leaves out.
struct ranking_auc_target {
  denoise::train::ranking_target ranking;
  denoise::csr_view observed{};  ///< per user, items that are not AUC negatives; empty: ranking.exclude
};

/// The ranking metrics and the per-user AUC.
struct ranking_auc_result {
  denoise::metrics::ranking_result ranking;
  double auc = 0.0;
  std::size_t auc_users = 0;

  denoise::metrics::metric_list metrics() const {
    denoise::metrics::metric_list out = ranking.metrics();
    out.push_back({"auc", auc});
    out.push_back({"auc_users", static_cast<double>(auc_users)});
    return out;
  }
};

struct RankingWithAuc {
  using target_type = ranking_auc_target;
  using result_type = ranking_auc_result;
  static constexpr const char* name() { return "ranking-with-auc"; }

  template <class B>
  class State {
   public:
    State(const RankingWithAuc& /*policy*/, const denoise::train::trainer_options& options)
        : evaluator_(denoise::metrics::ranking_options{options.ks, options.eval_block_users, 0,
                                                       denoise::metrics::top_k_method::partial}) {}

    /// Ranking metrics and AUC of `model` on `target`; the model is in evaluation mode meanwhile.
    template <class Model>
    result_type evaluate(Model& model, const target_type& target) {
      using denoise::index_t;
      const denoise::csr_view observed = target.observed.rows() == 0 ? target.ranking.exclude : target.observed;
      if (observed.rows() != target.ranking.relevant.rows()) {
        throw denoise::config_error("the AUC's observed rows cover " + std::to_string(observed.rows()) +
                                        " users, the relevant rows " + std::to_string(target.ranking.relevant.rows()),
                                    denoise::location::of_field("observed"));
      }
      const bool was_training = model.training();
      model.eval();
      auc_sum_ = 0.0;
      auc_users_ = 0;
      const auto items = static_cast<std::size_t>(model.items());
      // The ranking evaluator asks for the scores of the users with relevant items, block by block,
      // in user order; the AUC of each is taken from the same block (one scoring pass).
      auto scorer = [&](denoise::span<const index_t> users) {
        const denoise::span<float> out = scorer_(model, users);
        for (std::size_t j = 0; j < users.size(); ++j) {
          const auto u = static_cast<std::size_t>(users[j]);
          add_auc(denoise::span<const float>(out.data() + j * items, items), row(target.ranking.relevant, u),
                  row(observed, u));
        }
        return out;
      };
      result_type r;
      r.ranking = evaluator_.evaluate(scorer, model.items(), target.ranking.exclude, target.ranking.relevant);
      model.train(was_training);
      r.auc = auc_users_ == 0 ? 0.0 : auc_sum_ / static_cast<double>(auc_users_);
      r.auc_users = auc_users_;
      return r;
    }

   private:
    static denoise::span<const denoise::index_t> row(const denoise::csr_view& v, std::size_t u) {
      if (u >= v.rows()) return {};
      return v.row(u);
    }

    // One user's AUC: the relevant items against the items outside `seen` and the relevant ones.
    void add_auc(denoise::span<const float> scores, denoise::span<const denoise::index_t> relevant,
                 denoise::span<const denoise::index_t> seen) {
      const std::size_t items = scores.size();
      mark_.assign(items, 0);
      for (auto t : relevant)
        if (t >= 0 && static_cast<std::size_t>(t) < items) mark_[static_cast<std::size_t>(t)] = 1;
      for (auto i : seen)
        if (i >= 0 && static_cast<std::size_t>(i) < items && mark_[static_cast<std::size_t>(i)] == 0)
          mark_[static_cast<std::size_t>(i)] = 2;
      negatives_.clear();
      for (std::size_t i = 0; i < items; ++i)
        if (mark_[i] == 0) negatives_.push_back(scores[i]);
      if (negatives_.empty()) return;
      std::sort(negatives_.begin(), negatives_.end());
      std::size_t twice = 0, positives = 0;
      for (std::size_t i = 0; i < items; ++i) {
        if (mark_[i] != 1) continue;
        const auto below = std::lower_bound(negatives_.begin(), negatives_.end(), scores[i]);
        const auto upto = std::upper_bound(below, negatives_.end(), scores[i]);
        twice += 2 * static_cast<std::size_t>(below - negatives_.begin()) + static_cast<std::size_t>(upto - below);
        ++positives;
      }
      if (positives == 0) return;
      auc_sum_ += static_cast<double>(twice) /
                  (2.0 * static_cast<double>(positives) * static_cast<double>(negatives_.size()));
      ++auc_users_;
    }

    denoise::metrics::ranking_evaluator evaluator_;
    denoise::train::evaluators::model_block_scorer<B> scorer_;
    std::vector<unsigned char> mark_;  // 1 relevant, 2 observed (neither positive nor negative)
    std::vector<float> negatives_;
    double auc_sum_ = 0.0;
    std::size_t auc_users_ = 0;
  };
};

}  // namespace denoise_cli
