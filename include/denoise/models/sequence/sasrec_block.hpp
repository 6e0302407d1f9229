// SASRecBlock<B>: one pre-LayerNorm Transformer block of SASRec (Kang & McAuley, ICDM 2018) on
// batch-major rows (b * steps + t):
//   h1 = x + dropout(attention(LN1(x)))         (causal multi-head self-attention)
//   y  = h1 + dropout(W2 relu(W1 LN2(h1) + b1) + b2)   (point-wise feed-forward, width = dim)
// The original applies the LayerNorm to the queries only; here (as in most re-implementations)
// queries, keys and values all read LN1(x).
#pragma once

#include <cstdint>

#include "../../backends/static_checks.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../nn/attention.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/dropout.hpp"
#include "../../nn/layer_norm.hpp"
#include "../../nn/parameter.hpp"
#include "../../nn/relu.hpp"

namespace denoise {
namespace models {

template <class B>
class SASRecBlock {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  SASRecBlock(index_t dim, index_t heads, double dropout, std::uint64_t seed = 0)
      : ln1_(dim), ln2_(dim), attn_(dim, heads, true), fc1_(dim, dim), fc2_(dim, dim), drop1_(dropout), drop2_(dropout) {
    reset(seed);
  }

  /// Every intermediate of one forward (the layers' caches point into it: it must not move
  /// between forward and backward).
  struct cache {
    typename nn::LayerNorm<B>::cache ln1, ln2;
    typename nn::MultiHeadSelfAttention<B>::cache attn;
    typename nn::Dense<B>::cache fc1, fc2;
    typename nn::ReLU<B>::cache relu;
    typename nn::Dropout<B>::cache d1, d2;
    matrix a, att, attd, h1, f, u, r, v, vd;
  };

  /// replay: reuse the dropout masks c holds from its previous forward.
  void forward(const matrix& x, index_t steps, matrix& y, cache& c, bool replay) {
    ln1_.forward(x, c.a, c.ln1);
    attn_.forward(c.a, steps, c.att, c.attn);
    c.d1.replay = replay;
    drop1_.forward(c.att, c.attd, c.d1);
    B::copy(x, c.h1);
    B::axpy(scalar(1), c.attd, c.h1);
    ln2_.forward(c.h1, c.f, c.ln2);
    fc1_.forward(c.f, c.u, c.fc1);
    relu_.forward(c.u, c.r, c.relu);
    fc2_.forward(c.r, c.v, c.fc2);
    c.d2.replay = replay;
    drop2_.forward(c.v, c.vd, c.d2);
    B::copy(c.h1, y);
    B::axpy(scalar(1), c.vd, y);
  }

  void backward(const cache& c, const matrix& dy, matrix& dx) {
    drop2_.backward(c.d2, dy, dv_);
    fc2_.backward(c.fc2, dv_, dr_);
    relu_.backward(c.relu, dr_, du_);
    fc1_.backward(c.fc1, du_, df_);
    ln2_.backward(c.ln2, df_, dh1_);
    B::axpy(scalar(1), dy, dh1_);  // the residual path
    drop1_.backward(c.d1, dh1_, datt_);
    attn_.backward(c.attn, datt_, da_);
    ln1_.backward(c.ln1, da_, dx);
    B::axpy(scalar(1), dh1_, dx);
  }

  void train(bool on = true) noexcept {
    drop1_.train(on);
    drop2_.train(on);
  }

  template <class F>
  void visit_parameters(F&& f) {
    ln1_.visit_parameters(f);
    attn_.visit_parameters(f);
    ln2_.visit_parameters(f);
    fc1_.visit_parameters(f);
    fc2_.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    ln1_.reset(seed);
    ln2_.reset(seed);
    attn_.reset(random::derive_seed(seed, "attention"));
    fc1_.reset(random::derive_seed(seed, "ffn1"));
    fc2_.reset(random::derive_seed(seed, "ffn2"));
    drop1_.reset(random::derive_seed(seed, "dropout1"));
    drop2_.reset(random::derive_seed(seed, "dropout2"));
  }

 private:
  nn::LayerNorm<B> ln1_, ln2_;
  nn::MultiHeadSelfAttention<B> attn_;
  nn::Dense<B> fc1_, fc2_;
  nn::ReLU<B> relu_;
  nn::Dropout<B> drop1_, drop2_;
  matrix dv_, dr_, du_, df_, dh1_, datt_, da_;  // backward() scratch
};

}  // namespace models
}  // namespace denoise
