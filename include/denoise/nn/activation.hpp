// Activation<B, Op>: an elementwise layer. Op is a functor type with
//   DENOISE_HOST_DEVICE T value(T x) const;               // y = f(x)
//   DENOISE_HOST_DEVICE T derivative(T x, T y) const;     // f'(x), given x and y = f(x)
// The built-in ones are ReLU, Sigmoid, Tanh and Softplus (relu.hpp, sigmoid.hpp, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"

namespace denoise {
namespace nn {
namespace kernels {

template <class T, class Op>
struct activation_forward {
  Op op;
  DENOISE_HOST_DEVICE T operator()(T x) const { return op.value(x); }
};

/// dx[i] = dy[i] * f'(x[i]) (also the tangent: y_dot = x_dot * f'(x)).
template <class T, class Op>
struct activation_backward {
  const T* x;
  const T* y;
  const T* dy;
  T* dx;
  Op op;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { dx[i] = dy[i] * op.derivative(x[i], y[i]); }
};

}  // namespace kernels

template <class B, class Op>
class Activation {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  explicit Activation(Op op = Op{}) : op_(op) {}

  /// What forward() leaves for backward()/tangent(): its input and output (referenced).
  struct cache {
    const matrix* x = nullptr;
    const matrix* y = nullptr;
  };

  /// y = f(x). x and y must stay alive, unchanged and at the same address until backward().
  void forward(const matrix& x, matrix& y, cache& c) const {
    B::map(x, y, kernels::activation_forward<scalar, Op>{op_});
    c.x = &x;
    c.y = &y;
  }
  /// dx = dy * f'(x)
  void backward(const cache& c, const matrix& dy, matrix& dx) const { apply_derivative(c, dy, dx, "backward"); }
  /// y_dot = x_dot * f'(x)
  void tangent(const cache& c, const matrix& x_dot, matrix& y_dot) const { apply_derivative(c, x_dot, y_dot, "tangent"); }

  template <class F>
  void visit_parameters(F&&) {}
  void reset(std::uint64_t) {}

 private:
  void apply_derivative(const cache& c, const matrix& d_in, matrix& d_out, const char* what) const {
    if (c.x == nullptr) throw config_error(std::string("Activation::") + what + " called before forward");
    B::require_same_shape(d_in, *c.x, "Activation");
    d_out.resize(d_in.rows(), d_in.cols());
    B::launch(d_in.size(), kernels::activation_backward<scalar, Op>{B::ptr(*c.x), B::ptr(*c.y), B::ptr(d_in),
                                                                    B::ptr(d_out), op_});
  }

  Op op_;
};

}  // namespace nn
}  // namespace denoise
