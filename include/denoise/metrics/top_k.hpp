// Top-K selection over one row of scores: the K best items, best first, ties broken by the lower
// item index. A vectorised pass over the row finds a floor that only about K groups of scores
// reach; only those are read again, and their candidates go to a buffer cut back to the K best
// when full. One row costs O(n) vector work plus O(K) scalar work for any order of scores;
// nothing is fully sorted.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace metrics {

/// An item with its score, as the selection keeps it.
struct scored_item {
  float score;
  index_t item;
};

/// The ranking order: a higher score first; equal scores by the lower item index.
DENOISE_INLINE bool ranks_before(const scored_item& a, const scored_item& b) noexcept {
  return a.score > b.score || (a.score == b.score && a.item < b.item);
}

namespace detail {

/// Room the candidate buffer of select_top_k() needs for `k`: more than k, so that cutting it back
/// (an nth_element over the buffer) is rare.
inline std::size_t candidate_capacity(std::size_t k) noexcept { return std::max<std::size_t>(4 * k, k + 64); }

/// Groups of the first pass: score i belongs to group i % top_k_groups (a stride, so that the pass
/// is an elementwise max of consecutive scores into the group maxima, which vectorises).
constexpr std::size_t top_k_groups = 128;

// A float's bits without the sign: above infinity's (nan_magnitude) exactly when it is NaN.
// Integer tests, so that loops over a row vectorise where std::isnan would not.
DENOISE_INLINE std::uint32_t magnitude_bits(float x) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & 0x7fffffffu;
}
DENOISE_INLINE bool nan_magnitude(std::uint32_t magnitude) noexcept { return magnitude > 0x7f800000u; }

/// True when one of the n scores is NaN: one integer max over them.
inline bool any_nan(const float* scores, std::size_t n) noexcept {
  std::uint32_t largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, magnitude_bits(scores[i]));
  return nan_magnitude(largest);
}

// A score as an int32 in the same order: equal scores (-0 and +0 too) get equal keys, a higher
// score a higher key, and NaN the lowest key of all (below -inf's), so it is never a candidate.
// Integer operations only (the magnitude with the sign applied), so that loops over it vectorise.
DENOISE_INLINE std::int32_t order_key(float score) noexcept {
  std::int32_t bits;
  std::memcpy(&bits, &score, sizeof bits);
  const std::int32_t magnitude = bits & 0x7fffffff;
  const std::int32_t ordered = bits < 0 ? -magnitude : magnitude;
  return nan_magnitude(static_cast<std::uint32_t>(magnitude)) ? std::numeric_limits<std::int32_t>::min() : ordered;
}

// The k-th highest of `count` keys (k <= count), bit by bit from the top: the highest T with at
// least k keys >= T. 32 branch-free counting passes that vectorise, instead of a selection whose
// comparisons mispredict.
inline std::int32_t kth_highest(const std::int32_t* keys, std::size_t count, std::size_t k) noexcept {
  std::uint32_t unsigned_keys[top_k_groups];  // the same order, unsigned
  for (std::size_t c = 0; c < count; ++c) unsigned_keys[c] = static_cast<std::uint32_t>(keys[c]) ^ 0x80000000u;
  std::uint32_t found = 0;
  for (std::uint32_t bit = 0x80000000u; bit != 0; bit >>= 1) {
    const std::uint32_t trial = found | bit;
    std::uint32_t at_least = 0;  // 32-bit, so that the count stays in the keys' vector lanes
    for (std::size_t c = 0; c < count; ++c) at_least += unsigned_keys[c] >= trial ? 1u : 0u;
    if (at_least >= k) found = trial;
  }
  return static_cast<std::int32_t>(found ^ 0x80000000u);
}

// Partial selection of the K best scores, NaN never a candidate (the evaluator writes NaN over
// excluded items after it has checked the row for real NaNs). Two passes:
//  1. the maximum key of each group (score i is in group i % top_k_groups), vectorised; the K-th
//     highest group maximum is a floor that at least K scores reach, so no score below it is
//     among the K best;
//  2. only the groups whose maximum reaches the floor are read again; their scores at or above it
//     go to `buffer` (room for `capacity` > k entries, candidate_capacity), which is cut back to
//     its K best (ranks_before: ties by the lower item) by nth_element when full, raising the floor
//     to the K-th best key so far (inclusive: equal scores may still rank higher by item).
// Returns how many entries were written: the K best (fewer if fewer scores are not NaN) at the
// front of `buffer`, sorted best first.
inline std::size_t select_top_k(const float* scores, std::size_t n, std::size_t k, scored_item* buffer,
                                std::size_t capacity) noexcept {
  if (k == 0) return 0;
  const std::size_t groups = std::min(n, top_k_groups);
  std::int32_t group_max[top_k_groups];
  std::fill(group_max, group_max + groups, std::numeric_limits<std::int32_t>::min());
  for (std::size_t base = 0; base < n; base += groups) {
    const std::size_t width = std::min(groups, n - base);
    const float* row = scores + base;
    for (std::size_t g = 0; g < width; ++g) group_max[g] = std::max(group_max[g], order_key(row[g]));
  }
  std::int32_t floor = groups > k ? kth_highest(group_max, groups, k) : std::numeric_limits<std::int32_t>::min();
  floor = std::max(floor, std::numeric_limits<std::int32_t>::min() + 1);  // NaN stays out
  const auto before = [](const scored_item& a, const scored_item& b) { return ranks_before(a, b); };  // inlined
  std::size_t size = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    if (group_max[g] < floor) continue;
    for (std::size_t i = g; i < n; i += groups) {
      if (order_key(scores[i]) < floor) continue;
      buffer[size++] = scored_item{scores[i], static_cast<index_t>(i)};
      if (size == capacity) {
        std::nth_element(buffer, buffer + (k - 1), buffer + size, before);
        size = k;
        floor = order_key(buffer[k - 1].score);
      }
    }
  }
  if (size > k) {
    std::nth_element(buffer, buffer + (k - 1), buffer + size, before);
    size = k;
  }
  std::sort(buffer, buffer + size, before);
  return size;
}

// The baseline the benchmark compares against: copy every candidate, sort them all, keep K.
// `buffer` has room for n entries; the K best end up at its front. Returns min(K, candidates).
inline std::size_t full_sort_top_k(const float* scores, std::size_t n, std::size_t k,
                                   scored_item* buffer) {
  std::size_t size = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isnan(scores[i])) buffer[size++] = scored_item{scores[i], static_cast<index_t>(i)};
  }
  std::sort(buffer, buffer + size, ranks_before);
  return std::min(size, k);
}

}  // namespace detail

/// The `k` best items of `scores`, best first (ties: lower item index first), leaving out the
/// items listed in `exclude` (a user's training positives, in any order). Returns fewer than `k`
/// items when fewer candidates remain. Throws config_error for k <= 0 and input_error for a NaN
/// score or an excluded id outside [0, scores.size()).
inline std::vector<index_t> top_k(span<const float> scores, span<const index_t> exclude, int k) {
  if (k <= 0) {
    throw config_error("K must be positive (got " + std::to_string(k) + ")", location::of_field("k"));
  }
  std::vector<float> row(scores.begin(), scores.end());
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (std::isnan(row[i])) {
      throw input_error("score of item " + std::to_string(i) + " is NaN", location::of_field("scores"));
    }
  }
  for (const index_t item : exclude) {
    if (item < 0 || static_cast<std::size_t>(item) >= row.size()) {
      throw input_error("excluded item " + std::to_string(item) + " is outside [0, " +
                            std::to_string(row.size()) + ")",
                        location::of_field("exclude"));
    }
    row[static_cast<std::size_t>(item)] = std::nanf("");
  }
  const auto want = static_cast<std::size_t>(k);
  std::vector<scored_item> candidates(detail::candidate_capacity(want));
  const std::size_t got = detail::select_top_k(row.data(), row.size(), want, candidates.data(), candidates.size());
  std::vector<index_t> out(got);
  for (std::size_t r = 0; r < got; ++r) out[r] = candidates[r].item;
  return out;
}

}  // namespace metrics
}  // namespace denoise
