// methods::sgdl::WeightingNet<B>: SGDL's weighting function g(l; psi) = sigmoid(Linear(H -> 1)(
// ReLU(Linear(1 -> H)(l)))) (paper Eq. 5; H = 64 in the paper, 100 in the authors' code). It maps a
// sample's raw loss, detached from the model, to a weight in (0, 1).
//
//   WeightingNet<B> g(64, seed);
//   g.forward(losses, weights);       // one weight per loss; keeps what backward() needs
//   g.backward(upstream);             // accumulates d(sum_k upstream_k g_k) / d psi
//   adam.step(g);                     // psi is visited like any model's parameters
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../nn/activation.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/parameter.hpp"
#include "../../nn/relu.hpp"
#include "../../nn/sigmoid.hpp"

namespace denoise {
namespace methods {
namespace sgdl {
namespace kernels {
/// Copies n values between a flat vector and an n x 1 matrix (same layout).
template <class T>
struct copy_values {
  const T* in;
  T* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = in[i]; }
};
}  // namespace kernels

template <class B>
class WeightingNet {
 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;

  /// hidden: H; the weights are Xavier-uniform [paper], biases zero.
  explicit WeightingNet(index_t hidden = 64, std::uint64_t seed = 0) : in_(1, hidden), out_(hidden, 1) {
    if (hidden <= 0) throw config_error("sgdl weighting net: hidden must be positive", location::of_field("weight_hidden"));
    reset(seed);
  }

  index_t hidden() const noexcept { return in_.out(); }

  /// weights_k = g(loss_k). The losses are inputs only (no gradient flows back to them).
  void forward(const vector& loss, vector& weights) {
    const std::size_t n = loss.size();
    x_.resize(static_cast<index_t>(n), 1);
    B::launch(n, kernels::copy_values<scalar>{B::ptr(loss), B::ptr(x_)});
    in_.forward(x_, a1_, c_in_);
    relu_.forward(a1_, h_, c_relu_);
    out_.forward(h_, a2_, c_out_);
    sigmoid_.forward(a2_, y_, c_sigmoid_);
    weights.resize(n);
    B::launch(n, kernels::copy_values<scalar>{B::ptr(y_), B::ptr(weights)});
  }

  /// Accumulates into psi's gradients d(sum_k upstream_k weights_k) / d psi, at the last forward().
  void backward(const vector& upstream) {
    B::require_same_size(upstream.size(), static_cast<std::size_t>(y_.rows()), "WeightingNet::backward");
    dy_.resize(y_.rows(), 1);
    B::launch(upstream.size(), kernels::copy_values<scalar>{B::ptr(upstream), B::ptr(dy_)});
    sigmoid_.backward(c_sigmoid_, dy_, da2_);
    out_.backward(c_out_, da2_, dh_);
    relu_.backward(c_relu_, dh_, da1_);
    in_.backward(c_in_, da1_);
  }

  template <class F>
  void visit_parameters(F&& f) {
    in_.visit_parameters(f);
    out_.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    in_.reset(random::derive_seed(seed, "sgdl-weight-in"));
    out_.reset(random::derive_seed(seed, "sgdl-weight-out"));
  }

 private:
  nn::Dense<B> in_, out_;
  nn::Activation<B, nn::relu_op> relu_;
  nn::Activation<B, nn::sigmoid_op> sigmoid_;
  typename nn::Dense<B>::cache c_in_, c_out_;
  typename nn::Activation<B, nn::relu_op>::cache c_relu_;
  typename nn::Activation<B, nn::sigmoid_op>::cache c_sigmoid_;
  matrix x_, a1_, h_, a2_, y_;
  matrix dy_, da2_, dh_, da1_;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
