// CrossNetwork<B>: DCN's cross layers (Wang et al. 2017; pytorch-fm's CrossNetwork),
//   x_{l+1} = x0 (w_l^T x_l) + b_l + x_l,   l = 0 .. L-1,
// on the flattened field embeddings x0 (n x D). w_l: D x 1 (torch's default Linear init,
// U(+-1/sqrt(D))), b_l: 1 x D, zeros.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "detail/kernels.hpp"

namespace denoise {
namespace models {

template <class B>
class CrossNetwork {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;

  CrossNetwork(index_t dim, index_t layers, std::uint64_t seed = 0) : dim_(dim) {
    if (dim <= 0 || layers <= 0) throw config_error("CrossNetwork: dim and layers must be positive");
    for (index_t l = 0; l < layers; ++l) {
      w_.emplace_back(dim, 1);
      dw_.emplace_back(dim, 1);
      b_.emplace_back(1, dim);
      db_.emplace_back(1, dim);
    }
    reset(seed);
  }

  std::size_t layers() const noexcept { return w_.size(); }

  struct cache {
    const matrix* x0 = nullptr;
    std::vector<matrix> x;  ///< x_1 .. x_L
    std::vector<matrix> t;  ///< x_l w_l, n x 1 each
  };

  /// y = x_L. x0 must stay alive and unchanged until backward(); y is cache.x.back().
  const matrix& forward(const matrix& x0, cache& c) const {
    if (x0.cols() != dim_) throw config_error("CrossNetwork::forward: input has the wrong width");
    const std::size_t n = w_.size();
    c.x0 = &x0;
    c.x.resize(n);
    c.t.resize(n);
    const matrix* xl = &x0;
    for (std::size_t l = 0; l < n; ++l) {
      B::gemm(false, false, scalar(1), *xl, w_[l], scalar(0), c.t[l]);
      c.x[l].resize(x0.rows(), dim_);
      B::launch(static_cast<std::size_t>(x0.rows()),
                ctr_kernels::cross_layer<scalar>{B::ptr(x0), B::ptr(*xl), B::ptr(c.t[l]), B::ptr(b_[l]),
                                                 B::ptr(c.x[l]), static_cast<std::size_t>(dim_)},
                static_cast<std::size_t>(dim_));
      xl = &c.x[l];
    }
    return c.x.back();
  }

  /// Accumulates the gradients of w_l, b_l for dy = dL/dx_L, and ADDS dL/dx0 to dx0 (shaped).
  void backward(const cache& c, const matrix& dy, matrix& dx0) {
    if (c.x0 == nullptr) throw config_error("CrossNetwork::backward called before forward");
    const matrix& x0 = *c.x0;
    const auto d = static_cast<std::size_t>(dim_);
    const auto rows = static_cast<std::size_t>(x0.rows());
    B::copy(dy, g_);
    next_.resize(g_.rows(), g_.cols());
    a_.resize(x0.rows(), 1);
    for (std::size_t l = w_.size(); l-- > 0;) {
      const matrix& xl = l == 0 ? x0 : c.x[l - 1];
      B::col_sum(g_, db_[l], scalar(1));  // d b_l
      // a = dL/dt_l, dx0 += g t_l, next = dL/dx_l: one pass over the rows
      B::launch(rows,
                ctr_kernels::cross_layer_backward<scalar>{B::ptr(g_), B::ptr(x0), B::ptr(c.t[l]), B::ptr(w_[l]),
                                                          B::ptr(dx0), B::ptr(next_), B::ptr(a_), d},
                d);
      B::gemm(true, false, scalar(1), xl, a_, scalar(1), dw_[l]);  // d w_l += x_l^T a (a GEMV)
      using std::swap;
      swap(g_, next_);
    }
    B::axpy(scalar(1), g_, dx0);  // x_0 = x0
  }

  template <class F>
  void visit_parameters(F&& f) {
    for (std::size_t l = 0; l < w_.size(); ++l) {
      f(nn::param_ref<B>{"cross_weight", w_[l], dw_[l], nullptr});
      f(nn::param_ref<B>{"cross_bias", b_[l], db_[l], nullptr});
    }
  }

  void reset(std::uint64_t seed) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(dim_));
    for (std::size_t l = 0; l < w_.size(); ++l) {
      nn::init::apply<B>(nn::init::uniform(-bound, bound), w_[l], dim_, 1,
                         random::derive_seed(seed, static_cast<std::uint64_t>(l)));
      B::fill(b_[l], scalar(0));
      B::fill(dw_[l], scalar(0));
      B::fill(db_[l], scalar(0));
    }
  }

 private:
  index_t dim_;
  std::vector<matrix> w_, dw_, b_, db_;
  matrix g_, next_, a_;  // backward() scratch (a_: n x 1)
};

}  // namespace models
}  // namespace denoise
