// MultiHeadSelfAttention<B>(dim, heads, causal): SASRec's self-attention block core.
//   Q = X Wq + bq, K = X Wk + bk, V = X Wv + bv;  per head h (width d = dim / heads):
//   P = softmax(Q_h K_h^T / sqrt(d)) with future positions masked when causal;  O_h = P V_h;
//   Y = concat_h(O_h) Wo + bo.
// Inputs are batch-major: row b * steps + t is position t of sequence b. Each kernel thread owns
// one (sequence, head, position) row of outputs, so the pass is race-free and deterministic.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "dense.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {

struct attention_shape {
  std::size_t steps;  // T
  std::size_t heads;  // H
  std::size_t dim;    // D
  std::size_t width;  // D / H
  bool causal;
};

/// Row (b, h, i): P[(b,h,i), :] = softmax of the scores, O[(b,i), h-block] = P V.
template <class T>
struct attention_forward {
  const T* q;
  const T* k;
  const T* v;
  T* p;
  T* o;
  attention_shape s;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t row) const {
    const std::size_t i = row % s.steps, bh = row / s.steps, h = bh % s.heads, b = bh / s.heads;
    const std::size_t last = s.causal ? i + 1 : s.steps;
    const T* qi = q + (b * s.steps + i) * s.dim + h * s.width;
    T* pi = p + row * s.steps;
    T best = T(0);
    for (std::size_t j = 0; j < last; ++j) {
      const T* kj = k + (b * s.steps + j) * s.dim + h * s.width;
      T acc = T(0);
      for (std::size_t d = 0; d < s.width; ++d) acc += qi[d] * kj[d];
      pi[j] = acc * scale;
      if (j == 0 || pi[j] > best) best = pi[j];
    }
    T total = T(0);
    for (std::size_t j = 0; j < last; ++j) {
      pi[j] = std::exp(pi[j] - best);
      total += pi[j];
    }
    for (std::size_t j = 0; j < last; ++j) pi[j] /= total;
    for (std::size_t j = last; j < s.steps; ++j) pi[j] = T(0);
    T* oi = o + (b * s.steps + i) * s.dim + h * s.width;
    for (std::size_t d = 0; d < s.width; ++d) {
      T acc = T(0);
      for (std::size_t j = 0; j < last; ++j) acc += pi[j] * v[(b * s.steps + j) * s.dim + h * s.width + d];
      oi[d] = acc;
    }
  }
};

/// Row (b, h, i): dS = P * (dP - sum(P dP)) with dP = dO V^T; dQ = scale dS K.
template <class T>
struct attention_backward_q {
  const T* q;
  const T* k;
  const T* v;
  const T* p;
  const T* dout;
  T* ds;
  T* dq;
  attention_shape s;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t row) const {
    const std::size_t i = row % s.steps, bh = row / s.steps, h = bh % s.heads, b = bh / s.heads;
    const std::size_t last = s.causal ? i + 1 : s.steps;
    const T* doi = dout + (b * s.steps + i) * s.dim + h * s.width;
    const T* pi = p + row * s.steps;
    T* dsi = ds + row * s.steps;
    T c = T(0);
    for (std::size_t j = 0; j < last; ++j) {
      const T* vj = v + (b * s.steps + j) * s.dim + h * s.width;
      T acc = T(0);
      for (std::size_t d = 0; d < s.width; ++d) acc += doi[d] * vj[d];
      dsi[j] = acc;  // dP for now
      c += pi[j] * acc;
    }
    for (std::size_t j = 0; j < last; ++j) dsi[j] = pi[j] * (dsi[j] - c);
    for (std::size_t j = last; j < s.steps; ++j) dsi[j] = T(0);
    T* dqi = dq + (b * s.steps + i) * s.dim + h * s.width;
    for (std::size_t d = 0; d < s.width; ++d) {
      T acc = T(0);
      for (std::size_t j = 0; j < last; ++j) acc += dsi[j] * k[(b * s.steps + j) * s.dim + h * s.width + d];
      dqi[d] = scale * acc;
    }
  }
};

/// Row (b, h, j): dK = scale dS^T Q, dV = P^T dO.
template <class T>
struct attention_backward_kv {
  const T* q;
  const T* p;
  const T* ds;
  const T* dout;
  T* dk;
  T* dv;
  attention_shape s;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t row) const {
    const std::size_t j = row % s.steps, bh = row / s.steps, h = bh % s.heads, b = bh / s.heads;
    const std::size_t first = s.causal ? j : 0;
    T* dkj = dk + (b * s.steps + j) * s.dim + h * s.width;
    T* dvj = dv + (b * s.steps + j) * s.dim + h * s.width;
    for (std::size_t d = 0; d < s.width; ++d) {
      T ak = T(0), av = T(0);
      for (std::size_t i = first; i < s.steps; ++i) {
        const std::size_t r = (bh * s.steps + i) * s.steps + j;
        const std::size_t x = (b * s.steps + i) * s.dim + h * s.width + d;
        ak += ds[r] * q[x];
        av += p[r] * dout[x];
      }
      dkj[d] = scale * ak;
      dvj[d] = av;
    }
  }
};

}  // namespace kernels

template <class B>
class MultiHeadSelfAttention {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  MultiHeadSelfAttention(index_t dim, index_t heads, bool causal = true, std::uint64_t seed = 0)
      : heads_(heads), causal_(causal), q_(dim, dim), k_(dim, dim), v_(dim, dim), o_(dim, dim) {
    if (heads <= 0 || dim % heads != 0) throw config_error("MultiHeadSelfAttention: dim must be a multiple of heads");
    reset(seed);
  }

  index_t dim() const noexcept { return q_.in(); }
  index_t heads() const noexcept { return heads_; }
  /// What forward() leaves for backward(): the projections' caches, Q, K, V, the per-head
  /// outputs and the attention weights `p`, (batch * heads * steps) x steps.
  struct cache {
    typename Dense<B>::cache q, k, v, o;
    matrix qm, km, vm, om, p;
    index_t steps = 0;
  };

  /// x: (batch * steps) x dim, batch-major. x must stay alive and unchanged until backward().
  void forward(const matrix& x, index_t steps, matrix& y, cache& c) const {
    if (steps <= 0 || x.rows() % steps != 0) throw config_error("MultiHeadSelfAttention::forward: rows must be a multiple of steps");
    c.steps = steps;
    q_.forward(x, c.qm, c.q);
    k_.forward(x, c.km, c.k);
    v_.forward(x, c.vm, c.v);
    const auto s = shape(steps);
    c.p.resize(x.rows() / steps * heads_ * steps, steps);
    c.om.resize(x.rows(), dim());
    B::launch(static_cast<std::size_t>(c.p.rows()),
              kernels::attention_forward<scalar>{B::ptr(c.qm), B::ptr(c.km), B::ptr(c.vm), B::ptr(c.p), B::ptr(c.om), s,
                                                 scale()},
              s.steps * s.width);
    o_.forward(c.om, y, c.o);
  }

  void backward(const cache& c, const matrix& dy, matrix& dx) {
    if (c.steps == 0) throw config_error("MultiHeadSelfAttention::backward called before forward");
    const typename Dense<B>::cache o{&c.om};  // not c.o: the cache may have moved since forward()
    o_.backward(o, dy, dom_);
    const auto s = shape(c.steps);
    ds_.resize(c.p.rows(), c.p.cols());
    dq_.resize(dy.rows(), dim());
    dk_.resize(dy.rows(), dim());
    dv_.resize(dy.rows(), dim());
    B::launch(static_cast<std::size_t>(c.p.rows()),
              kernels::attention_backward_q<scalar>{B::ptr(c.qm), B::ptr(c.km), B::ptr(c.vm), B::ptr(c.p), B::ptr(dom_),
                                                    B::ptr(ds_), B::ptr(dq_), s, scale()},
              s.steps * s.width);
    B::launch(static_cast<std::size_t>(c.p.rows()),
              kernels::attention_backward_kv<scalar>{B::ptr(c.qm), B::ptr(c.p), B::ptr(ds_), B::ptr(dom_), B::ptr(dk_),
                                                     B::ptr(dv_), s, scale()},
              s.steps * s.width);
    q_.backward(c.q, dq_, dx);
    k_.backward(c.k, dk_, tmp_);
    B::axpy(scalar(1), tmp_, dx);
    v_.backward(c.v, dv_, tmp_);
    B::axpy(scalar(1), tmp_, dx);
  }

  template <class F>
  void visit_parameters(F&& f) {
    q_.visit_parameters(f);
    k_.visit_parameters(f);
    v_.visit_parameters(f);
    o_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) {
    q_.reset(random::derive_seed(seed, "query"));
    k_.reset(random::derive_seed(seed, "key"));
    v_.reset(random::derive_seed(seed, "value"));
    o_.reset(random::derive_seed(seed, "output"));
  }

 private:
  kernels::attention_shape shape(index_t steps) const {
    return {static_cast<std::size_t>(steps), static_cast<std::size_t>(heads_), static_cast<std::size_t>(dim()),
            static_cast<std::size_t>(dim() / heads_), causal_};
  }
  scalar scale() const { return static_cast<scalar>(1.0 / std::sqrt(static_cast<double>(dim() / heads_))); }

  index_t heads_;
  bool causal_;
  Dense<B> q_, k_, v_, o_;
  matrix ds_, dom_, dq_, dk_, dv_, tmp_;  // backward() scratch
};

}  // namespace nn
}  // namespace denoise
