// kth_highest_key: the k-th highest of n unsigned keys by counting, two bits at a time from the
// top. The selection under the Eigen backend's segmented_topk (T-CE's drops) and under the
// ranking metrics' top-K floor: branch-free counting passes that vectorise, where a
// comparison-based selection mispredicts on random values; two bits per step halve the chain of
// dependent counts that bounds one bit per step.
#pragma once

#include <cstddef>
#include <type_traits>

namespace denoise {
namespace detail {

/// The k-th highest of n keys (1 <= k <= n): the highest T with at least k keys >= T. Each step
/// counts the keys at or above the three trials above the bits found so far and keeps the highest
/// trial that k keys reach.
template <class K>
inline K kth_highest_key(const K* keys, std::size_t n, std::size_t k) noexcept {
  static_assert(std::is_unsigned<K>::value, "kth_highest_key: keys are unsigned integers");
  K found = 0;
  for (int shift = 8 * static_cast<int>(sizeof(K)) - 2; shift >= 0; shift -= 2) {
    const K high = found | (K(2) << shift), both = high | (K(1) << shift), low = found | (K(1) << shift);
    K at_both = 0, at_high = 0, at_low = 0;  // the keys' width, so that counts stay in their lanes
    for (std::size_t i = 0; i < n; ++i) {
      at_both += keys[i] >= both ? K(1) : K(0);
      at_high += keys[i] >= high ? K(1) : K(0);
      at_low += keys[i] >= low ? K(1) : K(0);
    }
    found = at_both >= k ? both : at_high >= k ? high : at_low >= k ? low : found;
  }
  return found;
}

}  // namespace detail
}  // namespace denoise
