// Row kernels of the optimizers: index r is the r-th row being updated (row r itself in dense
// mode, rows[r] for the touched rows of a sparse parameter in lazy mode); the thread loops over
// the row's columns.
#pragma once

#include <cmath>
#include <cstddef>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace nn {
namespace kernels {

DENOISE_HOST_DEVICE inline std::size_t row_start(const index_t* rows, std::size_t cols, std::size_t r) {
  return (rows == nullptr ? r : static_cast<std::size_t>(rows[r])) * cols;
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
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t start = row_start(rows, cols, r);
    for (std::size_t e = start; e < start + cols; ++e) {
      const T g = grad[e] + weight_decay * theta[e];
      theta[e] -= lr * g;
    }
  }
};

/// PyTorch's Adam with L2 weight decay, step t (bias corrections precomputed on the host):
///   g = grad + wd theta; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
///   theta -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
/// The division by sqrt(bc2) is a multiplication by its reciprocal (PyTorch divides: the last bit
/// may differ): dense Adam does one sqrt and two divisions per parameter per step otherwise, and
/// those bound its speed.
template <class T>
struct adam_update {
  T* theta;
  const T* grad;
  T* m;
  T* v;
  const index_t* rows;
  std::size_t cols;
  T step_size;       // lr / (1 - b1^t)
  T inv_sqrt_bc2;    // 1 / sqrt(1 - b2^t)
  T beta1;
  T beta2;
  T eps;
  T weight_decay;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t start = row_start(rows, cols, r);
    for (std::size_t e = start; e < start + cols; ++e) {
      const T g = grad[e] + weight_decay * theta[e];
      const T mi = beta1 * m[e] + (T(1) - beta1) * g;
      const T vi = beta2 * v[e] + (T(1) - beta2) * g * g;
      m[e] = mi;
      v[e] = vi;
      theta[e] -= step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
    }
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
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t start = row_start(rows, cols, r);
    for (std::size_t e = start; e < start + cols; ++e) theta[e] -= eta * d[e];
  }
};

}  // namespace kernels
}  // namespace nn
}  // namespace denoise
