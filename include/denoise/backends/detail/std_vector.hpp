// The flat vector of the host backends, as a one-parameter template for common_primitives.
#pragma once

#include <cstddef>
#include <vector>

namespace denoise {
namespace backends {
namespace detail {

template <class T>
using std_vector = std::vector<T>;

/// dst = src. Written out because vector::operator=, assign() and resize() trip g++ 12's
/// -Wnonnull / -Wnull-dereference false positives at -O3 (C++17 and C++20) once inlined.
template <class T>
void host_copy(const std::vector<T>& src, std::vector<T>& dst) {
  if (dst.size() != src.size()) {
    std::vector<T> fresh(src.begin(), src.end());
    dst.swap(fresh);
    return;
  }
  const T* from = src.data();
  T* to = dst.data();
  for (std::size_t i = 0, n = src.size(); i < n; ++i) to[i] = from[i];
}

}  // namespace detail
}  // namespace backends
}  // namespace denoise
