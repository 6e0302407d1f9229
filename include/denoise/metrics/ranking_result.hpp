// The result of a ranking evaluation: Recall, Precision, F1, NDCG and HitRate at each K, averaged
// over the users that were evaluated, plus the per-user kernel that computes them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "metric_value.hpp"

namespace denoise {
namespace metrics {

/// Ranking metrics at one cut-off K. For one user they are that user's values; in a
/// ranking_result they are means over the evaluated users (F1 is computed per user, then averaged).
struct ranking_at_k {
  int k = 0;
  double recall = 0.0;     ///< hits / |relevant|
  double precision = 0.0;  ///< hits / K (K even when fewer than K items could be ranked)
  double f1 = 0.0;         ///< 2PR / (P + R), 0 when P + R = 0
  double ndcg = 0.0;       ///< DCG / IDCG, binary relevance, discount 1 / log2(rank + 2)
  double hit_rate = 0.0;   ///< 1 when hits > 0
};

/// Means over the evaluated users (those with at least one test item).
struct ranking_result {
  std::vector<ranking_at_k> at;      ///< one entry per requested K, in the order given
  std::size_t users_evaluated = 0;  ///< users with >= 1 test item

  /// The entry for cut-off `k`; throws config_error when `k` was not requested.
  const ranking_at_k& at_k(int k) const {
    for (const auto& a : at) {
      if (a.k == k) return a;
    }
    throw config_error("K = " + std::to_string(k) + " was not evaluated", location::of_field("k"));
  }

  /// "recall@20", "precision@20", "f1@20", "ndcg@20", "hit_rate@20" for each K, then "users".
  metric_list metrics() const {
    metric_list out;
    out.reserve(at.size() * 5 + 1);
    for (const auto& a : at) {
      // Built in two steps: g++ 12 at -O3 in C++20 warns (-Wrestrict) on "@" + to_string().
      std::string suffix(1, '@');
      suffix += std::to_string(a.k);
      out.push_back({"recall" + suffix, a.recall});
      out.push_back({"precision" + suffix, a.precision});
      out.push_back({"f1" + suffix, a.f1});
      out.push_back({"ndcg" + suffix, a.ndcg});
      out.push_back({"hit_rate" + suffix, a.hit_rate});
    }
    out.push_back({"users", static_cast<double>(users_evaluated)});
    return out;
  }
};

namespace detail {

// 1 / log2(r + 2) for ranks r = 0 .. n-1.
inline std::vector<double> rank_discounts(std::size_t n) {
  std::vector<double> d(n);
  for (std::size_t r = 0; r < n; ++r) d[r] = 1.0 / std::log2(static_cast<double>(r) + 2.0);
  return d;
}

// Metrics of one user from the hit flags of its ranked list (hit[r] = 1 when the item at rank r is
// relevant), `n_ranked` entries, `n_relevant` distinct relevant items (> 0). `discount` has at least
// max(K) entries. Writes one ranking_at_k per K; allocates nothing.
inline void user_metrics(const unsigned char* hit, std::size_t n_ranked, std::size_t n_relevant,
                         span<const int> ks, const double* discount, ranking_at_k* out) noexcept {
  for (std::size_t j = 0; j < ks.size(); ++j) {
    const auto k = static_cast<std::size_t>(ks[j]);
    const std::size_t depth = n_ranked < k ? n_ranked : k;
    std::size_t hits = 0;
    double dcg = 0.0;
    for (std::size_t r = 0; r < depth; ++r) {
      if (hit[r] != 0) {
        ++hits;
        dcg += discount[r];
      }
    }
    const std::size_t ideal = n_relevant < k ? n_relevant : k;
    double idcg = 0.0;
    for (std::size_t r = 0; r < ideal; ++r) idcg += discount[r];
    ranking_at_k& m = out[j];
    m.k = ks[j];
    m.recall = static_cast<double>(hits) / static_cast<double>(n_relevant);
    m.precision = static_cast<double>(hits) / static_cast<double>(k);
    m.f1 = (m.recall + m.precision) > 0.0 ? 2.0 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
    m.ndcg = dcg / idcg;
    m.hit_rate = hits > 0 ? 1.0 : 0.0;
  }
}

inline void check_ks(span<const int> ks) {
  if (ks.empty()) throw config_error("no cut-off K given", location::of_field("k"));
  for (const int k : ks) {
    if (k <= 0) {
      throw config_error("K must be positive (got " + std::to_string(k) + ")", location::of_field("k"));
    }
  }
}

}  // namespace detail

/// Metrics of one user's ranked list at each K. `ranked` is the list best first (training
/// positives already left out); only its first max(K) entries matter. `relevant` is the user's
/// test items in any order (duplicates count once) and must not be empty.
inline std::vector<ranking_at_k> ranked_list_metrics(span<const index_t> ranked,
                                                     span<const index_t> relevant,
                                                     span<const int> ks) {
  detail::check_ks(ks);
  std::vector<index_t> rel(relevant.begin(), relevant.end());
  std::sort(rel.begin(), rel.end());
  rel.erase(std::unique(rel.begin(), rel.end()), rel.end());
  if (rel.empty()) {
    throw input_error("a user needs at least one relevant item", location::of_field("relevant"));
  }
  int max_k = 0;
  for (const int k : ks) max_k = k > max_k ? k : max_k;
  const std::size_t depth = std::min(ranked.size(), static_cast<std::size_t>(max_k));
  std::vector<unsigned char> hit(depth);
  for (std::size_t r = 0; r < depth; ++r) {
    hit[r] = std::binary_search(rel.begin(), rel.end(), ranked[r]) ? 1 : 0;
  }
  const auto discount = detail::rank_discounts(static_cast<std::size_t>(max_k));
  std::vector<ranking_at_k> out(ks.size());
  detail::user_metrics(hit.data(), depth, rel.size(), ks, discount.data(), out.data());
  return out;
}

}  // namespace metrics
}  // namespace denoise
