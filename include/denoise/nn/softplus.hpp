// Softplus: log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)) (no overflow); derivative sigmoid(x).
#pragma once

#include <cmath>

#include "../core/fast_math.hpp"
#include "../core/macros.hpp"
#include "activation.hpp"
#include "sigmoid.hpp"

namespace denoise {
namespace nn {

struct softplus_op {
  /// float: math::fast_exp and math::fast_log1p (vectorizable; libm's are scalar calls); double: libm.
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    return (x > T(0) ? x : T(0)) + math::fast_log1p(math::fast_exp(x < T(0) ? x : -x));
  }
  template <class T>
  DENOISE_HOST_DEVICE T derivative(T x, T) const {
    return sigmoid_op{}.value(x);
  }
};

template <class B>
using Softplus = Activation<B, softplus_op>;

}  // namespace nn
}  // namespace denoise
