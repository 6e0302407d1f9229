// mlp_logit_gradients<B, Op>: an MLP's share of a model's logit_gradients (logit_gradients.hpp).
// Given the per-row gradient dy[n, :] = d z_n / d y[n, :] of the logits with respect to the MLP's
// output (row n of the MLP feeds only logit n), it runs the MLP's backward chain row by row
// without touching the MLP's parameter gradients, and keeps every layer's per-row output gradient
// delta_l and the input gradient dx:
//   d z_n / d W_l = x_l[n, :]^T delta_l[n, :],   d z_n / d b_l = delta_l[n, :]
// with x_l the layer's input at the forward (after the previous layer's activation and dropout).
// Everything is read from the MLP's cache of that forward, so the dropout masks are the forward's.
//
//   nn::mlp_logit_gradients<B> tower;
//   tower.compute(mlp, ws_cache, dy);        // dy: N x mlp.out()
//   ... use tower.input_gradient() (N x mlp.in()) for the layers below ...
//   tower.append(mlp, ws_cache, out);         // one dense entry per weight and bias, visit order
#pragma once

#include <cstddef>
#include <vector>

#include "../core/error.hpp"
#include "activation.hpp"
#include "dropout.hpp"
#include "logit_gradients.hpp"
#include "mlp.hpp"
#include "relu.hpp"

namespace denoise {
namespace nn {

template <class B, class Op = relu_op>
class mlp_logit_gradients {
 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;
  using mlp_type = MLP<B, Op>;

  /// delta_l for every layer and dx, for the forward that filled c and the output gradient dy.
  void compute(mlp_type& mlp, const typename mlp_type::cache& c, const matrix& dy) {
    const std::size_t layers = mlp.layers();
    if (c.dense.size() != layers) throw config_error("mlp_logit_gradients: no forward in the cache");
    if (delta_.size() != layers) delta_.resize(layers);
    const matrix* g = &dy;
    for (std::size_t l = layers; l-- > 0;) {
      const bool last = l + 1 == layers;
      // The MLP's own backward order: dropout (hidden layers), then the activation. The cache
      // tells what the forward applied: an untouched dropout cache is the identity, and the last
      // layer's activation cache is set only when the MLP activates its output.
      if (!last) {
        identity_dropout_.backward(c.drop[l], *g, scratch_);
        act_.backward(c.act[l], scratch_, delta_[l]);
      } else if (c.act[l].x != nullptr) {
        act_.backward(c.act[l], *g, delta_[l]);
      } else {
        B::copy(*g, delta_[l]);
      }
      // dx = delta W^T: the gradient of the layer below (read above before this overwrites it)
      B::gemm(false, true, scalar(1), delta_[l], mlp.layer(l).weight(), scalar(0), dx_);
      g = &dx_;
    }
  }

  /// d z_n / d x[n, :] (N x mlp.in()), after compute().
  const matrix& input_gradient() const noexcept { return dx_; }

  /// Appends the MLP's entries to out, in the MLP's visit order (weight, then bias if any).
  void append(mlp_type& mlp, const typename mlp_type::cache& c, logit_gradients<B>& out) const {
    if (delta_.size() != mlp.layers()) throw config_error("mlp_logit_gradients::append called before compute");
    for (std::size_t l = 0; l < mlp.layers(); ++l) {
      out.dense(c.dense[l].x, &delta_[l]);
      if (mlp.layer(l).parameter_parts() > 1) out.dense(nullptr, &delta_[l]);
    }
  }

 private:
  std::vector<matrix> delta_;
  matrix dx_, scratch_;
  Activation<B, Op> act_{};
  Dropout<B> identity_dropout_{0.0};  // backward reads only the cache's mask
};

}  // namespace nn
}  // namespace denoise
