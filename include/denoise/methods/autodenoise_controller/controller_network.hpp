// ControllerNetwork<B>: the policy network Φ of Ge et al.'s AutoDenoise controller. A two-layer
// ReLU MLP on the state s of each sample, then a linear output of the head's width:
//
//   h = ReLU(W2 · ReLU(W1 · s + b1) + b2)     (hidden 64 by default: [ours], the paper gives none)
//   out = W3 · h + b3                          (A logits for the hard head, (μ, s) for the soft one)
//
// The state is detached from the recommender (the network never backpropagates into it), so
// backward() only accumulates Φ's gradients. The forward cache lives in the network: one batch
// is forwarded, scored and backpropagated before the next one.
#pragma once

#include <cstdint>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../../nn/init.hpp"
#include "../../nn/mlp.hpp"
#include "../../nn/parameter.hpp"

namespace denoise {
namespace methods {

template <class B>
class ControllerNetwork {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  /// `inputs`: the state width; `hidden`: both hidden layers; `outputs`: the head's width.
  ControllerNetwork(index_t inputs, index_t hidden, index_t outputs, std::uint64_t seed)
      : mlp_(sizes(inputs, hidden, outputs), seed) {}

  index_t inputs() const noexcept { return mlp_.in(); }
  index_t outputs() const noexcept { return mlp_.out(); }

  /// out (rows x outputs()) of the states (rows x inputs()); `state` must stay unchanged until backward().
  void forward(const matrix& state, matrix& out) {
    if (state.cols() != inputs()) {
      throw config_error("the controller's state has " + std::to_string(state.cols()) + " columns, the network " +
                             std::to_string(inputs()),
                         location::of_field("state"));
    }
    mlp_.forward(state, out, cache_);
  }
  /// Accumulates Φ's gradients of sum(dout ⊙ out) (the state is a constant: no input gradient).
  void backward(const matrix& dout) { mlp_.backward(cache_, dout); }

  template <class F>
  void visit_parameters(F&& f) {
    mlp_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) { mlp_.reset(seed); }

 private:
  static std::vector<index_t> sizes(index_t inputs, index_t hidden, index_t outputs) {
    if (inputs <= 0 || hidden <= 0 || outputs <= 0)
      throw config_error("the controller's sizes must be positive", location::of_field("hidden"));
    return {inputs, hidden, hidden, outputs};
  }

  nn::MLP<B> mlp_;
  typename nn::MLP<B>::cache cache_;
};

}  // namespace methods
}  // namespace denoise
