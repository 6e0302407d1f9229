// The overflow-safe scalar functions the losses need, taken from the nn activations so that the
// library has one definition of each.
#pragma once

#include "../../core/macros.hpp"
#include "../../nn/sigmoid.hpp"
#include "../../nn/softplus.hpp"

namespace denoise {
namespace losses {
namespace detail {

/// log(1 + e^x) without overflow for large |x|.
template <class S>
DENOISE_HOST_DEVICE inline S softplus(S x) {
  return nn::softplus_op{}.value(x);
}

/// 1 / (1 + e^-x) without overflow.
template <class S>
DENOISE_HOST_DEVICE inline S sigmoid(S x) {
  return nn::sigmoid_op{}.value(x);
}

}  // namespace detail
}  // namespace losses
}  // namespace denoise
