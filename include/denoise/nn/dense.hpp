// Dense<B>: y = x W + b with W in x out and b 1 x out; backward accumulates dW += x^T dy and
// db += column sums of dy, and gives dx = dy W^T.
#pragma once

#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "init.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {
/// Row r: y[r, :] = b (b has `cols` entries).
template <class T>
struct copy_row_to_rows {
  T* y;
  const T* b;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T* row = y + r * cols;
    for (std::size_t c = 0; c < cols; ++c) row[c] = b[c];
  }
};
}  // namespace kernels

template <class B>
class Dense {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  Dense(index_t in, index_t out, std::uint64_t seed = 0, init::initializer how = init::xavier_uniform(),
        bool bias = true)
      : init_(how), has_bias_(bias), w_(in, out), dw_(in, out), b_(1, out), db_(1, out) {
    if (in <= 0 || out <= 0) throw config_error("Dense: in and out must be positive");
    reset(seed);
  }

  index_t in() const noexcept { return w_.rows(); }
  index_t out() const noexcept { return w_.cols(); }
  matrix& weight() noexcept { return w_; }
  matrix& bias() noexcept { return b_; }
  matrix& weight_grad() noexcept { return dw_; }
  matrix& bias_grad() noexcept { return db_; }

  /// What forward() leaves for backward()/tangent(): the input (referenced, not copied).
  struct cache {
    const matrix* x = nullptr;
  };

  /// y = x W + b. x must stay alive, unchanged and at the same address until backward().
  void forward(const matrix& x, matrix& y, cache& c) const {
    check_input(x);
    if (has_bias_) {
      start_with_bias(x.rows(), y);
      B::gemm(false, false, scalar(1), x, w_, scalar(1), y);
    } else {
      B::gemm(false, false, scalar(1), x, w_, scalar(0), y);
    }
    c.x = &x;
  }

  /// y = `rows` copies of the bias row, for a product to be added to (gemm with beta = 1): one
  /// pass over y instead of a product's zero fill and then a bias pass. The product's sum for each
  /// entry is added to b once, as it was added once to the zero-started product before.
  void start_with_bias(index_t rows, matrix& y) const {
    y.resize(rows, out());
    const auto cols = static_cast<std::size_t>(out());
    B::launch(static_cast<std::size_t>(rows), kernels::copy_row_to_rows<scalar>{B::ptr(y), B::ptr(b_), cols}, cols);
  }

  /// Records x as the input of a forward the caller computed itself (a model's fused kernel), so
  /// that backward() and tangent() work as after forward(x, ...). Same lifetime rule for x.
  void attach(const matrix& x, cache& c) const {
    check_input(x);
    c.x = &x;
  }

  /// Accumulates the parameter gradients and writes dx = dy W^T.
  void backward(const cache& c, const matrix& dy, matrix& dx) {
    backward(c, dy);
    B::gemm(false, true, scalar(1), dy, w_, scalar(0), dx);
  }
  /// Accumulates the parameter gradients only (first layer: no input gradient needed).
  void backward(const cache& c, const matrix& dy) {
    if (c.x == nullptr) throw config_error("Dense::backward called before forward");
    if (dy.rows() != c.x->rows() || dy.cols() != out()) {
      throw config_error("Dense::backward: dy is " + std::to_string(dy.rows()) + "x" + std::to_string(dy.cols()) +
                         ", expected " + std::to_string(c.x->rows()) + "x" + std::to_string(out()));
    }
    B::gemm(true, false, scalar(1), *c.x, dy, scalar(1), dw_);
    if (has_bias_) B::col_sum(dy, db_, scalar(1));
  }

  /// Forward mode: y_dot = x_dot W + x dW + db (x_dot may be null for a constant input).
  void tangent(const cache& c, const matrix* x_dot, const matrix& d_w, const matrix& d_b, matrix& y_dot) const {
    if (c.x == nullptr) throw config_error("Dense::tangent called before forward");
    B::gemm(false, false, scalar(1), *c.x, d_w, scalar(0), y_dot);
    if (x_dot != nullptr) B::gemm(false, false, scalar(1), *x_dot, w_, scalar(1), y_dot);
    if (has_bias_) B::add_row_broadcast(y_dot, d_b);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"weight", w_, dw_, nullptr});
    if (has_bias_) f(param_ref<B>{"bias", b_, db_, nullptr});
  }
  /// Number of parameter matrices visit_parameters() reports (1 or 2).
  std::size_t parameter_parts() const noexcept { return has_bias_ ? 2 : 1; }

  void reset(std::uint64_t seed) {
    init::apply<B>(init_, w_, in(), out(), random::derive_seed(seed, "weight"));
    B::fill(b_, scalar(0));
    B::fill(dw_, scalar(0));
    B::fill(db_, scalar(0));
  }

 private:
  void check_input(const matrix& x) const {
    if (x.cols() != in()) {
      throw config_error("Dense::forward: input has " + std::to_string(x.cols()) + " columns, the layer expects " +
                         std::to_string(in()));
    }
  }

  init::initializer init_;
  bool has_bias_;
  matrix w_, dw_, b_, db_;
};

}  // namespace nn
}  // namespace denoise
