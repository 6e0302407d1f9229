// LSTMCell<B>(in, hidden): one LSTM step (SGDL's scheduler runs one step per iteration).
// Gate order [i, f, g, o]:  a = x W_i + h W_h + b;  i, f, o = s(a_i, a_f, a_o);  g = tanh(a_g);
//   c' = f * c + i * g;   h' = o * tanh(c').
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
struct lstm_forward {
  T* gates;  // in: pre-activations, out: activations (batch x 4H)
  const T* c;
  T* c_out;
  T* h_out;
  T* tanh_c;
  std::size_t hidden;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    const std::size_t b = k / hidden, j = k % hidden, row = b * 4 * hidden;
    const T i = sigmoid_op{}.value(gates[row + j]);
    const T f = sigmoid_op{}.value(gates[row + hidden + j]);
    const T g = std::tanh(gates[row + 2 * hidden + j]);
    const T o = sigmoid_op{}.value(gates[row + 3 * hidden + j]);
    gates[row + j] = i;
    gates[row + hidden + j] = f;
    gates[row + 2 * hidden + j] = g;
    gates[row + 3 * hidden + j] = o;
    const T cn = f * c[k] + i * g;
    const T tc = std::tanh(cn);
    c_out[k] = cn;
    tanh_c[k] = tc;
    h_out[k] = o * tc;
  }
};

template <class T>
struct lstm_backward {
  const T* gates;
  const T* c;
  const T* tanh_c;
  const T* dh_out;
  const T* dc_out;  // may be nullptr (no gradient from the next cell state)
  T* dgates;
  T* dc;
  std::size_t hidden;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    const std::size_t b = k / hidden, j = k % hidden, row = b * 4 * hidden;
    const T i = gates[row + j], f = gates[row + hidden + j], g = gates[row + 2 * hidden + j],
            o = gates[row + 3 * hidden + j];
    const T tc = tanh_c[k];
    const T dct = (dc_out == nullptr ? T(0) : dc_out[k]) + dh_out[k] * o * (T(1) - tc * tc);
    dgates[row + j] = dct * g * i * (T(1) - i);
    dgates[row + hidden + j] = dct * c[k] * f * (T(1) - f);
    dgates[row + 2 * hidden + j] = dct * i * (T(1) - g * g);
    dgates[row + 3 * hidden + j] = dh_out[k] * tc * o * (T(1) - o);
    dc[k] = dct * f;
  }
};

}  // namespace kernels

template <class B>
class LSTMCell {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  LSTMCell(index_t in, index_t hidden, std::uint64_t seed = 0)
      : wi_(in, 4 * hidden), wh_(hidden, 4 * hidden), b_(1, 4 * hidden), dwi_(in, 4 * hidden),
        dwh_(hidden, 4 * hidden), db_(1, 4 * hidden) {
    if (in <= 0 || hidden <= 0) throw config_error("LSTMCell: in and hidden must be positive");
    reset(seed);
  }

  index_t in() const noexcept { return wi_.rows(); }
  index_t hidden() const noexcept { return wh_.rows(); }

  /// What forward() leaves for backward(): the inputs (referenced), the gate activations and tanh(c').
  struct cache {
    const matrix* x = nullptr;
    const matrix* h = nullptr;
    const matrix* c = nullptr;
    matrix gates, tanh_c;
  };

  /// (h_out, c_out) = LSTM(x, h, c). x, h and c must stay alive, unchanged and at the same address
  /// until backward().
  void forward(const matrix& x, const matrix& h, const matrix& c, matrix& h_out, matrix& c_out, cache& k) const {
    if (x.cols() != in() || h.cols() != hidden() || c.cols() != hidden() || h.rows() != x.rows() ||
        c.rows() != x.rows()) {
      throw config_error("LSTMCell::forward: expected x batch x " + std::to_string(in()) + ", h and c batch x " +
                         std::to_string(hidden()));
    }
    B::gemm(false, false, scalar(1), x, wi_, scalar(0), k.gates);
    B::gemm(false, false, scalar(1), h, wh_, scalar(1), k.gates);
    B::add_row_broadcast(k.gates, b_);
    h_out.resize(x.rows(), hidden());
    c_out.resize(x.rows(), hidden());
    k.tanh_c.resize(x.rows(), hidden());
    B::launch(h_out.size(), kernels::lstm_forward<scalar>{B::ptr(k.gates), B::ptr(c), B::ptr(c_out), B::ptr(h_out),
                                                          B::ptr(k.tanh_c), static_cast<std::size_t>(hidden())});
    k.x = &x;
    k.h = &h;
    k.c = &c;
  }

  /// Gradients of h_out and c_out (dc_out may be null) -> dx, dh, dc; accumulates parameter gradients.
  void backward(const cache& k, const matrix& dh_out, const matrix* dc_out, matrix& dx, matrix& dh, matrix& dc) {
    if (k.x == nullptr) throw config_error("LSTMCell::backward called before forward");
    B::require_same_shape(dh_out, k.tanh_c, "LSTMCell::backward");
    if (dc_out != nullptr) B::require_same_shape(*dc_out, k.tanh_c, "LSTMCell::backward");
    dgates_.resize(k.gates.rows(), k.gates.cols());
    dc.resize(dh_out.rows(), dh_out.cols());
    B::launch(dh_out.size(), kernels::lstm_backward<scalar>{B::ptr(k.gates), B::ptr(*k.c), B::ptr(k.tanh_c), B::ptr(dh_out),
                                                            dc_out == nullptr ? nullptr : B::ptr(*dc_out), B::ptr(dgates_),
                                                            B::ptr(dc), static_cast<std::size_t>(hidden())});
    B::gemm(true, false, scalar(1), *k.x, dgates_, scalar(1), dwi_);
    B::gemm(true, false, scalar(1), *k.h, dgates_, scalar(1), dwh_);
    B::col_sum(dgates_, db_, scalar(1));
    B::gemm(false, true, scalar(1), dgates_, wi_, scalar(0), dx);
    B::gemm(false, true, scalar(1), dgates_, wh_, scalar(0), dh);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"w_input", wi_, dwi_, nullptr});
    f(param_ref<B>{"w_hidden", wh_, dwh_, nullptr});
    f(param_ref<B>{"bias", b_, db_, nullptr});
  }

  /// U(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight and bias, as PyTorch does.
  void reset(std::uint64_t seed) {
    const double k = 1.0 / std::sqrt(static_cast<double>(hidden()));
    const auto how = init::uniform(-k, k);
    init::apply<B>(how, wi_, in(), hidden(), random::derive_seed(seed, "w_input"));
    init::apply<B>(how, wh_, hidden(), hidden(), random::derive_seed(seed, "w_hidden"));
    init::apply<B>(how, b_, 1, hidden(), random::derive_seed(seed, "bias"));
    for (matrix* g : {&dwi_, &dwh_, &db_}) B::fill(*g, scalar(0));
  }

 private:
  matrix wi_, wh_, b_, dwi_, dwh_, db_;
  matrix dgates_;  // backward() scratch
};

}  // namespace nn
}  // namespace denoise
