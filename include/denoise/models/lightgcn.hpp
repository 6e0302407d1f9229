// LightGCN<B>: He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
// Recommendation", SIGIR 2020. User and item embeddings E^(0) (factor wide) are propagated over
// the normalized adjacency of the bipartite training graph, Â = D^-1/2 A D^-1/2 (no self loops):
//   E^(l+1) = Â E^(l),  l = 0 .. L-1;   E = (E^(0) + ... + E^(L)) / (L + 1);
//   logit(u, i) = e_u · e_i.
// No weights, no nonlinearity, no dropout. Defaults are the paper's: factor 64, L = 3,
// E^(0) ~ N(0, 0.1^2).
//
// Full-graph propagation: every forward() propagates the whole table (L sparse products, O(L ·
// nnz(Â) · factor)), as the reference code does per batch; backward() sends the gradient of E
// back with Â^T (Horner: G = dE + Â^T (dE + Â^T (...))), so the embedding gradients are dense.
// Optional L2 on the batch's layer-0 rows (the reference's decay, 1e-4 there): backward() adds
// the gradient of (l2 / 2) · (1 / pairs) · sum_n (|e0_{u_n}|^2 + |e0_{i_n}|^2); it is not part of the
// logits (so not of the reported loss). Per pair: with BPR's (u, pos), (u, neg) pairs the user
// row counts twice and the sum is over 2B pairs, where the reference sums users, positives and
// negatives once over B triples.
//
// The model copies the training graph (lightgcn_options::user_items, a CSR view of each user's
// training items) at construction; set_user_items() replaces it.
//
// Model policy (docs/policies/model.md): forward(batch, workspace, logits) and
// backward(workspace, dlogits) work on a caller-owned workspace; jvp() is exact.
// logit_gradients() gives nn::per_sample its factored gradient cosines through the propagation
// kernels K_T = P_T P_T^T (P = mean_l Â^l, T the user or the item rows): two nodes x nodes
// matrices, built at the first call after each set_user_items() (nodes^2 memory: meant for graphs
// of tens of thousands of nodes at most). Not with l2 > 0: the batch L2 is outside the logits
// (logit_gradients_available() is false; per_sample then takes its brute-force path).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "../backends/static_checks.hpp"
#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/graph/graph_ops.hpp"
#include "../nn/graph/normalized_adjacency.hpp"
#include "../nn/graph/sparse_propagation.hpp"
#include "../nn/init.hpp"
#include "../nn/logit_gradients.hpp"
#include "../nn/parameter.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct lightgcn_options {
  index_t factor = 64;   ///< embedding width
  index_t layers = 3;    ///< L, propagation layers (0: matrix factorization)
  double l2 = 0.0;       ///< L2 on the batch's layer-0 rows (the reference uses 1e-4); see the file comment
  csr_view user_items{};  ///< row u = the training items of user u (copied; rows() == users)
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.1);  ///< E^(0)
};

template <class B>
class LightGCN {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = lightgcn_options;
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward/jvp: the propagated layers, the final table
  /// and the scratch of the backward. Default-constructible and movable; buffers are reused.
  class workspace {
   public:
    /// LightGCN has no stochastic layer: accepted and ignored.
    bool replay = false;

   private:
    friend LightGCN;
    struct state {
      matrix layers, final;              // L node tables, one after the other; E
      index_vector node, touched;         // backward: the node of each scattered row
      matrix src, dfinal, ra, rb;         // backward scratch
      typename B::scatter_workspace scatter;
      const index_vector* users = nullptr;
      const index_vector* items = nullptr;
      std::size_t pairs = 0;
      std::uint64_t version = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "lightgcn"; }

  LightGCN(index_t users, index_t items, lightgcn_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        users_(users, options.factor),
        items_(items, options.factor),
        du_(users, options.factor),
        di_(items, options.factor) {
    set_user_items(options.user_items);
    options_.user_items = csr_view{};  // the copy is kept; the caller's memory is not referenced
    reset(seed);
  }
  /// Convenience: the training items given apart from the other options.
  LightGCN(index_t users, index_t items, csr_view user_items, lightgcn_options options = {}, std::uint64_t seed = 0)
      : LightGCN(users, items, with_items(options, user_items), seed) {}

  index_t users() const noexcept { return users_.rows(); }
  index_t items() const noexcept { return items_.rows(); }
  index_t factor() const noexcept { return options_.factor; }
  index_t layers() const noexcept { return options_.layers; }
  const lightgcn_options& options() const noexcept { return options_; }  ///< user_items is not kept here
  const nn::graph::NormalizedAdjacency<B>& adjacency() const noexcept { return adj_; }

  /// Replaces the training graph (copied). Must have users() rows and ids below items().
  void set_user_items(csr_view rows) {
    adj_.assign(rows, users(), items(), nn::graph::normalization::symmetric);
    ++version_;  // a pending backward would mix the old and the new graph
    kernels_current_ = false;
  }

  /// LightGCN has no dropout: train() and eval() only record the mode.
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }

  matrix& user_embedding() noexcept { return users_; }  ///< E^(0) of the users
  matrix& item_embedding() noexcept { return items_; }  ///< E^(0) of the items

  /// logits[n] = e_{users[n]} · e_{items[n]} after propagating the whole table. The batch must
  /// stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the (dense) embedding gradients for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "LightGCN");
    require_version(*s, "backward");
    const index_t nodes = adj_.nodes();
    const index_t d = options_.factor;
    const auto cols = static_cast<std::size_t>(d);
    const std::size_t n = s->pairs;
    // dE: each pair's two rows, summed per node in pair order
    scatter_pairs(*s, B::ptr(dlogits), B::ptr(s->final), nullptr, nullptr, scalar(0));
    // dE^(0) = (1 / (L + 1)) sum_l (Â^T)^l dE, by Horner
    const matrix* cur = &s->dfinal;
    s->ra.resize(nodes, d);
    s->rb.resize(nodes, d);
    for (index_t l = 0; l < options_.layers; ++l) {
      matrix& next = (cur == &s->ra) ? s->rb : s->ra;
      nn::graph::propagate_raw(adj_, B::ptr(*cur), B::ptr(*cur) + static_cast<std::size_t>(users()) * cols, d,
                               B::ptr(next), B::ptr(s->dfinal), true);
      cur = &next;
    }
    add_to_grads(*cur, scalar(1) / static_cast<scalar>(options_.layers + 1));
    if (options_.l2 > 0.0 && n > 0) {
      scatter_pairs(*s, nullptr, nullptr, B::ptr(users_), B::ptr(items_),
                    static_cast<scalar>(options_.l2 / static_cast<double>(n)));
      add_to_grads(s->dfinal, scalar(1));
    }
  }

  /// Exact JVP of ws's logits along a direction (user then item table):
  /// E_dot = mean_l Â^l E0_dot, logit_dot = e_dot_u · e_i + e_u · e_dot_i.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "LightGCN", "jvp");
    require_version(*s, "jvp");
    direction.require_matches(*this, "LightGCN::jvp");
    propagate_all(direction[0], direction[1], t_layers_, t_final_);
    logit_tangent.resize(s->pairs);
    B::launch(s->pairs,
              nn::graph::kernels::pair_dot<scalar>{B::ptr(s->final), B::ptr(t_final_), B::ptr(*s->users),
                                                   B::ptr(*s->items), users(), B::ptr(logit_tangent),
                                                   static_cast<std::size_t>(options_.factor)},
              static_cast<std::size_t>(options_.factor));
  }

  /// Every logit's gradient through the propagation (nn/logit_gradients.hpp): logit(u, i) =
  /// e_u · e_i with e = P E0 and P symmetric, so dz/dE0[r] = P[u, r] e_i + P[i, r] e_u: two terms
  /// per logit (node u with right factor e_i, node i with right factor e_u), one entry per table
  /// with that table's kernel.
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "LightGCN", "logit_gradients");
    require_version(*s, "logit_gradients");
    if (!logit_gradients_available()) {
      throw config_error("LightGCN::logit_gradients: the batch L2 (l2 > 0) is not part of the logits");
    }
    build_kernels();
    const std::size_t n = s->pairs;
    lg_keys_.resize(2 * n);
    lg_partner_.resize(2 * n);
    B::launch(n, pair_nodes{B::ptr(*s->users), B::ptr(*s->items), users(), B::ptr(lg_keys_), B::ptr(lg_partner_)});
    B::gather_rows(s->final, lg_partner_, lg_right_);
    out.start(n);
    out.propagated_rows(lg_keys_, lg_right_, 2, kernel_users_);
    out.propagated_rows(typename nn::logit_gradients<B>::same_as{0}, kernel_items_);  // same terms, the item table's kernel
  }
  /// False when the loss gradient has a part outside the logits (l2 > 0): per_sample asks.
  bool logit_gradients_available() const noexcept { return options_.l2 == 0.0; }

  /// Convenience over a workspace the model owns (not part of the Model policy).
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  /// Convenience: backward() of the last convenience forward().
  void backward(const vector& dlogits) { backward(own_, dlogits); }

  /// The user and item tables of layer 0; dense gradients (propagation reaches every row).
  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"user_embedding", users_, du_, nullptr});
    f(nn::param_ref<B>{"item_embedding", items_, di_, nullptr});
  }

  /// Fresh parameters from one seed; gradients zeroed.
  void reset(std::uint64_t seed) {
    nn::init::apply<B>(options_.embedding_init, users_, options_.factor, users(), random::derive_seed(seed, "lightgcn.user"));
    nn::init::apply<B>(options_.embedding_init, items_, options_.factor, items(), random::derive_seed(seed, "lightgcn.item"));
    B::fill(du_, scalar(0));
    B::fill(di_, scalar(0));
  }

  /// scores[r, j] = e_{users[r]} · e_j for every item j (one propagation, one gemm). Uses its own
  /// buffers: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    B::check_indices(users, this->users(), "LightGCN::score (users)");
    propagate_all(users_, items_, s_layers_, s_final_);
    B::gather_rows(s_final_, users, su_);
    scores.resize(static_cast<index_t>(users.size()), items());
    using const_view = typename B::const_view;
    const const_view item_rows{B::ptr(s_final_) + static_cast<std::size_t>(this->users()) * static_cast<std::size_t>(factor()),
                               items(), factor()};
    B::gemm(false, true, scalar(1), B::as_view(static_cast<const matrix&>(su_)), item_rows, scalar(0), B::as_view(scores));
  }

  /// out[n, :] = [e_{users[n]} || e_{items[n]}]  (2 * factor columns), the propagated rows. Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "LightGCN::features");
    B::check_indices(users, this->users(), "LightGCN::features (users)");
    B::check_indices(items, this->items(), "LightGCN::features (items)");
    propagate_all(users_, items_, s_layers_, s_final_);
    B::gather_rows(s_final_, users, fu_);
    f_items_.resize(items.size());
    B::launch(items.size(), offset_ids{B::ptr(items), B::ptr(f_items_), this->users()});
    B::gather_rows(s_final_, f_items_, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fu_, out, 0);
    detail::put_cols<B>(fi_, out, options_.factor);
  }
  index_t feature_dim() const noexcept { return 2 * options_.factor; }

 private:
  struct offset_ids {
    const index_t* in;
    index_t* out;
    index_t offset;
    DENOISE_HOST_DEVICE void operator()(std::size_t k) const { out[k] = in[k] + offset; }
  };
  /// keys[2n] = user node, keys[2n+1] = item node; partner = the other node of the pair.
  struct pair_nodes {
    const index_t* users;
    const index_t* items;
    index_t item_offset;
    index_t* keys;
    index_t* partner;
    DENOISE_HOST_DEVICE void operator()(std::size_t n) const {
      keys[2 * n] = users[n];
      keys[2 * n + 1] = items[n] + item_offset;
      partner[2 * n] = items[n] + item_offset;
      partner[2 * n + 1] = users[n];
    }
  };
  struct set_diagonal {
    scalar* x;
    std::size_t cols;
    scalar value;
    DENOISE_HOST_DEVICE void operator()(std::size_t r) const { x[r * cols + r] = value; }
  };

  /// kernel_users_ / kernel_items_ = P_T P_T^T for the current graph; P = mean_l Â^l built by
  /// propagating the identity (its columns), symmetric like Â.
  void build_kernels() {
    if (kernels_current_) return;
    const index_t nodes = adj_.nodes();
    const auto n = static_cast<std::size_t>(nodes);
    matrix x(nodes, nodes), y, p(nodes, nodes);
    B::fill(x, scalar(0));
    B::launch(n, set_diagonal{B::ptr(x), n, scalar(1)});
    B::copy(x, p);
    for (index_t l = 0; l < options_.layers; ++l) {
      nn::graph::propagate(adj_, x, y);
      B::axpy(scalar(1), y, p);
      std::swap(x, y);
    }
    B::scale(p, scalar(1) / static_cast<scalar>(options_.layers + 1));
    using const_view = typename B::const_view;
    const auto user_rows = static_cast<std::size_t>(users());
    const const_view pu{B::ptr(static_cast<const matrix&>(p)), users(), nodes};  // P's user rows = its user columns
    const const_view pi{B::ptr(static_cast<const matrix&>(p)) + user_rows * n, items(), nodes};
    kernel_users_.resize(nodes, nodes);
    kernel_items_.resize(nodes, nodes);
    B::gemm(true, false, scalar(1), pu, pu, scalar(0), B::as_view(kernel_users_));
    B::gemm(true, false, scalar(1), pi, pi, scalar(0), B::as_view(kernel_items_));
    kernels_current_ = true;
  }

  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "LightGCN");
    B::check_indices(users, this->users(), "LightGCN::forward (users)");
    B::check_indices(items, this->items(), "LightGCN::forward (items)");
    auto& s = ws.s_.get();
    s.forwarded = false;
    propagate_all(users_, items_, s.layers, s.final);
    logits.resize(users.size());
    B::launch(users.size(),
              nn::graph::kernels::pair_dot<scalar>{B::ptr(s.final), nullptr, B::ptr(users), B::ptr(items), this->users(),
                                                   B::ptr(logits), static_cast<std::size_t>(options_.factor)},
              static_cast<std::size_t>(options_.factor));
    s.users = &users;
    s.items = &items;
    s.pairs = users.size();
    s.version = version_;
    s.forwarded = true;
  }

  /// layers = E^(1..L) of the tables (top, bottom); final = their mean with E^(0).
  void propagate_all(const matrix& top, const matrix& bottom, matrix& layers, matrix& final) const {
    const index_t nodes = adj_.nodes();
    const auto cols = static_cast<std::size_t>(options_.factor);
    const std::size_t table = static_cast<std::size_t>(nodes) * cols;
    layers.resize(nodes * options_.layers, options_.factor);
    const scalar* in_top = B::ptr(top);
    const scalar* in_bottom = B::ptr(bottom);
    for (index_t l = 0; l < options_.layers; ++l) {
      scalar* y = B::ptr(layers) + static_cast<std::size_t>(l) * table;
      nn::graph::propagate_raw(adj_, in_top, in_bottom, options_.factor, y, nullptr);
      in_top = y;
      in_bottom = y + static_cast<std::size_t>(users()) * cols;
    }
    final.resize(nodes, options_.factor);
    B::launch(table,
              nn::graph::kernels::layer_mean<scalar>{B::ptr(top), B::ptr(bottom), users(), B::ptr(layers), table,
                                                     static_cast<std::size_t>(options_.layers),
                                                     scalar(1) / static_cast<scalar>(options_.layers + 1), B::ptr(final),
                                                     cols});
  }

  /// s.dfinal = the per-node sum of each pair's two rows: g_n * f[other side] (when f is set) +
  /// coef * r[own side] (when r_top is set).
  void scatter_pairs(typename workspace::state& s, const scalar* g, const scalar* f, const scalar* r_top,
                     const scalar* r_bottom, scalar coef) {
    const std::size_t n = s.pairs;
    const auto cols = static_cast<std::size_t>(options_.factor);
    s.node.resize(2 * n);
    s.src.resize(static_cast<index_t>(2 * n), options_.factor);
    B::launch(2 * n,
              nn::graph::kernels::pair_grad_rows<scalar>{B::ptr(*s.users), B::ptr(*s.items), g, f, r_top, r_bottom, coef,
                                                         users(), n, B::ptr(s.node), B::ptr(s.src), cols},
              cols);
    s.dfinal.resize(adj_.nodes(), options_.factor);
    B::fill(s.dfinal, scalar(0));
    B::scatter_add_rows(s.dfinal, s.node, s.src, s.touched, s.scatter);
  }

  /// du, di += alpha * x (x a node table).
  void add_to_grads(const matrix& x, scalar alpha) {
    const auto cols = static_cast<std::size_t>(options_.factor);
    B::launch(x.size(), nn::graph::kernels::stacked_axpy<scalar>{alpha, B::ptr(x), cols, 0, B::ptr(du_), B::ptr(di_),
                                                                 users(), cols});
  }

  void require_version(const typename workspace::state& s, const char* what) const {
    if (s.version != version_) {
      throw config_error(std::string("LightGCN::") + what + ": set_user_items() was called since this workspace's forward");
    }
  }

  static lightgcn_options validated(index_t users, index_t items, const lightgcn_options& o) {
    detail::require_positive(users, "the number of users", "LightGCN");
    detail::require_positive(items, "the number of items", "LightGCN");
    detail::require_positive(o.factor, "factor", "LightGCN");
    if (o.layers < 0) throw config_error("LightGCN: layers must be >= 0");
    if (!(o.l2 >= 0.0)) throw config_error("LightGCN: l2 must be >= 0");
    return o;
  }
  static lightgcn_options with_items(lightgcn_options o, csr_view rows) {
    o.user_items = rows;
    return o;
  }

  lightgcn_options options_;
  matrix users_, items_, du_, di_;
  nn::graph::NormalizedAdjacency<B> adj_;
  std::uint64_t version_ = 0;  // bumped by set_user_items()
  bool training_ = true;
  workspace own_;                       // the convenience forward()/backward()'s
  matrix t_layers_, t_final_;           // jvp() scratch
  matrix s_layers_, s_final_, su_;      // score() / features() buffers
  matrix fu_, fi_;
  index_vector f_items_;
  matrix kernel_users_, kernel_items_;  // logit_gradients(): P_T P_T^T per table
  bool kernels_current_ = false;        // built for the current graph
  index_vector lg_keys_, lg_partner_;
  matrix lg_right_;
};

}  // namespace models
}  // namespace denoise
