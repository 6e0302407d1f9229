// NeuMF<B>: Neural Matrix Factorization, He et al., "Neural Collaborative Filtering", WWW 2017
// (section 3.4): a GMF tower and an MLP tower with SEPARATE user and item embeddings, fused by
// one prediction layer over their concatenated outputs:
//   g = p^G_u ⊙ q^G_i                                   (factor)
//   m = MLP([p^M_u || q^M_i])                           (ReLU after every layer, halving widths)
//   logit(u, i) = h^T [g || m] + b
// Tower shape (the NCF reference code the ADT authors used): MLP embeddings of size
// e = factor * 2^(layers-1) each, then `layers` dense layers 2e -> e -> ... -> factor. With the
// defaults (factor 32, 3 layers): embeddings 128 + 128, tower 256 -> 128 -> 64 -> 32, prediction
// layer 64 -> 1. Set mlp_embedding to choose e yourself (the tower still halves `layers` times).
// Trained end to end from scratch (the paper's optional GMF/MLP pre-training is not done here).
//
// Training computes the first tower layer by its input halves, [p || q] W1 = p W1_top + q W1_bottom,
// each product over the batch's DISTINCT users and items only (a batch of 1,024 ml-100k positives
// and their negatives has ~500 distinct users and ~1,100 distinct items among its 2,048 pairs), and
// so are that layer's weight and embedding gradients; the layer holds 3/4 of the tower's FLOPs.
// The same function up to float rounding (the sums are grouped differently); on backends whose
// indices live in host memory (Eigen, Thrust's CPP and OMP systems: the grouping is a host loop)
// while options().split_first_layer is on (the default); elsewhere one product over every pair.
//
// Model policy (docs/policies/model.md): forward(batch, workspace, logits) and
// backward(workspace, dlogits) work on a caller-owned workspace, which also holds the tower's
// dropout masks (workspace::replay reuses them); jvp() is exact, with the same masks;
// logit_gradients() gives nn::per_sample its factored per-sample gradient cosines.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/dense.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
#include "../nn/logit_gradients.hpp"
#include "../nn/mlp.hpp"
#include "../nn/mlp_logit_gradients.hpp"
#include "../nn/parameter.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct neumf_options {
  index_t factor = 32;     ///< GMF embedding size, also the width of the tower's last layer
  index_t layers = 3;      ///< dense layers of the MLP tower
  index_t mlp_embedding = 0;  ///< MLP embedding size per side; 0: factor * 2^(layers-1)
  double dropout = 0.0;    ///< after each hidden tower layer but the last (training mode only)
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< all four embeddings
  nn::init::initializer mlp_init = nn::init::xavier_uniform();         ///< tower weights (biases 0)
  nn::init::initializer output_init = nn::init::xavier_uniform();      ///< prediction layer h (bias 0)
  index_t score_pairs = 4096;  ///< (user, item) pairs per block in score() (row-major); bounds its workspace
  /// Training: the first tower layer by input halves over the batch's distinct users and items
  /// (see the class comment); false: one product over the concatenated embeddings of every pair.
  bool split_first_layer = true;
};

template <class B>
class NeuMF {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = neumf_options;
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward/jvp: the layers' caches (the tower's dropout
  /// masks among them), the activations and the scratch. Default-constructible and movable;
  /// buffers are reused from forward to forward.
  class workspace {
   public:
    /// When true, the next forward() reuses the dropout masks this workspace holds from its
    /// previous training forward instead of drawing new ones, and the model's dropout streams do
    /// not advance (the batch must have that forward's size). Finite differences and assumed
    /// updates set it to evaluate the same function at other parameter values.
    bool replay = false;

   private:
    friend NeuMF;
    struct state {
      typename nn::Embedding<B>::cache user_g, item_g, user_m, item_m;
      typename nn::MLP<B>::cache mlp;
      typename nn::Dense<B>::cache out;
      matrix pg, qg, pm, qm, g, m, z, y;  // forward
      // The tower's input [p || q] per pair. The split first layer never reads it: it is formed
      // on demand, for jvp() and logit_gradients() only (mutable: they take the workspace const).
      mutable matrix x;
      mutable bool x_formed = false;
      matrix dy, dm, dx, d1;                 // backward
      // the split first layer (split_first_layer): distinct users/items, each pair's slot among
      // them, their MLP embeddings and first-layer parts, and the gradients at those
      typename nn::Embedding<B>::cache user_distinct, item_distinct;
      index_vector users, items, user_slot, item_slot;
      std::vector<index_t> user_mark, item_mark;  // per table row: its slot in this batch, or -1
      matrix pu, qi, up, ip;                      // forward
      matrix d_first, du, di, dpu, dqi;           // backward
      index_vector touched;
      typename B::scatter_workspace scatter;
      std::size_t pairs = 0;
      bool forwarded = false;
      bool split = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "neumf"; }

  NeuMF(index_t users, index_t items, neumf_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        e_(options_.mlp_embedding),
        last_(tower_sizes(options_).back()),
        user_g_(users, options_.factor, 0, options_.embedding_init),
        item_g_(items, options_.factor, 0, options_.embedding_init),
        user_m_(users, e_, 0, options_.embedding_init),
        item_m_(items, e_, 0, options_.embedding_init),
        mlp_(tower_sizes(options_), 0, nn::mlp_options{options_.dropout, options_.mlp_init, true}),
        out_(options_.factor + last_, 1, 0, options_.output_init) {
    reset(seed);
  }

  index_t users() const noexcept { return user_g_.rows(); }
  index_t items() const noexcept { return item_g_.rows(); }
  const neumf_options& options() const noexcept { return options_; }
  /// Sizes of the MLP tower, {2e, ..., last}.
  std::vector<index_t> tower() const { return tower_sizes(options_); }

  /// Dropout in the tower on (training) or off (evaluation).
  void train(bool on = true) {
    training_ = on;
    mlp_.train(on);
  }
  void eval() { train(false); }
  bool training() const noexcept { return training_; }

  nn::Embedding<B>& gmf_user_embedding() noexcept { return user_g_; }
  nn::Embedding<B>& gmf_item_embedding() noexcept { return item_g_; }
  nn::Embedding<B>& mlp_user_embedding() noexcept { return user_m_; }
  nn::Embedding<B>& mlp_item_embedding() noexcept { return item_m_; }
  nn::MLP<B>& mlp() noexcept { return mlp_; }
  nn::Dense<B>& output_layer() noexcept { return out_; }

  /// One logit per pair. The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "NeuMF");
    detail::as_column<B>(dlogits, s->dy);
    // The prediction layer: dh and db here; its input gradient dy h^T is never formed whole. The
    // tower's part dy h_M^T is written for the MLP's backward; the GMF part dy h_G^T is computed
    // inside the GMF embeddings' scatter-add below, as in GMF.
    out_.backward(s->out, s->dy);
    const scalar* h = B::ptr(out_.weight());  // (factor + last) x 1: h_G then h_M
    detail::outer_product<B>(dlogits, h + options_.factor, last_, s->dm);
    if (s->split) {
      split_backward(*s);
    } else {
      mlp_.backward(s->mlp, s->dm, s->dx);
      detail::take_cols<B>(s->dx, 0, e_, s->d1);
      user_m_.backward(s->user_m, s->d1);
      detail::take_cols<B>(s->dx, e_, e_, s->d1);
      item_m_.backward(s->item_m, s->d1);
    }
    // d p^G_u = (dy h_G) ⊙ q^G_i and d q^G_i = (dy h_G) ⊙ p^G_u, computed where they are added
    const auto f = static_cast<std::size_t>(options_.factor);
    user_g_.backward_rows(s->user_g, kernels::gmf_gradient_rows<scalar>{B::ptr(dlogits), h, B::ptr(s->qg), f});
    item_g_.backward_rows(s->item_g, kernels::gmf_gradient_rows<scalar>{B::ptr(dlogits), h, B::ptr(s->pg), f});
  }

  /// Exact JVP of ws's logits along a direction (parts in visit_parameters order), through both
  /// towers with the forward's dropout masks.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "NeuMF", "jvp");
    direction.require_matches(*this, "NeuMF::jvp");
    form_tower_input(*s);
    const auto n = static_cast<index_t>(s->pairs);
    // GMF tower: g_dot = p_dot ⊙ q + p ⊙ q_dot
    user_g_.tangent(s->user_g, direction[0], t_a_);
    item_g_.tangent(s->item_g, direction[1], t_b_);
    detail::multiply<B>(t_a_, s->qg, t_g_);
    detail::multiply<B>(s->pg, t_b_, t_a_);
    B::axpy(scalar(1), t_a_, t_g_);
    // MLP tower on x_dot = [p_dot || q_dot]
    t_x_.resize(n, 2 * e_);
    user_m_.tangent(s->user_m, direction[2], t_a_);
    detail::put_cols<B>(t_a_, t_x_, 0);
    item_m_.tangent(s->item_m, direction[3], t_a_);
    detail::put_cols<B>(t_a_, t_x_, e_);
    mlp_.tangent(s->mlp, &t_x_, direction, 4, t_m_);
    // prediction layer on [g_dot || m_dot]
    t_z_.resize(n, options_.factor + last_);
    detail::put_cols<B>(t_g_, t_z_, 0);
    detail::put_cols<B>(t_m_, t_z_, options_.factor);
    const std::size_t out_part = 4 + mlp_.parameter_parts();
    out_.tangent(s->out, &t_z_, direction[out_part], direction[out_part + 1], t_y_);
    B::copy(t_y_.values(), logit_tangent);
  }

  /// Every logit's gradient, factored (nn/logit_gradients.hpp), in visit order, with ws's dropout
  /// masks: dz/d[g || m] = h^T on every row; the GMF embeddings get h_G ⊙ q^G_i (row u) and
  /// h_G ⊙ p^G_u (row i); the tower's rows run back from h_M (mlp_logit_gradients) to the MLP
  /// embeddings; dz/dh = [g || m], dz/db = 1.
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "NeuMF", "logit_gradients");
    form_tower_input(*s);
    const auto n = static_cast<index_t>(s->pairs);
    const index_t f = options_.factor;
    const scalar* h = B::ptr(out_.weight());  // (f + last) x 1: h_G then h_M
    detail::multiply_row_broadcast<B>(s->qg, h, lg_a_);
    detail::multiply_row_broadcast<B>(s->pg, h, lg_b_);
    lg_dm_.resize(n, last_);
    B::fill(lg_dm_, scalar(1));
    detail::multiply_row_broadcast<B>(lg_dm_, h + f, lg_dm_);
    lg_tower_.compute(mlp_, s->mlp, lg_dm_);
    out.start(s->pairs);
    out.rows(*s->user_g.idx, &lg_a_);
    out.rows(*s->item_g.idx, &lg_b_);
    detail::take_cols<B>(lg_tower_.input_gradient(), 0, e_, lg_a_);
    out.rows(*s->user_m.idx, &lg_a_);
    detail::take_cols<B>(lg_tower_.input_gradient(), e_, e_, lg_a_);
    out.rows(*s->item_m.idx, &lg_a_);
    lg_tower_.append(mlp_, s->mlp, out);
    out.dense(&s->z, nullptr);
    out.dense(nullptr, nullptr);
  }

  /// Convenience over a workspace the model owns (not part of the Model policy): what the
  /// one-batch-at-a-time callers use. users and items must stay alive until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  /// Convenience: backward() of the last convenience forward().
  void backward(const vector& dlogits) { backward(own_, dlogits); }

  /// GMF embeddings, MLP embeddings, the tower's layers (weight, bias each), the prediction layer.
  template <class F>
  void visit_parameters(F&& f) {
    visit_embedding(user_g_, "gmf_user_embedding", f);
    visit_embedding(item_g_, "gmf_item_embedding", f);
    visit_embedding(user_m_, "mlp_user_embedding", f);
    visit_embedding(item_m_, "mlp_item_embedding", f);
    mlp_.visit_parameters(f);
    f(nn::param_ref<B>{"output_weight", out_.weight(), out_.weight_grad(), nullptr});
    f(nn::param_ref<B>{"output_bias", out_.bias(), out_.bias_grad(), nullptr});
  }

  /// Fresh parameters (and dropout streams) from one seed; gradients zeroed.
  void reset(std::uint64_t seed) {
    user_g_.reset(random::derive_seed(seed, "neumf.gmf_user"));
    item_g_.reset(random::derive_seed(seed, "neumf.gmf_item"));
    user_m_.reset(random::derive_seed(seed, "neumf.mlp_user"));
    item_m_.reset(random::derive_seed(seed, "neumf.mlp_item"));
    mlp_.reset(random::derive_seed(seed, "neumf.mlp"));
    out_.reset(random::derive_seed(seed, "neumf.output"));
  }

  /// scores[r, j] = logit(users[r], j) in evaluation mode (no dropout, whatever train() says).
  /// The GMF part is one gemm, (P^G_users ⊙ h_G) Q^G^T. The first tower layer splits into a user
  /// part P^M_users W1_top and an item part Q^M W1_bottom + b1, each computed once; the rest of
  /// the tower runs on blocks of options().score_pairs (user, item) pairs, row-major over users x
  /// items, in reused buffers. Uses its own buffers: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    const index_t nu = static_cast<index_t>(users.size());
    const index_t ni = items();
    const index_t f = options_.factor;
    // GMF part and the output bias
    B::gather_rows(user_g_.table(), users, su_);
    detail::multiply_row_broadcast<B>(su_, B::ptr(out_.weight()), su_);
    B::gemm(false, true, scalar(1), su_, item_g_.table(), scalar(0), scores);
    detail::add_scalar<B>(scores, out_.bias());
    if (nu == 0) return;
    // first tower layer, split into its user and item halves
    const index_t h1 = mlp_.layer(0).out();
    B::gather_rows(user_m_.table(), users, sm_);
    first_layer_parts(B::as_view(static_cast<const matrix&>(sm_)), B::as_view(item_m_.table()), user_part_, item_part_);
    // the rest of the tower on blocks of score_pairs pairs, taken row-major over users x items (a
    // block may end inside a user's row): its activations stay in cache between the layers
    const std::size_t total = static_cast<std::size_t>(nu) * static_cast<std::size_t>(ni);
    const auto per_block = static_cast<std::size_t>(options_.score_pairs);
    const typename B::const_view h_m{B::ptr(out_.weight()) + f, last_, 1};
    tower_out_.resize(mlp_.layers() - 1);
    for (std::size_t p0 = 0; p0 < total; p0 += per_block) {
      const auto pairs = static_cast<index_t>(std::min(per_block, total - p0));
      ha_.resize(pairs, h1);
      B::launch(static_cast<std::size_t>(pairs),
                kernels::pair_first_layer<scalar>{B::ptr(user_part_), B::ptr(item_part_), B::ptr(ha_), p0,
                                                  static_cast<std::size_t>(ni), static_cast<std::size_t>(h1)},
                static_cast<std::size_t>(h1));
      // Each layer writes its own buffer, so every buffer keeps one shape from block to block
      // (swapping two buffers of different widths made each resize zero-fill again).
      const matrix* in = &ha_;
      for (std::size_t l = 1; l < mlp_.layers(); ++l) {
        nn::Dense<B>& layer = mlp_.layer(l);
        matrix& out = tower_out_[l - 1];
        layer.start_with_bias(pairs, out);
        B::gemm(false, false, scalar(1), *in, layer.weight(), scalar(1), out);
        B::map(out, out, kernels::relu<scalar>{});
        in = &out;
      }
      const typename B::view block{B::ptr(scores) + p0, pairs, 1};
      B::gemm(false, false, scalar(1), B::as_view(*in), h_m, scalar(1), block);
    }
  }

  /// out[n, :] = [p^G_u || p^M_u || q^G_i || q^M_i]: every embedding of the pair, user first.
  /// Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "NeuMF::features");
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    const index_t f = options_.factor;
    B::gather_rows(user_g_.table(), users, fa_);
    detail::put_cols<B>(fa_, out, 0);
    B::gather_rows(user_m_.table(), users, fa_);
    detail::put_cols<B>(fa_, out, f);
    B::gather_rows(item_g_.table(), items, fa_);
    detail::put_cols<B>(fa_, out, f + e_);
    B::gather_rows(item_m_.table(), items, fa_);
    detail::put_cols<B>(fa_, out, 2 * f + e_);
  }
  index_t feature_dim() const noexcept { return 2 * (options_.factor + e_); }

 private:
  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "NeuMF");
    const auto n = static_cast<index_t>(users.size());
    auto& s = ws.s_.get();
    s.forwarded = false;
    user_g_.forward(users, s.pg, s.user_g);
    item_g_.forward(items, s.qg, s.item_g);
    detail::multiply<B>(s.pg, s.qg, s.g);
    s.mlp.replay = ws.replay;
    s.split = false;
    if constexpr (host_indices) {
      if (options_.split_first_layer) {
        split_forward(users, items, s);
        s.split = true;
      }
    }
    if (!s.split) {
      user_m_.forward(users, s.pm, s.user_m);
      item_m_.forward(items, s.qm, s.item_m);
      s.x.resize(n, 2 * e_);
      detail::put_cols<B>(s.pm, s.x, 0);
      detail::put_cols<B>(s.qm, s.x, e_);
      s.x_formed = true;
      mlp_.forward(s.x, s.m, s.mlp);
    }
    s.z.resize(n, options_.factor + last_);
    detail::put_cols<B>(s.g, s.z, 0);
    detail::put_cols<B>(s.m, s.z, options_.factor);
    out_.forward(s.z, s.y, s.out);
    B::copy(s.y.values(), logits);
    s.pairs = users.size();
    s.forwarded = true;
  }

  // Whether a batch's indices are host memory that the split first layer can group on the host.
  static constexpr bool host_indices = std::is_same<index_vector, std::vector<index_t>>::value;

  // The distinct values of idx in order of first appearance (distinct) and each entry's position
  // among them (slot). mark: one entry per table row, all -1 between calls.
  static void group_rows(const index_vector& idx, std::vector<index_t>& mark, index_t rows, index_vector& distinct,
                         index_vector& slot) {
    if (mark.size() != static_cast<std::size_t>(rows)) mark.assign(static_cast<std::size_t>(rows), -1);
    distinct.clear();
    slot.resize(idx.size());
    for (std::size_t r = 0; r < idx.size(); ++r) {
      index_t& at = mark[static_cast<std::size_t>(idx[r])];
      if (at < 0) {
        at = static_cast<index_t>(distinct.size());
        distinct.push_back(idx[r]);
      }
      slot[r] = at;
    }
    for (const index_t row : distinct) mark[static_cast<std::size_t>(row)] = -1;
  }

  // The MLP tower's forward with the first layer by input halves over distinct rows (see the
  // class comment). x = [p || q] per pair, the first layer's input as far as tangent() and
  // per-sample gradients know, is only sized here (2 MB per batch of 2,048 pairs that training
  // never reads): form_tower_input() fills it when they need it.
  template <class State>
  void split_forward(const index_vector& users, const index_vector& items, State& s) {
    B::check_indices(users, this->users(), "gather_rows");  // before the grouping indexes with them
    B::check_indices(items, this->items(), "gather_rows");
    group_rows(users, s.user_mark, this->users(), s.users, s.user_slot);
    group_rows(items, s.item_mark, this->items(), s.items, s.item_slot);
    user_m_.forward(s.users, s.pu, s.user_distinct);
    item_m_.forward(s.items, s.qi, s.item_distinct);
    user_m_.attach(users, s.user_m);
    item_m_.attach(items, s.item_m);
    const std::size_t n = users.size();
    s.x.resize(static_cast<index_t>(n), 2 * e_);
    s.x_formed = false;
    mlp_.forward_with_first(s.x, s.m, s.mlp, [&](matrix& first) {
      const index_t h1 = mlp_.layer(0).out();
      first_layer_parts(B::as_view(static_cast<const matrix&>(s.pu)), B::as_view(static_cast<const matrix&>(s.qi)),
                        s.up, s.ip);
      first.resize(static_cast<index_t>(n), h1);
      B::launch(n,
                kernels::add_slot_rows<scalar, index_t>{B::ptr(s.up), B::ptr(s.ip), B::ptr(s.user_slot),
                                                        B::ptr(s.item_slot), B::ptr(first),
                                                        static_cast<std::size_t>(h1)},
                static_cast<std::size_t>(h1));
    });
  }

  // Fills s.x = [p || q] per pair if split_forward left it unformed (same values as forming it there).
  template <class State>
  void form_tower_input(const State& s) const {
    if (s.x_formed) return;
    const auto e = static_cast<std::size_t>(e_);
    B::launch(s.pairs,
              kernels::concat_slot_rows<scalar, index_t>{B::ptr(s.pu), B::ptr(s.qi), B::ptr(s.user_slot),
                                                         B::ptr(s.item_slot), B::ptr(s.x), e, e},
              2 * e);
    s.x_formed = true;
  }

  // The tower's backward for split_forward: the gradient at the first layer's output is summed
  // per distinct user and item (in pair order), and the first layer's weight gradient and the MLP
  // embeddings' gradients are products over those rows only.
  template <class State>
  void split_backward(State& s) {
    mlp_.backward_to_first(s.mlp, s.dm, s.d_first);
    nn::Dense<B>& layer = mlp_.layer(0);
    const index_t h1 = layer.out();
    B::col_sum(s.d_first, layer.bias_grad(), scalar(1));
    const auto sum_by_slot = [&](const index_vector& slot, std::size_t rows, matrix& out) {
      out.resize(static_cast<index_t>(rows), h1);
      B::fill(out, scalar(0));
      B::scatter_add_rows(out, slot, s.d_first, s.touched, s.scatter);
    };
    sum_by_slot(s.user_slot, s.users.size(), s.du);
    sum_by_slot(s.item_slot, s.items.size(), s.di);
    const auto grad_half = [&](int half) { return B::as_view(layer.weight_grad()).row_block(half * e_, e_); };
    const auto cview = [](const matrix& m) { return B::as_view(m); };
    B::gemm(true, false, scalar(1), cview(s.pu), cview(s.du), scalar(1), grad_half(0));
    B::gemm(true, false, scalar(1), cview(s.qi), cview(s.di), scalar(1), grad_half(1));
    B::gemm(false, true, scalar(1), cview(s.du), first_half(0), scalar(0),
            resized_view(s.dpu, static_cast<index_t>(s.users.size()), e_));
    user_m_.backward(s.user_distinct, s.dpu);
    B::gemm(false, true, scalar(1), cview(s.di), first_half(1), scalar(0),
            resized_view(s.dqi, static_cast<index_t>(s.items.size()), e_));
    item_m_.backward(s.item_distinct, s.dqi);
  }

  // Rows [half * e, (half + 1) * e) of the first tower layer's weight: the user (0) or item (1) half.
  typename B::const_view first_half(int half) {
    return B::as_view(static_cast<const matrix&>(mlp_.layer(0).weight())).row_block(half * e_, e_);
  }

  // The first tower layer by input halves, [p || q] W1 + b1 = up[p] + ip[q]: up = user_rows W1_top
  // and ip = item_rows W1_bottom + b1. Training passes the batch's distinct rows, score() the
  // users' rows and the whole item table.
  void first_layer_parts(typename B::const_view user_rows, typename B::const_view item_rows, matrix& up, matrix& ip) {
    nn::Dense<B>& layer = mlp_.layer(0);
    const index_t h1 = layer.out();
    B::gemm(false, false, scalar(1), user_rows, first_half(0), scalar(0), resized_view(up, user_rows.rows, h1));
    layer.start_with_bias(item_rows.rows, ip);
    B::gemm(false, false, scalar(1), item_rows, first_half(1), scalar(1), B::as_view(ip));
  }
  static typename B::view resized_view(matrix& m, index_t rows, index_t cols) {
    m.resize(rows, cols);
    return B::as_view(m);
  }

  static neumf_options validated(index_t users, index_t items, neumf_options o) {
    detail::require_positive(users, "the number of users", "NeuMF");
    detail::require_positive(items, "the number of items", "NeuMF");
    detail::require_positive(o.factor, "factor", "NeuMF");
    detail::require_positive(o.layers, "layers", "NeuMF");
    detail::require_positive(o.score_pairs, "score_pairs", "NeuMF");
    if (o.layers > 16) throw config_error("NeuMF: layers must be at most 16");
    if (o.mlp_embedding < 0) throw config_error("NeuMF: mlp_embedding must be >= 0");
    if (o.mlp_embedding == 0) o.mlp_embedding = o.factor << (o.layers - 1);
    if (((2 * o.mlp_embedding) >> o.layers) <= 0) {
      throw config_error("NeuMF: mlp_embedding " + std::to_string(o.mlp_embedding) + " is too small to halve " +
                         std::to_string(o.layers) + " times");
    }
    return o;
  }
  static std::vector<index_t> tower_sizes(const neumf_options& o) {
    std::vector<index_t> sizes{2 * o.mlp_embedding};
    for (index_t l = 0; l < o.layers; ++l) sizes.push_back(sizes.back() / 2);
    return sizes;
  }
  template <class F>
  static void visit_embedding(nn::Embedding<B>& e, const char* name, F& f) {
    e.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{name, p.value, p.grad, p.touched}); });
  }

  neumf_options options_;  // mlp_embedding resolved
  index_t e_;
  index_t last_;
  nn::Embedding<B> user_g_, item_g_, user_m_, item_m_;
  nn::MLP<B> mlp_;
  nn::Dense<B> out_;
  bool training_ = true;
  workspace own_;                                     // the convenience forward()/backward()'s
  matrix t_a_, t_b_, t_g_, t_x_, t_m_, t_z_, t_y_;    // jvp() scratch
  matrix su_, sm_, user_part_, item_part_, ha_;      // score() buffers
  std::vector<matrix> tower_out_;                     // score(): the outputs of tower layers 1, 2, ...
  matrix fa_;                                         // features() buffer
  matrix lg_a_, lg_b_, lg_dm_;                        // logit_gradients() scratch
  nn::mlp_logit_gradients<B> lg_tower_;
};

}  // namespace models
}  // namespace denoise
