// methods::sgdl::MLPScheduler<B>: the MLP variant of SGDL's adaptive denoising scheduler: the
// logit of each memorized sample is s(factors; phi) = Linear(H -> 1)(ReLU(Linear(2 -> H)(factors)))
// [paper: "MLP"; one hidden layer, H = 64 ours]. factors = (loss at theta, gradient cosine between
// theta and the assumed theta_hat), one row per memorized sample.
//
// Scheduler interface (shared with LSTMScheduler), driven by SGDL once per batch:
//   begin(population)                      // number of memorized samples (slots), at the switch
//   forward(factors n x 2, slots, logits)  // slots: each row's memorized-sample index
//   backward(dlogits)                      // accumulates phi's gradients
//   commit()                               // end of the step (LSTM keeps its per-sample state)
//   visit_parameters(f), reset(seed)
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../core/error.hpp"
#include "../../nn/mlp.hpp"
#include "../../nn/parameter.hpp"
#include "weighting_net.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

template <class B>
class MLPScheduler {
 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;

  explicit MLPScheduler(index_t hidden = 64, std::uint64_t seed = 0) : net_({2, hidden, 1}, seed) {}

  void begin(std::size_t /*population*/) {}

  void forward(const matrix& factors, const typename B::index_vector& /*slots*/, vector& logits) {
    if (factors.cols() != 2) throw config_error("MLPScheduler: factors must have 2 columns");
    net_.forward(factors, y_, cache_);
    logits.resize(static_cast<std::size_t>(y_.rows()));
    B::launch(logits.size(), kernels::copy_values<scalar>{B::ptr(y_), B::ptr(logits)});
  }

  void backward(const vector& dlogits) {
    B::require_same_size(dlogits.size(), static_cast<std::size_t>(y_.rows()), "MLPScheduler::backward");
    dy_.resize(y_.rows(), 1);
    B::launch(dlogits.size(), kernels::copy_values<scalar>{B::ptr(dlogits), B::ptr(dy_)});
    net_.backward(cache_, dy_);
  }

  void commit() {}

  template <class F>
  void visit_parameters(F&& f) {
    net_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) { net_.reset(seed); }

 private:
  nn::MLP<B> net_;
  typename nn::MLP<B>::cache cache_;
  matrix y_, dy_;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
