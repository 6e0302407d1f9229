// Numerically stable scalar functions shared by the losses; host and device.
#pragma once

#include <cmath>

#include "../../core/macros.hpp"

namespace denoise {
namespace losses {
namespace detail {

/// log(1 + e^x) without overflow for large |x|.
template <class S>
DENOISE_HOST_DEVICE inline S softplus(S x) {
  return x > S(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

/// 1 / (1 + e^-x) without overflow.
template <class S>
DENOISE_HOST_DEVICE inline S sigmoid(S x) {
  if (x >= S(0)) return S(1) / (S(1) + std::exp(-x));
  const S e = std::exp(x);
  return e / (S(1) + e);
}

}  // namespace detail
}  // namespace losses
}  // namespace denoise
