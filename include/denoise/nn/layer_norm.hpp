// LayerNorm<B>(features): per-row normalisation, y = gamma * (x - mean_row) / sqrt(var_row + eps)
// + beta, with learned gamma and beta per feature (PyTorch's LayerNorm over the last dimension).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "batch_norm.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {

/// Row r: mean and 1/std, xhat and y.
template <class T>
struct layer_norm_row {
  const T* x;
  const T* gamma;
  const T* beta;
  T* xhat;
  T* y;
  T* inv_std;
  std::size_t f;
  T eps;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* row = x + r * f;
    T s = T(0);
    for (std::size_t j = 0; j < f; ++j) s += row[j];
    const T m = s / static_cast<T>(f);
    T v = T(0);
    for (std::size_t j = 0; j < f; ++j) v += (row[j] - m) * (row[j] - m);
    const T inv = T(1) / std::sqrt(v / static_cast<T>(f) + eps);
    inv_std[r] = inv;
    for (std::size_t j = 0; j < f; ++j) {
      const T h = (row[j] - m) * inv;
      xhat[r * f + j] = h;
      y[r * f + j] = gamma[j] * h + beta[j];
    }
  }
};

/// Row r: g = dy * gamma; dx = inv / f * (f g - sum g - xhat sum(g xhat)).
template <class T>
struct layer_norm_dx {
  const T* dy;
  const T* xhat;
  const T* gamma;
  const T* inv_std;
  T* dx;
  std::size_t f;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T sg = T(0), sgx = T(0);
    for (std::size_t j = 0; j < f; ++j) {
      const T g = dy[r * f + j] * gamma[j];
      sg += g;
      sgx += g * xhat[r * f + j];
    }
    const T ff = static_cast<T>(f);
    for (std::size_t j = 0; j < f; ++j) {
      const T g = dy[r * f + j] * gamma[j];
      dx[r * f + j] = inv_std[r] / ff * (ff * g - sg - xhat[r * f + j] * sgx);
    }
  }
};

}  // namespace kernels

template <class B>
class LayerNorm {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  explicit LayerNorm(index_t features, double eps = 1e-5)
      : eps_(eps), gamma_(1, features), beta_(1, features), dgamma_(1, features), dbeta_(1, features),
        sum_a_(1, features), sum_b_(1, features) {
    if (features <= 0) throw config_error("LayerNorm: features must be positive");
    reset(0);
  }

  index_t features() const noexcept { return gamma_.cols(); }

  /// What forward() leaves for backward(): the normalised input and each row's 1 / std.
  struct cache {
    matrix xhat, inv_std;
    bool ready = false;
  };

  void forward(const matrix& x, matrix& y, cache& c) const {
    if (x.cols() != features()) {
      throw config_error("LayerNorm::forward: input has " + std::to_string(x.cols()) + " columns, expected " +
                         std::to_string(features()));
    }
    c.xhat.resize(x.rows(), x.cols());
    y.resize(x.rows(), x.cols());
    c.inv_std.resize(x.rows(), 1);
    const auto f = static_cast<std::size_t>(x.cols());
    B::launch(static_cast<std::size_t>(x.rows()),
              kernels::layer_norm_row<scalar>{B::ptr(x), B::ptr(gamma_), B::ptr(beta_), B::ptr(c.xhat), B::ptr(y),
                                              B::ptr(c.inv_std), f, static_cast<scalar>(eps_)},
              f);
    c.ready = true;
  }

  void backward(const cache& c, const matrix& dy, matrix& dx) {
    if (!c.ready) throw config_error("LayerNorm::backward called before forward");
    B::require_same_shape(dy, c.xhat, "LayerNorm::backward");
    const auto n = static_cast<std::size_t>(dy.rows());
    const auto f = static_cast<std::size_t>(dy.cols());
    B::launch(f, kernels::column_grad_sums<scalar>{B::ptr(dy), B::ptr(c.xhat), B::ptr(dgamma_), B::ptr(dbeta_),
                                                   B::ptr(sum_a_), B::ptr(sum_b_), n, f},
              n);
    dx.resize(dy.rows(), dy.cols());
    B::launch(n, kernels::layer_norm_dx<scalar>{B::ptr(dy), B::ptr(c.xhat), B::ptr(gamma_), B::ptr(c.inv_std), B::ptr(dx), f},
              f);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"gamma", gamma_, dgamma_, nullptr});
    f(param_ref<B>{"beta", beta_, dbeta_, nullptr});
  }
  void reset(std::uint64_t) {
    B::fill(gamma_, scalar(1));
    B::fill(beta_, scalar(0));
    B::fill(dgamma_, scalar(0));
    B::fill(dbeta_, scalar(0));
  }

 private:
  double eps_;
  matrix gamma_, beta_, dgamma_, dbeta_;
  matrix sum_a_, sum_b_;  // backward() scratch
};

}  // namespace nn
}  // namespace denoise
