// ReLU: max(x, 0), derivative 1 for x > 0 and 0 otherwise (0 at x = 0).
#pragma once

#include "../core/macros.hpp"
#include "activation.hpp"

namespace denoise {
namespace nn {

struct relu_op {
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    return x > T(0) ? x : T(0);
  }
  template <class T>
  DENOISE_HOST_DEVICE T derivative(T x, T) const {
    return x > T(0) ? T(1) : T(0);
  }
};

template <class B>
using ReLU = Activation<B, relu_op>;

}  // namespace nn
}  // namespace denoise
