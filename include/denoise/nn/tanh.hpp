// Tanh: tanh(x), derivative 1 - y^2.
#pragma once

#include <cmath>

#include "../core/macros.hpp"
#include "activation.hpp"

namespace denoise {
namespace nn {

struct tanh_op {
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    return std::tanh(x);
  }
  template <class T>
  DENOISE_HOST_DEVICE T derivative(T, T y) const {
    return T(1) - y * y;
  }
};

template <class B>
using Tanh = Activation<B, tanh_op>;

}  // namespace nn
}  // namespace denoise
