// BatchNorm<B>(features): per-feature normalisation over the batch (PyTorch's BatchNorm1d).
// Training mode normalises with the batch mean and biased variance and updates the running
// statistics (unbiased variance, momentum as in PyTorch); evaluation mode uses the running
// statistics. y = gamma * (x - mean) / sqrt(var + eps) + beta. The running statistics are
// buffers, not parameters: reset() restores them, snapshots and optimizers do not see them.
// The batch statistics and the normalised input of one forward live in the caller's cache; a
// forward with cache::replay set evaluates the same function again without moving the running
// statistics (finite differences, assumed updates).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "buffers.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {

/// Column j: batch mean and 1/std, and the running statistics update.
template <class T>
struct batch_norm_stats {
  const T* x;
  T* mean;
  T* inv_std;
  T* running_mean;
  T* running_var;
  std::size_t n;
  std::size_t f;
  T eps;
  T momentum;
  bool update_running;
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
    T s = T(0);
    for (std::size_t i = 0; i < n; ++i) s += x[i * f + j];
    const T m = s / static_cast<T>(n);
    T v = T(0);
    for (std::size_t i = 0; i < n; ++i) {
      const T d = x[i * f + j] - m;
      v += d * d;
    }
    v /= static_cast<T>(n);
    mean[j] = m;
    inv_std[j] = T(1) / std::sqrt(v + eps);
    if (update_running) {
      const T unbiased = n > 1 ? v * static_cast<T>(n) / static_cast<T>(n - 1) : v;
      running_mean[j] = (T(1) - momentum) * running_mean[j] + momentum * m;
      running_var[j] = (T(1) - momentum) * running_var[j] + momentum * unbiased;
    }
  }
};

/// Column j from the running statistics (evaluation mode).
template <class T>
struct batch_norm_eval_stats {
  const T* running_mean;
  const T* running_var;
  T* mean;
  T* inv_std;
  T eps;
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
    mean[j] = running_mean[j];
    inv_std[j] = T(1) / std::sqrt(running_var[j] + eps);
  }
};

/// xhat = (x - mean_j) * inv_std_j; y = gamma_j xhat + beta_j   (per-column statistics)
template <class T>
struct normalize_columns {
  const T* x;
  const T* mean;
  const T* inv_std;
  const T* gamma;
  const T* beta;
  T* xhat;
  T* y;
  std::size_t f;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t j = i % f;
    const T h = (x[i] - mean[j]) * inv_std[j];
    xhat[i] = h;
    y[i] = gamma[j] * h + beta[j];
  }
};

/// Column j: dgamma += sum dy xhat, dbeta += sum dy, and the two sums backward needs.
template <class T>
struct column_grad_sums {
  const T* dy;
  const T* xhat;
  T* dgamma;
  T* dbeta;
  T* sum_dy;
  T* sum_dy_xhat;
  std::size_t n;
  std::size_t f;
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
    T a = T(0), b = T(0);
    for (std::size_t i = 0; i < n; ++i) {
      a += dy[i * f + j];
      b += dy[i * f + j] * xhat[i * f + j];
    }
    sum_dy[j] = a;
    sum_dy_xhat[j] = b;
    dgamma[j] += b;
    dbeta[j] += a;
  }
};

/// Training: dx = gamma inv_std / n * (n dy - sum dy - xhat sum(dy xhat)); eval: dx = dy gamma inv_std.
template <class T>
struct batch_norm_dx {
  const T* dy;
  const T* xhat;
  const T* gamma;
  const T* inv_std;
  const T* sum_dy;
  const T* sum_dy_xhat;
  T* dx;
  std::size_t n;
  std::size_t f;
  bool training;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t j = i % f;
    const T scale = gamma[j] * inv_std[j];
    if (training) {
      const T nn_ = static_cast<T>(n);
      dx[i] = scale / nn_ * (nn_ * dy[i] - sum_dy[j] - xhat[i] * sum_dy_xhat[j]);
    } else {
      dx[i] = scale * dy[i];
    }
  }
};

}  // namespace kernels

template <class B>
class BatchNorm {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  explicit BatchNorm(index_t features, double momentum = 0.1, double eps = 1e-5)
      : momentum_(momentum), eps_(eps), gamma_(1, features), beta_(1, features), dgamma_(1, features),
        dbeta_(1, features), running_mean_(1, features), running_var_(1, features), sum_dy_(1, features),
        sum_dy_xhat_(1, features) {
    if (features <= 0) throw config_error("BatchNorm: features must be positive");
    if (!(momentum >= 0.0 && momentum <= 1.0)) throw config_error("BatchNorm: momentum must be in [0, 1]");
    reset(0);
  }

  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }
  index_t features() const noexcept { return gamma_.cols(); }
  const matrix& running_mean() const noexcept { return running_mean_; }
  const matrix& running_var() const noexcept { return running_var_; }

  /// What forward() leaves for backward(): the statistics used and the normalised input.
  struct cache {
    matrix mean, inv_std, xhat;
    bool training = true;  ///< the forward used batch statistics
    bool ready = false;    ///< a forward filled this cache
    bool replay = false;   ///< set by the caller: the next forward leaves the running statistics alone
  };

  void forward(const matrix& x, matrix& y, cache& c) {
    if (x.cols() != features()) {
      throw config_error("BatchNorm::forward: input has " + std::to_string(x.cols()) + " columns, expected " +
                         std::to_string(features()));
    }
    if (training_ && x.rows() < 1) throw config_error("BatchNorm::forward: empty batch");
    const auto n = static_cast<std::size_t>(x.rows());
    const auto f = static_cast<std::size_t>(x.cols());
    c.mean.resize(1, features());
    c.inv_std.resize(1, features());
    if (training_) {
      B::launch(f, kernels::batch_norm_stats<scalar>{B::ptr(x), B::ptr(c.mean), B::ptr(c.inv_std), B::ptr(running_mean_),
                                                     B::ptr(running_var_), n, f, static_cast<scalar>(eps_),
                                                     static_cast<scalar>(momentum_), !c.replay},
                n);
    } else {
      B::launch(f, kernels::batch_norm_eval_stats<scalar>{B::ptr(running_mean_), B::ptr(running_var_), B::ptr(c.mean),
                                                          B::ptr(c.inv_std), static_cast<scalar>(eps_)});
    }
    c.xhat.resize(x.rows(), x.cols());
    y.resize(x.rows(), x.cols());
    B::launch(x.size(), kernels::normalize_columns<scalar>{B::ptr(x), B::ptr(c.mean), B::ptr(c.inv_std), B::ptr(gamma_),
                                                           B::ptr(beta_), B::ptr(c.xhat), B::ptr(y), f});
    c.training = training_;
    c.ready = true;
  }

  void backward(const cache& c, const matrix& dy, matrix& dx) {
    if (!c.ready) throw config_error("BatchNorm::backward called before forward");
    B::require_same_shape(dy, c.xhat, "BatchNorm::backward");
    const auto n = static_cast<std::size_t>(dy.rows());
    const auto f = static_cast<std::size_t>(dy.cols());
    B::launch(f, kernels::column_grad_sums<scalar>{B::ptr(dy), B::ptr(c.xhat), B::ptr(dgamma_), B::ptr(dbeta_),
                                                   B::ptr(sum_dy_), B::ptr(sum_dy_xhat_), n, f},
              n);
    dx.resize(dy.rows(), dy.cols());
    B::launch(dy.size(), kernels::batch_norm_dx<scalar>{B::ptr(dy), B::ptr(c.xhat), B::ptr(gamma_), B::ptr(c.inv_std),
                                                        B::ptr(sum_dy_), B::ptr(sum_dy_xhat_), B::ptr(dx), n, f,
                                                        c.training});
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"gamma", gamma_, dgamma_, nullptr});
    f(param_ref<B>{"beta", beta_, dbeta_, nullptr});
  }
  /// The running statistics: saved by snapshots and checkpoints, never trained.
  template <class F>
  void visit_buffers(F&& f) {
    f(buffer_ref<B>{"running_mean", running_mean_});
    f(buffer_ref<B>{"running_var", running_var_});
  }

  /// gamma = 1, beta = 0, running mean 0 and variance 1 (the seed is not needed).
  void reset(std::uint64_t) {
    B::fill(gamma_, scalar(1));
    B::fill(beta_, scalar(0));
    B::fill(dgamma_, scalar(0));
    B::fill(dbeta_, scalar(0));
    B::fill(running_mean_, scalar(0));
    B::fill(running_var_, scalar(1));
  }

 private:
  double momentum_, eps_;
  bool training_ = true;
  matrix gamma_, beta_, dgamma_, dbeta_, running_mean_, running_var_;
  matrix sum_dy_, sum_dy_xhat_;  // backward() scratch
};

}  // namespace nn
}  // namespace denoise
