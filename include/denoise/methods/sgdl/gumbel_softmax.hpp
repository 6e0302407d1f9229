// StraightThroughGumbel<B>: the straight-through Gumbel-softmax sampler of SGDL's adaptive
// denoising scheduler (Gao et al., SIGIR'22, Eq. 12; Jang et al., ICLR'17). Each of `draws` rows
// samples one memorized row out of |M_b| from the scheduler's logits:
//   g    = -log(-log(U + 1e-20) + 1e-20),  U ~ U(0, 1)                     [code]
//   soft = softmax((logits + g) / tau)                                     (per row)
//   hard = one-hot(argmax soft)             what the forward pass uses
// and the backward pass treats hard as if it were soft (straight-through): dlogits is the
// gradient of sum(dhard ⊙ soft) with the noise held fixed, summed over the draws.
//
// U is the counter-based stream of core/random.hpp, element (r, j) taking number r * |M_b| + j of
// the seed's stream, so the draws do not depend on the thread count or the backend. Ties of the
// argmax go to the lower index.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/fast_math.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace methods {
namespace sgdl {
namespace detail {

// One row r of the sampler: noise, soft row and hard one-hot row, written by one thread. Loops
// without branches, so that the compiler vectorizes the logs and exponentials (math::fast_log and
// fast_exp in single precision: |B| x |M_b| of each per batch; libm in double).
template <class T>
struct gumbel_row {
  const T* logits;
  T* noise;
  T* soft;
  T* hard;
  random::counter_stream stream;
  std::size_t cols;
  T inv_tau;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t base = r * cols;
    T* g = noise + base;
    T* z = soft + base;
    const T eps = T(1e-20);
    for (std::size_t j = 0; j < cols; ++j) g[j] = stream.uniform<T>(static_cast<std::uint64_t>(base + j));
    for (std::size_t j = 0; j < cols; ++j) {
      g[j] = -math::fast_log(-math::fast_log(g[j] + eps) + eps);
      z[j] = (logits[j] + g[j]) * inv_tau;
    }
    // The first largest z (a NaN at 0 wins and makes the row NaN, caught by forward()).
    std::size_t best = 0;
    T best_z = z[0];
    for (std::size_t j = 1; j < cols; ++j) {
      if (z[j] > best_z) {
        best_z = z[j];
        best = j;
      }
    }
    for (std::size_t j = 0; j < cols; ++j) z[j] = math::fast_exp(z[j] - best_z);
    // Eight running sums: a single one is a chain of dependent additions.
    T partial[8] = {T(0), T(0), T(0), T(0), T(0), T(0), T(0), T(0)};
    std::size_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      for (std::size_t k = 0; k < 8; ++k) partial[k] += z[j + k];
    }
    for (std::size_t k = 0; j < cols; ++j, ++k) partial[k] += z[j];
    const T total = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                    ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    for (std::size_t i = 0; i < cols; ++i) {
      z[i] /= total;
      hard[base + i] = T(0);
    }
    hard[base + best] = T(1);
  }
};

// dz[r, j] = soft[r, j] * (dhard[r, j] - <dhard[r, :], soft[r, :]>) / tau: the softmax Jacobian
// applied to the upstream gradient, including the 1/tau of z = (logits + g) / tau.
template <class T>
struct softmax_backward_row {
  const T* soft;
  const T* dhard;
  T* dz;
  std::size_t cols;
  T inv_tau;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t base = r * cols;
    T inner = T(0);
    for (std::size_t j = 0; j < cols; ++j) inner += dhard[base + j] * soft[base + j];
    for (std::size_t j = 0; j < cols; ++j) dz[base + j] = soft[base + j] * (dhard[base + j] - inner) * inv_tau;
  }
};

}  // namespace detail

template <class B>
class StraightThroughGumbel {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;

  /// Draws `draws` rows over the |M_b| = logits.size() entries: hard (draws x |M_b|, one-hot)
  /// is the forward output; soft() and noise() keep the soft rows and the Gumbel noise for
  /// backward(). tau <= 0 (or not finite), draws == 0 or empty logits are a config_error; a
  /// non-finite logit is an input_error naming "logits".
  void forward(const vector& logits, std::size_t draws, double tau, std::uint64_t seed, matrix& hard) {
    forward(logits, draws, tau, random::counter_stream(seed), hard);
  }
  /// The same with U taken from `stream` (element (r, j) is its number r * |M_b| + j).
  void forward(const vector& logits, std::size_t draws, double tau, const random::counter_stream& stream,
               matrix& hard) {
    if (!(tau > 0.0) || !std::isfinite(tau)) {
      throw config_error("must be positive and finite (got " + std::to_string(tau) + ")", location::of_field("tau"));
    }
    if (draws == 0) throw config_error("must be at least 1", location::of_field("draws"));
    if (logits.size() == 0) throw config_error("is empty: nothing to sample from", location::of_field("logits"));
    const auto rows = static_cast<index_t>(draws);
    const auto cols = static_cast<index_t>(logits.size());
    noise_.resize(rows, cols);
    soft_.resize(rows, cols);
    hard.resize(rows, cols);
    tau_ = static_cast<scalar>(tau);
    B::launch(draws,
              detail::gumbel_row<scalar>{B::ptr(logits), B::ptr(noise_), B::ptr(soft_), B::ptr(hard),
                                         stream, logits.size(), scalar(1) / tau_},
              logits.size());
    // Every soft row sums to 1; a NaN or inf logit makes its rows NaN, caught here in one reduction.
    if (!std::isfinite(static_cast<double>(B::sum(soft_)))) {
      forwarded_ = false;
      throw input_error("contains a value that is not finite", location::of_field("logits"));
    }
    forwarded_ = true;
  }

  /// Straight-through backward of the last forward(): dlogits[j] = sum over draws r and entries i
  /// of dhard[r, i] * d soft[r, i] / d logits[j], the noise held fixed. dhard must have hard's shape.
  void backward(const matrix& dhard, vector& dlogits) {
    if (!forwarded_) throw config_error("backward() needs a forward() first", location::of_field("dhard"));
    if (dhard.rows() != soft_.rows() || dhard.cols() != soft_.cols()) {
      throw config_error("is " + std::to_string(dhard.rows()) + "x" + std::to_string(dhard.cols()) +
                             " but the forward drew " + std::to_string(soft_.rows()) + "x" +
                             std::to_string(soft_.cols()),
                         location::of_field("dhard"));
    }
    dz_.resize(soft_.rows(), soft_.cols());
    const auto cols = static_cast<std::size_t>(soft_.cols());
    B::launch(static_cast<std::size_t>(soft_.rows()),
              detail::softmax_backward_row<scalar>{B::ptr(soft_), B::ptr(dhard), B::ptr(dz_), cols, scalar(1) / tau_},
              cols);
    B::col_sum(dz_, dlogits);
  }

  /// The soft rows softmax((logits + g) / tau) of the last forward (draws x |M_b|).
  const matrix& soft() const noexcept { return soft_; }
  /// The Gumbel noise g of the last forward (draws x |M_b|).
  const matrix& noise() const noexcept { return noise_; }
  /// The temperature of the last forward.
  double tau() const noexcept { return static_cast<double>(tau_); }

 private:
  matrix noise_, soft_, dz_;
  scalar tau_ = scalar(1);
  bool forwarded_ = false;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
