// The flat vector of the host backends, as a one-parameter template for common_primitives.
#pragma once

#include <vector>

namespace denoise {
namespace backends {
namespace detail {

template <class T>
using std_vector = std::vector<T>;

}  // namespace detail
}  // namespace backends
}  // namespace denoise
