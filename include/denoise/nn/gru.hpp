// GRU<B>(in, hidden): a gated recurrent unit run over a whole sequence batch (GRU4Rec), with
// backpropagation through time. PyTorch's gate equations, gate order [r, z, n]:
//   r = s(x Wir + bir + h Whr + bhr)      z = s(x Wiz + biz + h Whz + bhz)
//   n = tanh(x Win + bin + r * (h Whn + bhn))     h' = (1 - z) * n + z * h,   h0 = 0.
// Inputs are time-major: row t * batch + b of x is step t of sequence b; so is the output.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "init.hpp"
#include "parameter.hpp"
#include "sigmoid.hpp"

namespace denoise {
namespace nn {
namespace kernels {

template <class T>
struct gru_step_forward {
  const T* gi;     // batch x 3H: x W_i + b_i at this step
  const T* gh;     // batch x 3H: h_prev W_h (no bias)
  const T* bh;     // 3H
  const T* hprev;  // batch x H, or nullptr for h0 = 0
  T* gates;        // batch x 3H: r, z, n
  T* h;            // batch x H
  std::size_t hidden;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t b = i / hidden, j = i % hidden, row = b * 3 * hidden;
    const T r = sigmoid_op{}.value(gi[row + j] + gh[row + j] + bh[j]);
    const T z = sigmoid_op{}.value(gi[row + hidden + j] + gh[row + hidden + j] + bh[hidden + j]);
    const T ghn = gh[row + 2 * hidden + j] + bh[2 * hidden + j];
    const T n = std::tanh(gi[row + 2 * hidden + j] + r * ghn);
    const T hp = hprev == nullptr ? T(0) : hprev[i];
    gates[row + j] = r;
    gates[row + hidden + j] = z;
    gates[row + 2 * hidden + j] = n;
    h[i] = (T(1) - z) * n + z * hp;
  }
};

template <class T>
struct gru_step_backward {
  const T* dh_out;  // batch x H: gradient of this step's output
  T* dh_next;       // batch x H: in: gradient from step t+1; out: direct part for step t-1
  const T* gates;
  const T* gh;
  const T* bh;
  const T* hprev;
  T* dgi;  // batch x 3H
  T* dgh;  // batch x 3H
  std::size_t hidden;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t b = i / hidden, j = i % hidden, row = b * 3 * hidden;
    const T dh = dh_out[i] + dh_next[i];
    const T r = gates[row + j], z = gates[row + hidden + j], n = gates[row + 2 * hidden + j];
    const T hp = hprev == nullptr ? T(0) : hprev[i];
    const T ghn = gh[row + 2 * hidden + j] + bh[2 * hidden + j];
    const T dan = dh * (T(1) - z) * (T(1) - n * n);
    const T dar = dan * ghn * r * (T(1) - r);
    const T daz = dh * (hp - n) * z * (T(1) - z);
    dgi[row + j] = dar;
    dgi[row + hidden + j] = daz;
    dgi[row + 2 * hidden + j] = dan;
    dgh[row + j] = dar;
    dgh[row + hidden + j] = daz;
    dgh[row + 2 * hidden + j] = dan * r;
    dh_next[i] = dh * z;
  }
};

}  // namespace kernels

template <class B>
class GRU {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  GRU(index_t in, index_t hidden, std::uint64_t seed = 0)
      : wi_(in, 3 * hidden), wh_(hidden, 3 * hidden), bi_(1, 3 * hidden), bh_(1, 3 * hidden),
        dwi_(in, 3 * hidden), dwh_(hidden, 3 * hidden), dbi_(1, 3 * hidden), dbh_(1, 3 * hidden) {
    if (in <= 0 || hidden <= 0) throw config_error("GRU: in and hidden must be positive");
    reset(seed);
  }

  index_t in() const noexcept { return wi_.rows(); }
  index_t hidden() const noexcept { return wh_.rows(); }

  /// What forward() leaves for backward(): the input and output (referenced), the gate
  /// pre-activations and activations of every step.
  struct cache {
    const matrix* x = nullptr;
    const matrix* h_all = nullptr;
    index_t steps = 0, batch = 0;
    matrix gi, gh, gates;
  };

  /// h_all = hidden states of every step ((steps * batch) x hidden, time-major).
  /// x and h_all must stay alive, unchanged and at the same address until backward().
  void forward(const matrix& x, index_t steps, matrix& h_all, cache& c) const {
    if (x.cols() != in()) throw config_error("GRU::forward: input has " + std::to_string(x.cols()) + " columns, expected " + std::to_string(in()));
    if (steps <= 0 || x.rows() % steps != 0) throw config_error("GRU::forward: rows must be a multiple of steps");
    const index_t batch = x.rows() / steps;
    c.steps = steps;
    c.batch = batch;
    const index_t h = hidden();
    B::gemm(false, false, scalar(1), x, wi_, scalar(0), c.gi);
    B::add_row_broadcast(c.gi, bi_);
    c.gh.resize(x.rows(), 3 * h);
    c.gates.resize(x.rows(), 3 * h);
    h_all.resize(x.rows(), h);
    for (index_t t = 0; t < steps; ++t) {
      auto gh_t = B::as_view(c.gh).row_block(t * batch, batch);
      const scalar* hprev = nullptr;
      if (t == 0) {
        B::fill_view(gh_t, scalar(0));
      } else {
        const auto hp = B::as_view(static_cast<const matrix&>(h_all)).row_block((t - 1) * batch, batch);
        B::gemm(false, false, scalar(1), hp, B::as_view(wh_), scalar(0), gh_t);
        hprev = hp.data;
      }
      B::launch(static_cast<std::size_t>(batch) * static_cast<std::size_t>(h),
                kernels::gru_step_forward<scalar>{row_ptr(c.gi, t, batch), gh_t.data, B::ptr(bh_), hprev,
                                                  row_ptr(c.gates, t, batch), row_ptr(h_all, t, batch),
                                                  static_cast<std::size_t>(h)});
    }
    c.x = &x;
    c.h_all = &h_all;
  }

  /// dh_all: gradient of every output step. Accumulates parameter gradients; dx = dL/dx.
  void backward(const cache& c, const matrix& dh_all, matrix& dx) {
    if (c.x == nullptr) throw config_error("GRU::backward called before forward");
    B::require_same_shape(dh_all, *c.h_all, "GRU::backward");
    const index_t h = hidden();
    const index_t batch = c.batch;
    dgi_.resize(c.x->rows(), 3 * h);
    dgh_.resize(batch, 3 * h);
    dh_next_.resize(batch, h);
    B::fill(dh_next_, scalar(0));
    for (index_t t = c.steps; t-- > 0;) {
      const scalar* hprev = t == 0 ? nullptr : row_ptr(*c.h_all, t - 1, batch);
      B::launch(static_cast<std::size_t>(batch) * static_cast<std::size_t>(h),
                kernels::gru_step_backward<scalar>{row_ptr(dh_all, t, batch), B::ptr(dh_next_), row_ptr(c.gates, t, batch),
                                                   row_ptr(c.gh, t, batch), B::ptr(bh_), hprev, row_ptr(dgi_, t, batch),
                                                   B::ptr(dgh_), static_cast<std::size_t>(h)});
      B::gemm(false, true, scalar(1), dgh_, wh_, scalar(1), dh_next_);
      if (t > 0) {
        const auto hp = B::as_view(*c.h_all).row_block((t - 1) * batch, batch);
        B::gemm(true, false, scalar(1), hp, B::as_view(static_cast<const matrix&>(dgh_)), scalar(1), B::as_view(dwh_));
      }
      B::col_sum(dgh_, dbh_, scalar(1));
    }
    B::gemm(true, false, scalar(1), *c.x, dgi_, scalar(1), dwi_);
    B::col_sum(dgi_, dbi_, scalar(1));
    B::gemm(false, true, scalar(1), dgi_, wi_, scalar(0), dx);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"w_input", wi_, dwi_, nullptr});
    f(param_ref<B>{"w_hidden", wh_, dwh_, nullptr});
    f(param_ref<B>{"b_input", bi_, dbi_, nullptr});
    f(param_ref<B>{"b_hidden", bh_, dbh_, nullptr});
  }

  /// U(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight and bias, as PyTorch does.
  void reset(std::uint64_t seed) {
    const double k = 1.0 / std::sqrt(static_cast<double>(hidden()));
    const auto how = init::uniform(-k, k);
    init::apply<B>(how, wi_, in(), hidden(), random::derive_seed(seed, "w_input"));
    init::apply<B>(how, wh_, hidden(), hidden(), random::derive_seed(seed, "w_hidden"));
    init::apply<B>(how, bi_, 1, hidden(), random::derive_seed(seed, "b_input"));
    init::apply<B>(how, bh_, 1, hidden(), random::derive_seed(seed, "b_hidden"));
    for (matrix* g : {&dwi_, &dwh_, &dbi_, &dbh_}) B::fill(*g, scalar(0));
  }

 private:
  static scalar* row_ptr(matrix& m, index_t t, index_t batch) {
    return B::ptr(m) + static_cast<std::size_t>(t) * static_cast<std::size_t>(batch) * static_cast<std::size_t>(m.cols());
  }
  static const scalar* row_ptr(const matrix& m, index_t t, index_t batch) {
    return B::ptr(m) + static_cast<std::size_t>(t) * static_cast<std::size_t>(batch) * static_cast<std::size_t>(m.cols());
  }

  matrix wi_, wh_, bi_, bh_, dwi_, dwh_, dbi_, dbh_;
  matrix dgi_, dgh_, dh_next_;  // backward() scratch
};

}  // namespace nn
}  // namespace denoise
