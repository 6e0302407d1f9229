// Top-K selection over one row of scores: the K best items, best first, ties broken by the lower
// item index. A bounded heap keeps the K best seen so far, so one row costs O(n + r log K) where r
// (the number of heap replacements) is small for any order of scores; nothing is fully sorted.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
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

// Restores the heap property below the root of a heap whose root is its worst-ranked element.
inline void sift_down_worst(scored_item* heap, std::size_t size) noexcept {
  std::size_t parent = 0;
  const scored_item moving = heap[0];
  for (;;) {
    std::size_t child = 2 * parent + 1;
    if (child >= size) break;
    // pick the worse-ranked child
    if (child + 1 < size && ranks_before(heap[child], heap[child + 1])) ++child;
    if (!ranks_before(moving, heap[child])) break;
    heap[parent] = heap[child];
    parent = child;
  }
  heap[parent] = moving;
}

// Partial selection. NaN scores are treated as "not a candidate" (the evaluator writes NaN over
// excluded items after it has checked the row for real NaNs). `heap` has room for k entries.
// Returns how many entries were written, sorted best first.
inline std::size_t select_top_k(const float* scores, std::size_t n, std::size_t k,
                                scored_item* heap) noexcept {
  if (k == 0) return 0;
  std::size_t size = 0;
  std::size_t i = 0;
  for (; i < n && size < k; ++i) {
    const float s = scores[i];
    if (!std::isnan(s)) heap[size++] = scored_item{s, static_cast<index_t>(i)};
  }
  // With comp = ranks_before the std heap keeps the worst-ranked entry at the front.
  std::make_heap(heap, heap + size, ranks_before);
  if (size == k) {
    float threshold = heap[0].score;
    for (; i < n; ++i) {
      const float s = scores[i];
      // Items arrive in increasing index order, so an equal score never outranks the front: a
      // strict comparison is the tie rule. NaN compares false and is skipped.
      if (s > threshold) {
        heap[0] = scored_item{s, static_cast<index_t>(i)};
        sift_down_worst(heap, size);
        threshold = heap[0].score;
      }
    }
  }
  std::sort_heap(heap, heap + size, ranks_before);
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
  std::vector<scored_item> heap(static_cast<std::size_t>(k));
  const std::size_t got = detail::select_top_k(row.data(), row.size(), heap.size(), heap.data());
  std::vector<index_t> out(got);
  for (std::size_t r = 0; r < got; ++r) out[r] = heap[r].item;
  return out;
}

}  // namespace metrics
}  // namespace denoise
