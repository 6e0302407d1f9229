// Softplus: log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)) (no overflow); derivative sigmoid(x).
#pragma once

#include <cmath>

#include "../core/macros.hpp"
#include "activation.hpp"
#include "sigmoid.hpp"

namespace denoise {
namespace nn {

struct softplus_op {
  template <class T>
  DENOISE_HOST_DEVICE T value(T x) const {
    const T ax = x < T(0) ? -x : x;
    return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-ax));
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
