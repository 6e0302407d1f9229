// Area under the ROC curve, exact: the Mann-Whitney statistic with ties counted as one half,
// computed from one radix sort of the scores (O(n); the grouped variant sorts, O(n log n)) in integer arithmetic, so it equals the
// brute-force pair count exactly. Also the per-group (per-user, "GAUC") variant.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "detail/labels.hpp"
#include "metric_value.hpp"

namespace denoise {
namespace metrics {

namespace detail {

struct score_label {
  float score;
  bool positive;
};

// Twice the number of (positive, negative) pairs ranked correctly, a tie counting one half, over a
// range sorted by score; also counts the classes.
inline std::uint64_t twice_correct_pairs(const score_label* first, const score_label* last,
                                         std::uint64_t& positives, std::uint64_t& negatives) noexcept {
  std::uint64_t twice = 0, neg_below = 0, pos = 0;
  for (const score_label* g = first; g != last;) {
    const score_label* e = g;
    std::uint64_t gp = 0, gn = 0;
    for (; e != last && e->score == g->score; ++e) {
      if (e->positive) ++gp; else ++gn;
    }
    twice += gp * (2 * neg_below + gn);
    neg_below += gn;
    pos += gp;
    g = e;
  }
  positives = pos;
  negatives = neg_below;
  return twice;
}


template <class Label>
std::vector<score_label> gather_scores(span<const float> scores, span<const Label> labels) {
  check_sizes(scores.size(), "scores", labels.size(), "labels");
  std::vector<score_label> v(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      throw input_error("score of sample " + std::to_string(i) + " is NaN", location::of_field("scores"));
    }
    v[i] = score_label{scores[i], binary_label(labels[i], i, "labels")};
  }
  return v;
}

// A float mapped to an unsigned key with the same order (-0 and +0 map to the same key).
inline std::uint32_t ordered_key(float f) noexcept {
  if (f == 0.0f) f = 0.0f;
  std::uint32_t bits = 0;
  std::memcpy(&bits, &f, sizeof bits);
  return (bits & 0x80000000u) != 0 ? ~bits : (bits | 0x80000000u);
}

// Sorts (key << 1 | label) words by key: LSD radix sort, 3 passes of 11 bits. O(n), two buffers.
inline void radix_sort_by_key(std::vector<std::uint64_t>& v) {
  std::vector<std::uint64_t> tmp(v.size());
  std::vector<std::size_t> count(2048);
  for (int pass = 0; pass < 3; ++pass) {
    const int shift = 1 + 11 * pass;
    std::fill(count.begin(), count.end(), std::size_t{0});
    for (const std::uint64_t w : v) ++count[(w >> shift) & 2047u];
    std::size_t sum = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (const std::uint64_t w : v) tmp[count[(w >> shift) & 2047u]++] = w;
    v.swap(tmp);
  }
}

template <class Label>
double auc_impl(span<const float> scores, span<const Label> labels) {
  check_sizes(scores.size(), "scores", labels.size(), "labels");
  std::vector<std::uint64_t> words(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      throw input_error("score of sample " + std::to_string(i) + " is NaN", location::of_field("scores"));
    }
    const std::uint64_t label = binary_label(labels[i], i, "labels") ? 1u : 0u;
    words[i] = (static_cast<std::uint64_t>(ordered_key(scores[i])) << 1) | label;
  }
  radix_sort_by_key(words);
  // Walk groups of equal keys, as twice_correct_pairs does for scored pairs.
  std::uint64_t twice = 0, neg_below = 0, pos = 0;
  for (std::size_t g = 0; g < words.size();) {
    const std::uint64_t key = words[g] >> 1;
    std::uint64_t gp = 0, gn = 0;
    std::size_t e = g;
    for (; e < words.size() && (words[e] >> 1) == key; ++e) {
      if ((words[e] & 1u) != 0) ++gp; else ++gn;
    }
    twice += gp * (2 * neg_below + gn);
    neg_below += gn;
    pos += gp;
    g = e;
  }
  const std::uint64_t neg = neg_below;
  if (pos == 0 || neg == 0) {
    throw input_error("AUC needs both classes (got " + std::to_string(pos) + " positives and " +
                          std::to_string(neg) + " negatives)",
                      location::of_field("labels"));
  }
  return static_cast<double>(twice) / (2.0 * static_cast<double>(pos) * static_cast<double>(neg));
}

}  // namespace detail

/// Exact AUC of `scores` (higher = more likely positive) against 0/1 `labels`. Throws input_error
/// on a size mismatch, a NaN score, a label other than 0/1, or when only one class is present.
inline double auc(span<const float> scores, span<const float> labels) {
  return detail::auc_impl<float>(scores, labels);
}
inline double auc(span<const float> scores, span<const std::uint8_t> labels) {
  return detail::auc_impl<std::uint8_t>(scores, labels);
}

/// Per-group AUC (GAUC): the AUC of each group (usually a user) that has both classes.
struct grouped_auc_result {
  double weighted = 0.0;          ///< mean weighted by each used group's sample count (the GAUC of Zhou et al.)
  double mean = 0.0;              ///< plain mean over the used groups
  std::size_t groups_used = 0;    ///< groups with both classes
  std::size_t groups_skipped = 0; ///< groups with one class only (left out)

  metric_list metrics() const {
    return {{"gauc", weighted},
            {"gauc_mean", mean},
            {"gauc_groups", static_cast<double>(groups_used)},
            {"gauc_groups_skipped", static_cast<double>(groups_skipped)}};
  }
};

namespace detail {

template <class Label>
grouped_auc_result grouped_auc_impl(span<const float> scores, span<const Label> labels,
                                    span<const index_t> groups) {
  auto v = gather_scores(scores, labels);
  check_sizes(scores.size(), "scores", groups.size(), "groups");
  std::vector<std::size_t> order(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (groups[i] < 0) {
      throw input_error("sample " + std::to_string(i) + " has negative group " + std::to_string(groups[i]),
                        location::of_field("groups"));
    }
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a] < groups[b] || (groups[a] == groups[b] && v[a].score < v[b].score);
  });
  std::vector<score_label> sorted(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) sorted[i] = v[order[i]];
  grouped_auc_result r;
  double weighted_sum = 0.0, weight_total = 0.0, plain_sum = 0.0;
  for (std::size_t b = 0; b < order.size();) {
    std::size_t e = b;
    while (e < order.size() && groups[order[e]] == groups[order[b]]) ++e;
    std::uint64_t pos = 0, neg = 0;
    const std::uint64_t twice = twice_correct_pairs(sorted.data() + b, sorted.data() + e, pos, neg);
    if (pos == 0 || neg == 0) {
      ++r.groups_skipped;
    } else {
      const double a = static_cast<double>(twice) / (2.0 * static_cast<double>(pos) * static_cast<double>(neg));
      const auto w = static_cast<double>(e - b);
      weighted_sum += w * a;
      weight_total += w;
      plain_sum += a;
      ++r.groups_used;
    }
    b = e;
  }
  if (r.groups_used == 0) {
    throw input_error("no group has both classes", location::of_field("labels"));
  }
  r.weighted = weighted_sum / weight_total;
  r.mean = plain_sum / static_cast<double>(r.groups_used);
  return r;
}

}  // namespace detail

/// GAUC over `groups` (one group id >= 0 per sample, any order). Groups with a single class are
/// skipped and counted; throws input_error when none has both classes.
inline grouped_auc_result grouped_auc(span<const float> scores, span<const float> labels,
                                      span<const index_t> groups) {
  return detail::grouped_auc_impl<float>(scores, labels, groups);
}
inline grouped_auc_result grouped_auc(span<const float> scores, span<const std::uint8_t> labels,
                                      span<const index_t> groups) {
  return detail::grouped_auc_impl<std::uint8_t>(scores, labels, groups);
}

}  // namespace metrics
}  // namespace denoise
