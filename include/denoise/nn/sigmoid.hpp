// Sigmoid: 1 / (1 + exp(-x)), evaluated without overflow for large |x|; derivative y (1 - y).
#pragma once

#include <cmath>

#include "../core/fast_math.hpp"
#include "../core/macros.hpp"
#include "activation.hpp"

namespace denoise {
namespace nn {

struct sigmoid_op {
  /// With t = e^-|x| (never overflows): 1 / (1 + t) for x >= 0, t / (1 + t) below. One exp and
  /// no branch, so loops over it vectorize; float takes math::fast_exp (libm's expf is a scalar
  /// call), double libm's exp.
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    const T t = math::fast_exp(x < T(0) ? x : -x);
    return (x >= T(0) ? T(1) : t) / (T(1) + t);
  }
  template <class T>
  DENOISE_HOST_DEVICE T derivative(T, T y) const {
    return y * (T(1) - y);
  }
};

template <class B>
using Sigmoid = Activation<B, sigmoid_op>;

}  // namespace nn
}  // namespace denoise
