// Selection by the bits of order-preserving keys, for the Eigen backend's segmented_topk: the
// k-th highest key found two bits at a time by branch-free counting passes that vectorise
// (core/kth_highest_key.hpp), then one pass that keeps the positions above it and the first ties
// at it. No comparison-based selection, whose branches mispredict on random values (nth_element
// over a T-CE batch of losses was most of that method's cost per batch).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "../../core/kth_highest_key.hpp"

namespace denoise {
namespace backends {
namespace detail {

/// The unsigned key type of a floating-point scalar: the same width.
template <class Scalar>
using order_key_t = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;

/// An unsigned key in the order of the values: NaN as -inf (the lowest, with -inf), -0 as +0, a
/// higher value a higher key.
template <class Scalar>
inline order_key_t<Scalar> order_key(Scalar x) noexcept {
  static_assert(std::is_floating_point<Scalar>::value && (sizeof(Scalar) == 4 || sizeof(Scalar) == 8),
                "order_key: float or double");
  using K = order_key_t<Scalar>;
  constexpr K sign = K(1) << (8 * sizeof(K) - 1);
  const Scalar normal = x != x ? static_cast<Scalar>(-HUGE_VAL) : (x == Scalar(0) ? Scalar(0) : x);
  K bits;
  std::memcpy(&bits, &normal, sizeof bits);
  return (bits & sign) != 0 ? ~bits : bits | sign;
}

/// The positions of the k highest of n keys (1 <= k <= n), ties to the lower position, written
/// in position order to `out` (room for n: every position is written, only the first k count).
template <class K, class Index>
inline void top_positions(const K* keys, std::size_t n, std::size_t k, Index* out) noexcept {
  const K threshold = ::denoise::detail::kth_highest_key(keys, n, k);
  std::size_t above = 0;
  for (std::size_t i = 0; i < n; ++i) above += keys[i] > threshold ? 1u : 0u;
  std::size_t ties = k - above;  // positions at the threshold still to keep, lowest first
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool tie = keys[i] == threshold;
    const bool keep = keys[i] > threshold || (tie && ties > 0);
    out[kept] = static_cast<Index>(i);
    kept += keep ? 1u : 0u;
    ties -= keep && tie ? 1u : 0u;
  }
}

}  // namespace detail
}  // namespace backends
}  // namespace denoise
