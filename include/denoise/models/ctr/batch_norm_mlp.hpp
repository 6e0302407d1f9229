// BatchNormMLP<B>: pytorch-fm's MultiLayerPerceptron. Each hidden layer is
// Linear -> BatchNorm -> ReLU -> Dropout(p); with an output layer, a final Linear -> 1.
// BatchNorm normalises with batch statistics in training mode and its running statistics in
// evaluation mode. The per-forward state (sub-layer caches, activations, dropout masks and
// BatchNorm batch statistics) lives in the caller's cache; cache::replay reuses the dropout masks
// and leaves the running statistics alone (finite differences, assumed updates).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../nn/activation.hpp"
#include "../../nn/batch_norm.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/dropout.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "../../nn/relu.hpp"

namespace denoise {
namespace models {

template <class B>
class BatchNormMLP {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  /// in -> hidden[0] -> ... -> hidden.back() (-> 1 when output_layer).
  BatchNormMLP(index_t in, const std::vector<index_t>& hidden, double dropout, bool output_layer,
               std::uint64_t seed = 0, nn::init::initializer how = nn::init::xavier_uniform(), double momentum = 0.1)
      : dropout_(dropout) {
    if (hidden.empty()) throw config_error("BatchNormMLP: needs at least one hidden layer");
    if (!(dropout >= 0.0 && dropout < 1.0)) throw config_error("BatchNormMLP: dropout must be in [0, 1)");
    index_t width = in;
    for (index_t h : hidden) {
      if (h <= 0) throw config_error("BatchNormMLP: hidden sizes must be positive");
      dense_.emplace_back(width, h, 0, how);
      norm_.emplace_back(h, momentum);
      act_.emplace_back();
      drop_.emplace_back(dropout);
      width = h;
    }
    if (output_layer) out_.emplace_back(width, 1, 0, how);
    reset(seed);
  }

  index_t in() const noexcept { return dense_.front().in(); }
  index_t out() const noexcept { return out_.empty() ? dense_.back().out() : 1; }
  std::size_t hidden_layers() const noexcept { return dense_.size(); }
  nn::BatchNorm<B>& batch_norm(std::size_t l) { return norm_[l]; }

  void train(bool on = true) {
    for (auto& n : norm_) n.train(on);
    for (auto& d : drop_) d.train(on);
  }

  struct cache {
    std::vector<typename nn::Dense<B>::cache> dense;
    std::vector<typename nn::BatchNorm<B>::cache> norm;
    std::vector<typename nn::Activation<B, nn::relu_op>::cache> act;
    std::vector<typename nn::Dropout<B>::cache> drop;
    typename nn::Dense<B>::cache out;
    std::vector<matrix> lin, bn, relu, kept;
    bool replay = false;  ///< set by the caller: reuse the dropout masks, keep the running statistics
  };

  /// y = MLP(x). x must stay alive, unchanged and at the same address until backward().
  void forward(const matrix& x, matrix& y, cache& c) {
    const std::size_t n = dense_.size();
    if (c.dense.size() != n) {
      c.dense.resize(n);
      c.norm.resize(n);
      c.act.resize(n);
      c.drop.resize(n);
      c.lin.resize(n);
      c.bn.resize(n);
      c.relu.resize(n);
      c.kept.resize(n);
    }
    const matrix* in = &x;
    for (std::size_t l = 0; l < n; ++l) {
      dense_[l].forward(*in, c.lin[l], c.dense[l]);
      c.norm[l].replay = c.replay;
      norm_[l].forward(c.lin[l], c.bn[l], c.norm[l]);
      act_[l].forward(c.bn[l], c.relu[l], c.act[l]);
      const bool last_hidden = l + 1 == n && out_.empty();
      c.drop[l].replay = c.replay;
      drop_[l].forward(c.relu[l], last_hidden ? y : c.kept[l], c.drop[l]);
      in = &c.kept[l];
    }
    if (!out_.empty()) out_.front().forward(*in, y, c.out);
  }

  /// Accumulates the parameter gradients and writes dx = dL/dx.
  void backward(const cache& c, const matrix& dy, matrix& dx) {
    if (c.dense.size() != dense_.size()) throw config_error("BatchNormMLP::backward called before forward");
    const matrix* g = &dy;
    if (!out_.empty()) {
      out_.front().backward(c.out, dy, ga_);
      g = &ga_;
    }
    for (std::size_t l = dense_.size(); l-- > 0;) {
      drop_[l].backward(c.drop[l], *g, gb_);
      act_[l].backward(c.act[l], gb_, gc_);
      norm_[l].backward(c.norm[l], gc_, gb_);
      dense_[l].backward(c.dense[l], gb_, l == 0 ? dx : ga_);
      g = &ga_;
    }
  }

  template <class F>
  void visit_parameters(F&& f) {
    for (std::size_t l = 0; l < dense_.size(); ++l) {
      dense_[l].visit_parameters(f);
      norm_[l].visit_parameters(f);
    }
    for (auto& o : out_) o.visit_parameters(f);
  }
  /// Each BatchNorm's running statistics (nn/buffers.hpp).
  template <class F>
  void visit_buffers(F&& f) {
    for (auto& n : norm_) n.visit_buffers(f);
  }

  /// Fresh weights, BatchNorm parameters and running statistics, and dropout streams.
  void reset(std::uint64_t seed) {
    for (std::size_t l = 0; l < dense_.size(); ++l) {
      dense_[l].reset(random::derive_seed(seed, static_cast<std::uint64_t>(l)));
      norm_[l].reset(0);
      drop_[l].reset(random::derive_seed(seed, 1000u + static_cast<std::uint64_t>(l)));
    }
    for (auto& o : out_) o.reset(random::derive_seed(seed, "output"));
  }

 private:
  double dropout_;
  std::vector<nn::Dense<B>> dense_;
  std::vector<nn::BatchNorm<B>> norm_;
  std::vector<nn::Activation<B, nn::relu_op>> act_;
  std::vector<nn::Dropout<B>> drop_;
  std::vector<nn::Dense<B>> out_;  // empty or one Linear -> 1
  matrix ga_, gb_, gc_;           // backward() scratch
};

}  // namespace models
}  // namespace denoise
