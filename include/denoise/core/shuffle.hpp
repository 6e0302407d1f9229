// random::shuffle: the library's one Fisher-Yates shuffle. Every random order of the library
// (batch orders, splits, synthetic data) comes from it, so that they all stay the same function
// of their seed.
#pragma once

#include <cstddef>
#include <utility>

#include "random.hpp"

namespace denoise {
namespace random {

/// Shuffles v[0..v.size()) uniformly: for k = n .. 2, swap v[k-1] with v[g.uniform_index(k)].
/// Tried and not kept (bench/README.md, stop 37): drawing each partner 16 swaps early and
/// prefetching it made an epoch's shuffle of ml-100k's 80k training rows no faster.
template <class Vector>
void shuffle(Vector& v, rng& g) {
  using std::swap;
  for (std::size_t k = v.size(); k > 1; --k) swap(v[k - 1], v[static_cast<std::size_t>(g.uniform_index(k))]);
}

}  // namespace random
}  // namespace denoise
