// MLP<B, Op>: Dense layers with the activation Op (ReLU by default) after every hidden layer,
// optional dropout after each hidden activation, and a linear (or activated) last layer.
// Like every layer, the per-forward state (each sub-layer's cache and the hidden activations)
// lives in a caller-owned MLP::cache; cache::replay makes the dropout layers reuse their masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "activation.hpp"
#include "dense.hpp"
#include "dropout.hpp"
#include "init.hpp"
#include "parameter.hpp"
#include "relu.hpp"

namespace denoise {
namespace nn {

struct mlp_options {
  double dropout = 0.0;                              ///< after each hidden activation
  init::initializer init = init::xavier_uniform();   ///< of every weight
  bool activate_last = false;                        ///< apply Op after the last layer too
};

template <class B, class Op = relu_op>
class MLP {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  /// sizes = {in, hidden..., out}: sizes.size() - 1 dense layers.
  MLP(const std::vector<index_t>& sizes, std::uint64_t seed = 0, mlp_options options = {}) : options_(options) {
    if (sizes.size() < 2) throw config_error("MLP: needs at least an input and an output size");
    const std::size_t n = sizes.size() - 1;
    for (std::size_t l = 0; l < n; ++l) {
      dense_.emplace_back(sizes[l], sizes[l + 1], 0, options.init);
      act_.emplace_back();
      drop_.emplace_back(options.dropout);
    }
    reset(seed);
  }

  std::size_t layers() const noexcept { return dense_.size(); }
  Dense<B>& layer(std::size_t l) { return dense_[l]; }
  index_t in() const noexcept { return dense_.front().in(); }
  index_t out() const noexcept { return dense_.back().out(); }

  void train(bool on = true) {
    for (auto& d : drop_) d.train(on);
  }
  void eval() { train(false); }

  /// What forward() leaves for backward()/tangent(): every sub-layer's cache and the hidden
  /// activations. Moving a cache keeps it valid (the matrices are held in std::vectors).
  struct cache {
    std::vector<typename Dense<B>::cache> dense;
    std::vector<typename Activation<B, Op>::cache> act;
    std::vector<typename Dropout<B>::cache> drop;
    std::vector<matrix> pre, post, out;
    bool replay = false;  ///< set by the caller: the next forward reuses the dropout masks
  };

  /// y = MLP(x). x (and y, when the last layer is activated) must stay alive, unchanged and at the
  /// same address until backward().
  void forward(const matrix& x, matrix& y, cache& c) {
    forward_impl(x, y, c, [&](matrix& first) { dense_[0].forward(x, first, c.dense[0]); });
  }

  /// forward() for a caller that computes the first layer's output itself (a model that splits
  /// x W0 into the products of x's halves, each over distinct rows only): `first_layer(out)` must
  /// write x W0 + b0 (x.rows() x layer(0).out()) to out. x is still recorded as the first layer's
  /// input, for tangent() and for a caller's own first-layer backward (see backward_to_first).
  template <class FirstLayer>
  void forward_with_first(const matrix& x, matrix& y, cache& c, FirstLayer&& first_layer) {
    forward_impl(x, y, c, [&](matrix& first) {
      dense_[0].attach(x, c.dense[0]);
      first_layer(first);
    });
  }

  /// Accumulates parameter gradients; dx = dL/dx.
  void backward(const cache& c, const matrix& dy, matrix& dx) { backward_impl(c, dy, &dx, nullptr); }
  void backward(const cache& c, const matrix& dy) { backward_impl(c, dy, nullptr, nullptr); }
  /// Accumulates the gradients of every layer but the first and writes d_first = dL/d(x W0 + b0),
  /// the gradient at the first layer's output: the backward of forward_with_first(), whose caller
  /// accumulates the first layer's gradients (layer(0).weight_grad(), bias_grad()) itself.
  void backward_to_first(const cache& c, const matrix& dy, matrix& d_first) { backward_impl(c, dy, nullptr, &d_first); }

  /// Forward mode: y_dot for input tangent x_dot (nullptr: constant input) and a direction whose
  /// parts [first, first + parameter_parts()) are this MLP's parameters in visit order, at the
  /// forward that filled c (same dropout masks).
  void tangent(const cache& c, const matrix* x_dot, const param_set<B>& dir, std::size_t first, matrix& y_dot) {
    if (c.dense.size() != dense_.size()) throw config_error("MLP::tangent called before forward");
    const matrix* in = x_dot;
    std::size_t part = first;
    for (std::size_t l = 0; l < dense_.size(); ++l) {
      const bool last = l + 1 == dense_.size();
      const matrix& dw = dir[part];
      const matrix& db = dense_[l].parameter_parts() > 1 ? dir[part + 1] : dir[part];
      part += dense_[l].parameter_parts();
      if (last && !options_.activate_last) {
        dense_[l].tangent(c.dense[l], in, dw, db, y_dot);
        break;
      }
      dense_[l].tangent(c.dense[l], in, dw, db, t1_);
      if (last) {
        act_[l].tangent(c.act[l], t1_, y_dot);
        break;
      }
      act_[l].tangent(c.act[l], t1_, t2_);
      if (options_.dropout > 0.0) {
        drop_[l].tangent(c.drop[l], t2_, t1_);
        swap(t1_, t3_);
      } else {
        swap(t2_, t3_);
      }
      in = &t3_;
    }
  }

  std::size_t parameter_parts() const noexcept {
    std::size_t n = 0;
    for (const auto& d : dense_) n += d.parameter_parts();
    return n;
  }

  template <class F>
  void visit_parameters(F&& f) {
    for (auto& d : dense_) d.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    for (std::size_t l = 0; l < dense_.size(); ++l) {
      dense_[l].reset(random::derive_seed(seed, static_cast<std::uint64_t>(l)));
    }
    reset_dropout(seed);
  }
  /// Restarts only the dropout masks' streams (weights untouched): the same seed replays the
  /// same masks, which gradient checks and reproducible evaluation rely on.
  void reset_dropout(std::uint64_t seed) {
    for (std::size_t l = 0; l < drop_.size(); ++l) {
      drop_[l].reset(random::derive_seed(seed, 1000u + static_cast<std::uint64_t>(l)));
    }
  }

 private:
  template <class FirstLayer>
  void forward_impl(const matrix& x, matrix& y, cache& c, FirstLayer&& first_layer) {
    const std::size_t n = dense_.size();
    if (c.dense.size() != n) {
      c.dense.resize(n);
      c.act.resize(n);
      c.drop.resize(n);
      c.pre.resize(n);
      c.post.resize(n);
      c.out.resize(n);
    }
    const matrix* in = &x;
    for (std::size_t l = 0; l < n; ++l) {
      const bool last = l + 1 == n;
      matrix& out = last && !options_.activate_last ? y : c.pre[l];
      if (l == 0) {
        first_layer(out);
      } else {
        dense_[l].forward(*in, out, c.dense[l]);
      }
      if (last && !options_.activate_last) break;
      if (last) {
        act_[l].forward(c.pre[l], y, c.act[l]);
        break;
      }
      act_[l].forward(c.pre[l], c.post[l], c.act[l]);
      if (options_.dropout > 0.0) {
        c.drop[l].replay = c.replay;
        drop_[l].forward(c.post[l], c.out[l], c.drop[l]);
        in = &c.out[l];
      } else {
        in = &c.post[l];
      }
    }
  }


  // d_first set: stop at the first layer's output (backward_to_first).
  void backward_impl(const cache& c, const matrix& dy, matrix* dx, matrix* d_first) {
    if (c.dense.size() != dense_.size()) throw config_error("MLP::backward called before forward");
    const matrix* g = &dy;
    for (std::size_t l = dense_.size(); l-- > 0;) {
      const bool last = l + 1 == dense_.size();
      matrix& d_pre = l == 0 && d_first != nullptr ? *d_first : gb_;  // dL/d(layer l's output)
      if (!last || options_.activate_last) {
        if (!last && options_.dropout > 0.0) {
          drop_[l].backward(c.drop[l], *g, ga_);
          act_[l].backward(c.act[l], ga_, d_pre);
        } else {
          act_[l].backward(c.act[l], *g, d_pre);
        }
        g = &d_pre;
      }
      if (l == 0 && d_first != nullptr) {
        if (g != d_first) B::copy(*g, *d_first);  // one linear layer: its output gradient is dy
        return;
      }
      if (l == 0) {
        if (dx != nullptr) {
          dense_[l].backward(c.dense[l], *g, *dx);
        } else {
          dense_[l].backward(c.dense[l], *g);
        }
      } else {
        dense_[l].backward(c.dense[l], *g, gc_);
        swap(gc_, gd_);
        g = &gd_;
      }
    }
  }

  mlp_options options_;
  std::vector<Dense<B>> dense_;
  std::vector<Activation<B, Op>> act_;
  std::vector<Dropout<B>> drop_;
  matrix ga_, gb_, gc_, gd_;  // backward() scratch
  matrix t1_, t2_, t3_;       // tangent() scratch
};

}  // namespace nn
}  // namespace denoise
