// SequenceRanking: Precision, Recall, F1 and NDCG at several cutoffs (10, 20, 50 by default) over
// all items, for the sequential task. For one user with held-out targets T and the top-K list R
// of its scores:
//   P@K = |R ∩ T| / K,  R@K = |R ∩ T| / |T|,  F1@K = 2 P R / (P + R) (0 when both are 0),
//   NDCG@K = sum_{r in 1..K, R_r in T} 1/log2(r + 1)  /  sum_{r = 1..min(|T|, K)} 1/log2(r + 1).
// Each is computed per user and averaged over the users with at least one target (F1 too: the
// mean of per-user F1, not F1 of the means). Items of the user's input history are excluded from
// the ranking by default; exclude_history = false keeps them (as next-item papers often do, where
// a user may consume an item again); a target is never excluded. Ties: the lower item index first.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace metrics {

struct sequence_ranking_result {
  std::vector<index_t> cutoffs;
  std::vector<double> precision, recall, f1, ndcg;  ///< one per cutoff
  std::size_t users = 0;                            ///< users averaged over

  /// The value of `metric` ("precision", "recall", "f1", "ndcg") at cutoff k.
  double at(const std::string& metric, index_t k) const {
    const auto it = std::find(cutoffs.begin(), cutoffs.end(), k);
    if (it == cutoffs.end()) throw config_error("sequence_ranking_result: no cutoff " + std::to_string(k));
    const auto c = static_cast<std::size_t>(it - cutoffs.begin());
    if (metric == "precision") return precision[c];
    if (metric == "recall") return recall[c];
    if (metric == "f1") return f1[c];
    if (metric == "ndcg") return ndcg[c];
    throw config_error("sequence_ranking_result: unknown metric '" + metric + "'", location::of_field("metric"));
  }
};

class SequenceRanking {
 public:
  explicit SequenceRanking(std::vector<index_t> cutoffs = {10, 20, 50}, bool exclude_history = true)
      : cutoffs_(std::move(cutoffs)), exclude_history_(exclude_history) {
    if (cutoffs_.empty()) throw config_error("SequenceRanking: at least one cutoff", location::of_field("cutoffs"));
    for (index_t k : cutoffs_)
      if (k <= 0) throw config_error("SequenceRanking: cutoffs must be positive", location::of_field("cutoffs"));
    max_k_ = *std::max_element(cutoffs_.begin(), cutoffs_.end());
    reset();
  }

  bool excludes_history() const noexcept { return exclude_history_; }
  void reset() {
    sums_.assign(4 * cutoffs_.size(), 0.0);
    users_ = 0;
  }

  /// One user: scores over all items, its held-out targets, its input history. A user without
  /// targets is skipped. Reuses internal buffers (no allocation once they reached the catalogue size).
  template <class S>
  void add_user(span<const S> scores, span<const index_t> targets, span<const index_t> history) {
    if (targets.size() == 0) return;
    const std::size_t items = scores.size();
    mark_.assign(items, 0);
    for (index_t t : targets) {
      if (t < 0 || static_cast<std::size_t>(t) >= items)
        throw config_error("SequenceRanking: target " + std::to_string(t) + " outside the " + std::to_string(items) +
                               " scored items",
                           location::of_field("target"));
      mark_[static_cast<std::size_t>(t)] = 1;
    }
    if (exclude_history_)
      for (index_t h : history)
        if (h >= 0 && static_cast<std::size_t>(h) < items && mark_[static_cast<std::size_t>(h)] == 0)
          mark_[static_cast<std::size_t>(h)] = 2;
    order_.clear();
    for (std::size_t i = 0; i < items; ++i)
      if (mark_[i] != 2) order_.push_back(static_cast<index_t>(i));
    const std::size_t k = std::min(order_.size(), static_cast<std::size_t>(max_k_));
    std::partial_sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(k), order_.end(),
                      [&](index_t a, index_t b) {
                        const S sa = scores[static_cast<std::size_t>(a)], sb = scores[static_cast<std::size_t>(b)];
                        return sa > sb || (sa == sb && a < b);
                      });
    std::size_t n_targets = 0;
    for (std::size_t i = 0; i < items; ++i) n_targets += mark_[i] == 1;
    for (std::size_t c = 0; c < cutoffs_.size(); ++c) {
      const auto kc = static_cast<std::size_t>(cutoffs_[c]);
      double hits = 0, dcg = 0, idcg = 0;
      for (std::size_t r = 0; r < std::min(kc, k); ++r)
        if (mark_[static_cast<std::size_t>(order_[r])] == 1) {
          hits += 1;
          dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
        }
      for (std::size_t r = 0; r < std::min(kc, n_targets); ++r) idcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
      const double p = hits / static_cast<double>(kc), rec = hits / static_cast<double>(n_targets);
      sums_[4 * c] += p;
      sums_[4 * c + 1] += rec;
      sums_[4 * c + 2] += p + rec > 0 ? 2 * p * rec / (p + rec) : 0.0;
      sums_[4 * c + 3] += dcg / idcg;
    }
    ++users_;
  }

  sequence_ranking_result result() const {
    sequence_ranking_result r;
    r.cutoffs = cutoffs_;
    r.users = users_;
    const double n = users_ == 0 ? 1.0 : static_cast<double>(users_);
    for (std::size_t c = 0; c < cutoffs_.size(); ++c) {
      r.precision.push_back(sums_[4 * c] / n);
      r.recall.push_back(sums_[4 * c + 1] / n);
      r.f1.push_back(sums_[4 * c + 2] / n);
      r.ndcg.push_back(sums_[4 * c + 3] / n);
    }
    return r;
  }

 private:
  std::vector<index_t> cutoffs_;
  bool exclude_history_;
  index_t max_k_ = 0;
  std::vector<double> sums_;
  std::size_t users_ = 0;
  std::vector<unsigned char> mark_;  // 1 target, 2 excluded history item
  std::vector<index_t> order_;
};

}  // namespace metrics
}  // namespace denoise
