// NGCF<B>: Wang et al., "Neural Graph Collaborative Filtering", SIGIR 2019, as its PyTorch
// reference computes it. Nodes are the users then the items; E^(0) are their embeddings. Per
// layer k = 0 .. L-1, with Â = D^-1 (A + I) (the reference's normalization):
//   S = Â E^(k)                                             (side embeddings)
//   Z = S W_gc + b_gc + (E^(k) ⊙ S) W_bi + b_bi
//   E^(k+1) = dropout(LeakyReLU_0.2(Z))                    (message dropout)
//   N^(k+1) = E^(k+1) / max(|E^(k+1)|_row, 1e-12)           (what the final embedding keeps)
// final e = [E^(0) || N^(1) || ... || N^(L)]  ((L + 1) · factor wide, 256 at the defaults);
// logit(u, i) = e_u · e_i. The next layer reads the unnormalized E^(k+1), as in the reference.
// Node dropout (off by default, as the reference's flag): each stored entry of Â is dropped with
// probability p and the kept ones scaled by 1 / (1 - p), one mask per training forward shared by
// all layers. Initialization is Xavier-uniform everywhere (biases included), as the reference.
// Optional L2 on the batch's final rows: backward() adds the gradient of
// (l2 / 2) · (1 / pairs) · sum_n (|e_{u_n}|^2 + |e_{i_n}|^2), not part of the logits; see
// docs/models.md for how this compares with the reference's per-triple decay.
//
// Every forward() propagates the whole graph (L sparse products and 2L gemms over all nodes);
// backward() goes back through the layers with Â^T, so all gradients are dense.
// Masks: one per training forward from counter streams of (seed, forward count), the same on
// every backend; workspace::replay reuses a workspace's masks. eval() turns both dropouts off.
// jvp() is not provided: nn::jvp falls back to finite differences with mask replay.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/dropout.hpp"
#include "../nn/graph/graph_ops.hpp"
#include "../nn/graph/normalized_adjacency.hpp"
#include "../nn/graph/sparse_propagation.hpp"
#include "../nn/init.hpp"
#include "../nn/parameter.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct ngcf_options {
  index_t factor = 64;             ///< embedding and layer width
  index_t layers = 3;              ///< L
  double message_dropout = 0.1;    ///< p of the dropout after each layer (training mode)
  double node_dropout = 0.0;       ///< p of dropping each entry of Â per training forward (0: off)
  double l2 = 0.0;                 ///< L2 on the batch's final rows (see the file comment)
  double negative_slope = 0.2;     ///< LeakyReLU
  csr_view user_items{};           ///< row u = the training items of user u (copied; rows() == users)
  nn::init::initializer init = nn::init::xavier_uniform();  ///< embeddings, weights and biases
};

namespace kernels {

/// p[e] = h[e] * s[e], h in two stacked blocks.
template <class T>
struct ngcf_bi_product {
  const T* h_top;
  const T* h_bottom;
  index_t split;
  const T* s;
  T* p;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const auto r = static_cast<index_t>(e / cols);
    p[e] = nn::graph::kernels::stacked_row(h_top, h_bottom, split, r, cols)[e % cols] * s[e];
  }
};

/// h[e] = LeakyReLU(z[e]) * mask[e]  (mask null: 1).
template <class T>
struct ngcf_activate {
  const T* z;
  const T* mask;
  T slope;
  T* h;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const T a = z[e] > T(0) ? z[e] : slope * z[e];
    h[e] = mask ? a * mask[e] : a;
  }
};

/// Row r: norm[r] = max(|h_r|, eps); f[r, offset + c] = h[r, c] / norm[r]. With h null, f's
/// block is filled from two stacked blocks (E^(0)) instead, and norm is not written.
template <class T>
struct ngcf_put_block {
  const T* h;
  const T* top;
  const T* bottom;
  index_t split;
  T* norm;
  T* f;
  std::size_t f_cols;
  std::size_t offset;
  std::size_t cols;
  T eps;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T* out = f + r * f_cols + offset;
    if (!h) {
      const T* in = nn::graph::kernels::stacked_row(top, bottom, split, static_cast<index_t>(r), cols);
      for (std::size_t c = 0; c < cols; ++c) out[c] = in[c];
      return;
    }
    const T* in = h + r * cols;
    T ss = T(0);
    for (std::size_t c = 0; c < cols; ++c) ss += in[c] * in[c];
    T n = std::sqrt(ss);
    if (n < eps) n = eps;
    norm[r] = n;
    for (std::size_t c = 0; c < cols; ++c) out[c] = in[c] / n;
  }
};

/// Row r of the normalization's backward: dh[r, :] += (dn - n (n · dn)) / norm (norm above eps),
/// dn / eps otherwise; n and dn read from f and df at offset.
template <class T>
struct ngcf_normalize_backward {
  const T* f;
  const T* df;
  const T* norm;
  std::size_t f_cols;
  std::size_t offset;
  T* dh;
  std::size_t cols;
  T eps;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* n = f + r * f_cols + offset;
    const T* dn = df + r * f_cols + offset;
    T* out = dh + r * cols;
    const T scale = norm[r];
    if (scale > eps) {
      T dot = T(0);
      for (std::size_t c = 0; c < cols; ++c) dot += n[c] * dn[c];
      for (std::size_t c = 0; c < cols; ++c) out[c] += (dn[c] - n[c] * dot) / scale;
    } else {
      for (std::size_t c = 0; c < cols; ++c) out[c] += dn[c] / scale;
    }
  }
};

/// dz[e] = dh[e] * mask[e] * LeakyReLU'(z[e]).
template <class T>
struct ngcf_activate_backward {
  const T* dh;
  const T* mask;
  const T* z;
  T slope;
  T* dz;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const T g = mask ? dh[e] * mask[e] : dh[e];
    dz[e] = z[e] > T(0) ? g : slope * g;
  }
};

/// From t = dZ W_bi^T: ds[e] += t[e] * h[e] (h stacked), dh_local[e] = t[e] * s[e].
template <class T>
struct ngcf_bi_backward {
  const T* t;
  const T* h_top;
  const T* h_bottom;
  index_t split;
  const T* s;
  T* ds;
  T* dh_local;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const auto r = static_cast<index_t>(e / cols);
    ds[e] += t[e] * nn::graph::kernels::stacked_row(h_top, h_bottom, split, r, cols)[e % cols];
    dh_local[e] = t[e] * s[e];
  }
};

}  // namespace kernels

template <class B>
class NGCF {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = ngcf_options;
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward: the masks, each layer's side, product,
  /// pre-activation and output, the row norms, the final table and the backward's scratch.
  class workspace {
   public:
    /// When true, the next forward() reuses this workspace's dropout masks from its previous
    /// training forward, and the model's mask stream does not advance.
    bool replay = false;

   private:
    friend NGCF;
    struct state {
      vector node_mask, message_mask;
      bool node_dropped = false, message_dropped = false, has_masks = false;
      std::vector<matrix> side, prod, pre, out;
      vector norms;  // L x nodes
      matrix final;
      index_vector node, touched;
      matrix src, dfinal, dh, dh_next, dz, ds, t, dh_local;
      typename B::scatter_workspace scatter;
      const index_vector* users = nullptr;
      const index_vector* items = nullptr;
      std::size_t pairs = 0;
      std::uint64_t version = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "ngcf"; }

  NGCF(index_t users, index_t items, ngcf_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        users_(users, options.factor),
        items_(items, options.factor),
        du_(users, options.factor),
        di_(items, options.factor) {
    const auto l = static_cast<std::size_t>(options.layers);
    for (auto* v : {&w_gc_, &dw_gc_, &w_bi_, &dw_bi_}) v->assign(l, matrix(options.factor, options.factor));
    for (auto* v : {&b_gc_, &db_gc_, &b_bi_, &db_bi_}) v->assign(l, matrix(1, options.factor));
    for (std::size_t k = 0; k < l; ++k) {
      for (const char* part : {"gc_weight_", "gc_bias_", "bi_weight_", "bi_bias_"}) names_.push_back(part + std::to_string(k));
    }
    set_user_items(options.user_items);
    options_.user_items = csr_view{};  // the copy is kept; the caller's memory is not referenced
    reset(seed);
  }
  /// Convenience: the training items given apart from the other options.
  NGCF(index_t users, index_t items, csr_view user_items, ngcf_options options = {}, std::uint64_t seed = 0)
      : NGCF(users, items, with_items(options, user_items), seed) {}

  index_t users() const noexcept { return users_.rows(); }
  index_t items() const noexcept { return items_.rows(); }
  index_t factor() const noexcept { return options_.factor; }
  index_t layers() const noexcept { return options_.layers; }
  const ngcf_options& options() const noexcept { return options_; }  ///< user_items is not kept here
  const nn::graph::NormalizedAdjacency<B>& adjacency() const noexcept { return adj_; }
  /// Width of the final embedding: (L + 1) · factor.
  index_t embedding_dim() const noexcept { return (options_.layers + 1) * options_.factor; }

  /// Replaces the training graph (copied). Must have users() rows and ids below items().
  void set_user_items(csr_view rows) {
    adj_.assign(rows, users(), items(), nn::graph::normalization::mean_with_self_loops);
    ++version_;
  }

  /// Dropouts on (training) or off (evaluation).
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }
  /// Training forwards since reset(): the mask stream of the next one.
  std::uint64_t dropouts() const noexcept { return calls_; }
  void set_dropouts(std::uint64_t count) noexcept { calls_ = count; }

  matrix& user_embedding() noexcept { return users_; }
  matrix& item_embedding() noexcept { return items_; }

  /// logits[n] = e_{users[n]} · e_{items[n]} after propagating the whole graph. The batch must
  /// stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "NGCF");
    if (s->version != version_) throw config_error("NGCF::backward: set_user_items() was called since this workspace's forward");
    const index_t nodes = adj_.nodes();
    const index_t d = options_.factor;
    const auto cols = static_cast<std::size_t>(d);
    const auto fcols = static_cast<std::size_t>(embedding_dim());
    const std::size_t n = s->pairs;
    const auto slope = static_cast<scalar>(options_.negative_slope);
    const scalar coef = options_.l2 > 0.0 && n > 0 ? static_cast<scalar>(options_.l2 / static_cast<double>(n)) : scalar(0);
    // dE (final table), with the L2 term on the same rows
    s->node.resize(2 * n);
    s->src.resize(static_cast<index_t>(2 * n), embedding_dim());
    const scalar* f = B::ptr(s->final);
    B::launch(2 * n,
              nn::graph::kernels::pair_grad_rows<scalar>{B::ptr(*s->users), B::ptr(*s->items), B::ptr(dlogits), f,
                                                         coef != scalar(0) ? f : nullptr,
                                                         f + static_cast<std::size_t>(users()) * fcols, coef, users(), n,
                                                         B::ptr(s->node), B::ptr(s->src), fcols},
              fcols);
    s->dfinal.resize(nodes, embedding_dim());
    B::fill(s->dfinal, scalar(0));
    B::scatter_add_rows(s->dfinal, s->node, s->src, s->touched, s->scatter);
    // back through the layers; dh holds dL/dE^(k+1) (nothing reads E^(L) but its normalization)
    const std::size_t table = static_cast<std::size_t>(nodes) * cols;
    for (auto* m : {&s->dh, &s->dh_next, &s->dz, &s->ds, &s->t, &s->dh_local}) m->resize(nodes, d);
    B::fill(s->dh, scalar(0));
    const scalar eps = static_cast<scalar>(1e-12);
    for (index_t k = options_.layers; k-- > 0;) {
      const auto ku = static_cast<std::size_t>(k);
      B::launch(static_cast<std::size_t>(nodes),
                kernels::ngcf_normalize_backward<scalar>{f, B::ptr(s->dfinal), B::ptr(s->norms) + ku * static_cast<std::size_t>(nodes),
                                                         fcols, (ku + 1) * cols, B::ptr(s->dh), cols, eps},
                cols);
      B::launch(table, kernels::ngcf_activate_backward<scalar>{B::ptr(s->dh), message_mask(*s, k), B::ptr(s->pre[ku]), slope,
                                                               B::ptr(s->dz)});
      B::gemm(true, false, scalar(1), s->side[ku], s->dz, scalar(1), dw_gc_[ku]);
      B::gemm(true, false, scalar(1), s->prod[ku], s->dz, scalar(1), dw_bi_[ku]);
      B::col_sum(s->dz, db_gc_[ku], scalar(1));
      B::col_sum(s->dz, db_bi_[ku], scalar(1));
      B::gemm(false, true, scalar(1), s->dz, w_gc_[ku], scalar(0), s->ds);
      B::gemm(false, true, scalar(1), s->dz, w_bi_[ku], scalar(0), s->t);
      const scalar* h_top = k == 0 ? B::ptr(users_) : B::ptr(s->out[ku - 1]);
      const scalar* h_bottom = k == 0 ? B::ptr(items_) : h_top + static_cast<std::size_t>(users()) * cols;
      B::launch(table, kernels::ngcf_bi_backward<scalar>{B::ptr(s->t), h_top, h_bottom, users(), B::ptr(s->side[ku]),
                                                         B::ptr(s->ds), B::ptr(s->dh_local), cols});
      // dE^(k) = (E^(k) ⊙ S)' part + Â^T dS
      nn::graph::propagate_raw(adj_, B::ptr(s->ds), B::ptr(s->ds) + static_cast<std::size_t>(users()) * cols, d,
                               B::ptr(s->dh_next), B::ptr(s->dh_local), true, s->node_dropped ? &s->node_mask : nullptr);
      std::swap(s->dh, s->dh_next);
    }
    // E^(0): its own block of the final table and what the first layer sends back
    const auto both = static_cast<std::size_t>(nodes) * cols;
    B::launch(both, nn::graph::kernels::stacked_axpy<scalar>{scalar(1), B::ptr(s->dfinal), fcols, 0, B::ptr(du_), B::ptr(di_),
                                                             users(), cols});
    B::launch(both, nn::graph::kernels::stacked_axpy<scalar>{scalar(1), B::ptr(s->dh), cols, 0, B::ptr(du_), B::ptr(di_),
                                                             users(), cols});
  }

  /// Convenience over a workspace the model owns (not part of the Model policy).
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  void backward(const vector& dlogits) { backward(own_, dlogits); }

  /// The two embedding tables, then per layer W_gc, b_gc, W_bi, b_bi; all gradients dense.
  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"user_embedding", users_, du_, nullptr});
    f(nn::param_ref<B>{"item_embedding", items_, di_, nullptr});
    for (std::size_t k = 0; k < w_gc_.size(); ++k) {
      f(nn::param_ref<B>{names_[4 * k].c_str(), w_gc_[k], dw_gc_[k], nullptr});
      f(nn::param_ref<B>{names_[4 * k + 1].c_str(), b_gc_[k], db_gc_[k], nullptr});
      f(nn::param_ref<B>{names_[4 * k + 2].c_str(), w_bi_[k], dw_bi_[k], nullptr});
      f(nn::param_ref<B>{names_[4 * k + 3].c_str(), b_bi_[k], db_bi_[k], nullptr});
    }
  }

  /// Fresh parameters and mask streams from one seed; gradients zeroed.
  void reset(std::uint64_t seed) {
    const index_t d = options_.factor;
    nn::init::apply<B>(options_.init, users_, d, users(), random::derive_seed(seed, "ngcf.user"));
    nn::init::apply<B>(options_.init, items_, d, items(), random::derive_seed(seed, "ngcf.item"));
    B::fill(du_, scalar(0));
    B::fill(di_, scalar(0));
    for (std::size_t k = 0; k < w_gc_.size(); ++k) {
      const std::uint64_t layer = random::derive_seed(seed, static_cast<std::uint64_t>(k));
      nn::init::apply<B>(options_.init, w_gc_[k], d, d, random::derive_seed(layer, "ngcf.gc_weight"));
      nn::init::apply<B>(options_.init, b_gc_[k], d, 1, random::derive_seed(layer, "ngcf.gc_bias"));
      nn::init::apply<B>(options_.init, w_bi_[k], d, d, random::derive_seed(layer, "ngcf.bi_weight"));
      nn::init::apply<B>(options_.init, b_bi_[k], d, 1, random::derive_seed(layer, "ngcf.bi_bias"));
      for (auto* g : {&dw_gc_[k], &db_gc_[k], &dw_bi_[k], &db_bi_[k]}) B::fill(*g, scalar(0));
    }
    mask_seed_ = random::derive_seed(seed, "ngcf.dropout");
    calls_ = 0;
  }

  /// scores[r, j] = e_{users[r]} · e_j without dropout (one propagation, one gemm). Own buffers.
  void score(const index_vector& users, matrix& scores) {
    B::check_indices(users, this->users(), "NGCF::score (users)");
    auto& s = score_ws_.s_.get();
    propagate_all(s, false);
    B::gather_rows(s.final, users, su_);
    scores.resize(static_cast<index_t>(users.size()), items());
    const typename B::const_view item_rows{
        B::ptr(s.final) + static_cast<std::size_t>(this->users()) * static_cast<std::size_t>(embedding_dim()), items(),
        embedding_dim()};
    B::gemm(false, true, scalar(1), B::as_view(static_cast<const matrix&>(su_)), item_rows, scalar(0), B::as_view(scores));
  }

  /// out[n, :] = [e_{users[n]} || e_{items[n]}] without dropout (2 (L + 1) factor columns). Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "NGCF::features");
    B::check_indices(users, this->users(), "NGCF::features (users)");
    B::check_indices(items, this->items(), "NGCF::features (items)");
    auto& s = score_ws_.s_.get();
    propagate_all(s, false);
    B::gather_rows(s.final, users, fu_);
    f_items_.resize(items.size());
    B::launch(items.size(), offset_ids{B::ptr(items), B::ptr(f_items_), this->users()});
    B::gather_rows(s.final, f_items_, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fu_, out, 0);
    detail::put_cols<B>(fi_, out, embedding_dim());
  }
  index_t feature_dim() const noexcept { return 2 * embedding_dim(); }

 private:
  struct offset_ids {
    const index_t* in;
    index_t* out;
    index_t offset;
    DENOISE_HOST_DEVICE void operator()(std::size_t k) const { out[k] = in[k] + offset; }
  };

  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "NGCF");
    B::check_indices(users, this->users(), "NGCF::forward (users)");
    B::check_indices(items, this->items(), "NGCF::forward (items)");
    auto& s = ws.s_.get();
    s.forwarded = false;
    const bool node = training_ && options_.node_dropout > 0.0;
    const bool message = training_ && options_.message_dropout > 0.0;
    if (node || message) {
      if (ws.replay) {
        if (!s.has_masks || s.version != version_ || s.node_dropped != node || s.message_dropped != message) {
          throw config_error("NGCF::forward: replay needs the dropout masks of a previous training forward with this "
                             "workspace (on the current training graph)");
        }
      } else {
        draw_masks(s, node, message);
      }
    }
    s.node_dropped = node;
    s.message_dropped = message;
    s.version = version_;
    propagate_all(s, true);
    logits.resize(users.size());
    const auto fcols = static_cast<std::size_t>(embedding_dim());
    B::launch(users.size(),
              nn::graph::kernels::pair_dot<scalar>{B::ptr(s.final), nullptr, B::ptr(users), B::ptr(items), this->users(),
                                                   B::ptr(logits), fcols},
              fcols);
    s.users = &users;
    s.items = &items;
    s.pairs = users.size();
    s.forwarded = true;
  }

  void draw_masks(typename workspace::state& s, bool node, bool message) {
    const std::uint64_t call = random::derive_seed(mask_seed_, calls_++);
    if (node) {
      const double p = options_.node_dropout;
      s.node_mask.resize(adj_.nnz());
      B::launch(s.node_mask.size(),
                nn::kernels::dropout_mask<scalar>{B::ptr(s.node_mask), random::counter_stream(random::derive_seed(call, "node")),
                                                  static_cast<scalar>(p), static_cast<scalar>(1.0 / (1.0 - p))});
    }
    if (message) {
      const double p = options_.message_dropout;
      s.message_mask.resize(static_cast<std::size_t>(adj_.nodes()) * static_cast<std::size_t>(options_.factor) *
                            static_cast<std::size_t>(options_.layers));
      B::launch(s.message_mask.size(),
                nn::kernels::dropout_mask<scalar>{B::ptr(s.message_mask),
                                                  random::counter_stream(random::derive_seed(call, "message")),
                                                  static_cast<scalar>(p), static_cast<scalar>(1.0 / (1.0 - p))});
    }
    s.has_masks = true;
  }

  const scalar* message_mask(const typename workspace::state& s, index_t k) const {
    if (!s.message_dropped) return nullptr;
    return B::ptr(s.message_mask) + static_cast<std::size_t>(k) * static_cast<std::size_t>(adj_.nodes()) *
                                         static_cast<std::size_t>(options_.factor);
  }

  /// Every layer of the whole graph into s (with s's masks when use_masks and s says so).
  void propagate_all(typename workspace::state& s, bool use_masks) {
    const index_t nodes = adj_.nodes();
    const index_t d = options_.factor;
    const auto cols = static_cast<std::size_t>(d);
    const auto fcols = static_cast<std::size_t>(embedding_dim());
    const auto l = static_cast<std::size_t>(options_.layers);
    const std::size_t table = static_cast<std::size_t>(nodes) * cols;
    if (!use_masks) s.node_dropped = s.message_dropped = false;
    for (auto* v : {&s.side, &s.prod, &s.pre, &s.out}) v->resize(l);
    s.norms.resize(l * static_cast<std::size_t>(nodes));
    s.final.resize(nodes, embedding_dim());
    B::launch(static_cast<std::size_t>(nodes),
              kernels::ngcf_put_block<scalar>{nullptr, B::ptr(users_), B::ptr(items_), users(), nullptr, B::ptr(s.final),
                                              fcols, 0, cols, scalar(0)},
              cols);
    const scalar* h_top = B::ptr(users_);
    const scalar* h_bottom = B::ptr(items_);
    for (std::size_t k = 0; k < l; ++k) {
      s.side[k].resize(nodes, d);
      s.prod[k].resize(nodes, d);
      s.out[k].resize(nodes, d);
      nn::graph::propagate_raw(adj_, h_top, h_bottom, d, B::ptr(s.side[k]), nullptr, false,
                               s.node_dropped ? &s.node_mask : nullptr);
      B::launch(table, kernels::ngcf_bi_product<scalar>{h_top, h_bottom, users(), B::ptr(s.side[k]), B::ptr(s.prod[k]), cols});
      B::gemm(false, false, scalar(1), s.side[k], w_gc_[k], scalar(0), s.pre[k]);
      B::gemm(false, false, scalar(1), s.prod[k], w_bi_[k], scalar(1), s.pre[k]);
      B::add_row_broadcast(s.pre[k], b_gc_[k]);
      B::add_row_broadcast(s.pre[k], b_bi_[k]);
      B::launch(table, kernels::ngcf_activate<scalar>{B::ptr(s.pre[k]), message_mask(s, static_cast<index_t>(k)),
                                                      static_cast<scalar>(options_.negative_slope), B::ptr(s.out[k])});
      B::launch(static_cast<std::size_t>(nodes),
                kernels::ngcf_put_block<scalar>{B::ptr(s.out[k]), nullptr, nullptr, users(),
                                                B::ptr(s.norms) + k * static_cast<std::size_t>(nodes), B::ptr(s.final), fcols,
                                                (k + 1) * cols, cols, static_cast<scalar>(1e-12)},
                cols);
      h_top = B::ptr(s.out[k]);
      h_bottom = h_top + static_cast<std::size_t>(users()) * cols;
    }
  }

  static ngcf_options validated(index_t users, index_t items, const ngcf_options& o) {
    detail::require_positive(users, "the number of users", "NGCF");
    detail::require_positive(items, "the number of items", "NGCF");
    detail::require_positive(o.factor, "factor", "NGCF");
    if (o.layers < 0) throw config_error("NGCF: layers must be >= 0");
    if (!(o.message_dropout >= 0.0 && o.message_dropout < 1.0)) throw config_error("NGCF: message_dropout must be in [0, 1)");
    if (!(o.node_dropout >= 0.0 && o.node_dropout < 1.0)) throw config_error("NGCF: node_dropout must be in [0, 1)");
    if (!(o.l2 >= 0.0)) throw config_error("NGCF: l2 must be >= 0");
    return o;
  }
  static ngcf_options with_items(ngcf_options o, csr_view rows) {
    o.user_items = rows;
    return o;
  }

  ngcf_options options_;
  matrix users_, items_, du_, di_;
  std::vector<matrix> w_gc_, dw_gc_, b_gc_, db_gc_, w_bi_, dw_bi_, b_bi_, db_bi_;
  std::vector<std::string> names_;
  nn::graph::NormalizedAdjacency<B> adj_;
  std::uint64_t version_ = 0;
  bool training_ = true;
  std::uint64_t mask_seed_ = 0;
  std::uint64_t calls_ = 0;
  workspace own_, score_ws_;
  matrix su_, fu_, fi_;
  index_vector f_items_;
};

}  // namespace models
}  // namespace denoise
