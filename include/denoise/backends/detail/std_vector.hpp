// The flat vector of the host backends, as a one-parameter template for common_primitives.
#pragma once

#include <cstddef>
#include <vector>

namespace denoise {
namespace backends {
namespace detail {

template <class T>
using std_vector = std::vector<T>;

/// dst = src by an element loop: vector::operator= and assign() trip a g++ 12 -Wnonnull false
/// positive (memmove of a possibly-empty vector) at -O3.
template <class T>
void host_copy(const std::vector<T>& src, std::vector<T>& dst) {
  dst.resize(src.size());
  const T* from = src.data();
  T* to = dst.data();
  for (std::size_t i = 0, n = src.size(); i < n; ++i) to[i] = from[i];
}

}  // namespace detail
}  // namespace backends
}  // namespace denoise
