// Top-K selection over one row of scores: the K best items, best first, ties broken by the lower
// item index. A vectorised pass over the row finds a floor that only about K scores reach; a
// second pass of vector compares picks those out, and they go to a buffer cut back to the K best
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
#include "../core/kth_highest_key.hpp"
#include "../core/macros.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"

// The second pass of select_top_k compares 16 scores at once and walks the result bits; on x86 the
// bits come from one vector compare (SSE2 is part of x86-64; AVX-512 when the build targets it).
// nvcc stays on the portable loop.
#if !defined(__CUDACC__) && (defined(__AVX512F__) || defined(__SSE2__) || defined(_M_X64))
#include <immintrin.h>
#define DENOISE_TOP_K_X86 1
#endif

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

/// Scores tested against the floor at once in the second pass of select_top_k: one vector
/// compare whose result bits are then walked, so that only the few candidates take a branch.
constexpr std::size_t top_k_lanes = 16;

// Bit l set when scores[l] >= floor, l in [0, top_k_lanes); NaN never reaches (an ordered compare).
// The portable form, also the reference of the vector forms in the tests.
inline std::uint32_t reach_mask_portable(const float* scores, float floor) noexcept {
  std::uint32_t reach = 0;
  for (std::size_t l = 0; l < top_k_lanes; ++l) reach |= (scores[l] >= floor ? 1u : 0u) << l;
  return reach;
}

// reach_mask_portable by one compare per vector of scores.
DENOISE_INLINE std::uint32_t reach_mask(const float* scores, float floor) noexcept {
#if defined(DENOISE_TOP_K_X86) && defined(__AVX512F__)
  return static_cast<std::uint32_t>(_mm512_cmp_ps_mask(_mm512_loadu_ps(scores), _mm512_set1_ps(floor), _CMP_GE_OQ));
#elif defined(DENOISE_TOP_K_X86)
  const __m128 f = _mm_set1_ps(floor);
  std::uint32_t reach = 0;
  for (int q = 0; q < 4; ++q) {
    reach |= static_cast<std::uint32_t>(_mm_movemask_ps(_mm_cmpge_ps(_mm_loadu_ps(scores + 4 * q), f))) << (4 * q);
  }
  return reach;
#else
  return reach_mask_portable(scores, floor);
#endif
}

// The smallest score whose order_key is at least `key` (key above NaN's): -inf for any key at or
// below -inf's. The second pass compares scores against it, so that NaN falls out of the compare.
inline float score_at_key(std::int32_t key) noexcept {
  const std::int32_t minus_infinity = -0x7f800000;
  if (key <= minus_infinity) return -std::numeric_limits<float>::infinity();
  const std::uint32_t bits = key < 0 ? 0x80000000u | static_cast<std::uint32_t>(-key) : static_cast<std::uint32_t>(key);
  float score;
  std::memcpy(&score, &bits, sizeof score);
  return score;
}

// Index of the lowest set bit of a non-zero word.
DENOISE_INLINE unsigned lowest_set_bit(std::uint32_t word) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctz(word));
#else
  unsigned bit = 0;
  while ((word & 1u) == 0) {
    word >>= 1;
    ++bit;
  }
  return bit;
#endif
}

// A float's bits without the sign: above infinity's (nan_magnitude) exactly when it is NaN.
// Integer tests, so that loops over a row vectorise where std::isnan would not.
DENOISE_INLINE std::uint32_t magnitude_bits(float x) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & 0x7fffffffu;
}
DENOISE_INLINE bool nan_magnitude(std::uint32_t magnitude) noexcept { return magnitude > 0x7f800000u; }

/// True when one of the n scores is NaN.
inline bool any_nan(const float* scores, std::size_t n) noexcept {
  // A count of signed compares (magnitudes are below 2^31): SSE2 has the signed compare, not the
  // unsigned one nor a max, so this form vectorises in a baseline x86-64 build too.
  std::uint32_t nans = 0;
  for (std::size_t i = 0; i < n; ++i) nans += static_cast<std::int32_t>(magnitude_bits(scores[i])) > 0x7f800000 ? 1u : 0u;
  return nans != 0;
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

// The k-th highest of `count` keys (k <= count): the highest T with at least k keys >= T
// (core/kth_highest_key.hpp, on the keys made unsigned in the same order).
inline std::int32_t kth_highest(const std::int32_t* keys, std::size_t count, std::size_t k) noexcept {
  std::uint32_t unsigned_keys[top_k_groups];
  for (std::size_t c = 0; c < count; ++c) unsigned_keys[c] = static_cast<std::uint32_t>(keys[c]) ^ 0x80000000u;
  return static_cast<std::int32_t>(::denoise::detail::kth_highest_key(unsigned_keys, count, k) ^ 0x80000000u);
}

// Partial selection of the K best scores, NaN never a candidate (the evaluator writes NaN over
// excluded items after it has checked the row for real NaNs). Two passes:
//  1. the maximum key of each group (score i is in group i % top_k_groups), vectorised; the K-th
//     highest group maximum is a floor that at least K scores reach, so no score below it is
//     among the K best;
//  2. the row is compared with the floor top_k_lanes scores at a time (reach_mask); the scores at
//     or above it go to `buffer` (room for `capacity` > k entries, candidate_capacity), cut back to
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
  float floor_score = score_at_key(floor);  // what the vector compares test against
  const auto consider = [&](std::size_t i) {
    if (order_key(scores[i]) < floor) return;  // the floor may have risen since the mask was taken
    buffer[size++] = scored_item{scores[i], static_cast<index_t>(i)};
    if (size == capacity) {
      std::nth_element(buffer, buffer + (k - 1), buffer + size, before);
      size = k;
      floor = order_key(buffer[k - 1].score);
      floor_score = score_at_key(floor);
    }
  };
  std::size_t base = 0;
  for (; base + top_k_lanes <= n; base += top_k_lanes) {
    // The floor as of this block of lanes; consider() tests again against a floor raised since.
    std::uint32_t reach = reach_mask(scores + base, floor_score);
    for (; reach != 0; reach &= reach - 1) consider(base + lowest_set_bit(reach));
  }
  for (; base < n; ++base) consider(base);
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
