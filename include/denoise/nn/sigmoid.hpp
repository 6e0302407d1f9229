// Sigmoid: 1 / (1 + exp(-x)), evaluated without overflow for large |x|; derivative y (1 - y).
#pragma once

#include <cmath>

#include "../core/macros.hpp"
#include "activation.hpp"

namespace denoise {
namespace nn {

struct sigmoid_op {
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
    const T e = std::exp(x);
    return e / (T(1) + e);
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
