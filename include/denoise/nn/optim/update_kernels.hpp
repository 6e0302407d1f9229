// Element kernels of the optimizers: index i is element (i / cols, i % cols) of the list of rows
// being updated (every row in dense mode, the touched rows of a sparse parameter in lazy mode).
#pragma once

#include <cmath>
#include <cstddef>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace nn {
namespace kernels {

DENOISE_HOST_DEVICE inline std::size_t element_of(const index_t* rows, std::size_t cols, std::size_t i) {
  return rows == nullptr ? i : static_cast<std::size_t>(rows[i / cols]) * cols + i % cols;
}

/// theta -= lr * (g + wd * theta)
template <class T>
struct sgd_update {
  T* theta;
  const T* grad;
  const index_t* rows;
  std::size_t cols;
  T lr;
  T weight_decay;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t e = element_of(rows, cols, i);
    const T g = grad[e] + weight_decay * theta[e];
    theta[e] -= lr * g;
  }
};

/// PyTorch's Adam with L2 weight decay, step t (bias corrections precomputed on the host):
///   g = grad + wd theta; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
///   theta -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
template <class T>
struct adam_update {
  T* theta;
  const T* grad;
  T* m;
  T* v;
  const index_t* rows;
  std::size_t cols;
  T step_size;       // lr / (1 - b1^t)
  T sqrt_bc2;        // sqrt(1 - b2^t)
  T beta1;
  T beta2;
  T eps;
  T weight_decay;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t e = element_of(rows, cols, i);
    const T g = grad[e] + weight_decay * theta[e];
    const T mi = beta1 * m[e] + (T(1) - beta1) * g;
    const T vi = beta2 * v[e] + (T(1) - beta2) * g * g;
    m[e] = mi;
    v[e] = vi;
    theta[e] -= step_size * mi / (std::sqrt(vi) / sqrt_bc2 + eps);
  }
};

/// theta -= eta * d on the selected rows (virtual steps).
template <class T>
struct step_rows {
  T* theta;
  const T* d;
  const index_t* rows;
  std::size_t cols;
  T eta;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t e = element_of(rows, cols, i);
    theta[e] -= eta * d[e];
  }
};

}  // namespace kernels
}  // namespace nn
}  // namespace denoise
