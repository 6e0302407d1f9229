// GMF<B>: Generalized Matrix Factorization, He et al., "Neural Collaborative Filtering", WWW 2017
// (section 3.2): logit(u, i) = h^T (p_u ⊙ q_i) + b, with user and item embeddings p, q of size
// `factor` and a learned output layer (h, b). The probability is sigmoid(logit); the loss is
// applied by the trainer.
//
// Initialisation: embeddings N(0, 0.01^2) as in the NCF/ADT reference code; the output layer is
// Xavier-uniform with a zero bias, which is our choice (the ADT reference keeps PyTorch's default
// for nn.Linear, Kaiming-uniform). Factor 32 is the ADT/NCF setting.
//
// Model policy (docs/policies/model.md): forward(batch, workspace, logits) and
// backward(workspace, dlogits) work on a caller-owned workspace, so several forwards can be
// pending at once; jvp() is the exact forward-mode derivative of the logits; logit_gradients()
// gives nn::per_sample its factored per-sample gradient cosines.
#pragma once

#include <cstdint>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/dense.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
#include "../nn/logit_gradients.hpp"
#include "../nn/parameter.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct gmf_options {
  index_t factor = 32;                                                  ///< embedding size (predictive factors)
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< user and item embeddings
  nn::init::initializer output_init = nn::init::xavier_uniform();       ///< h (factor x 1); the bias starts at 0
};

template <class B>
class GMF {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = gmf_options;
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward/jvp (layer caches, activations, scratch).
  /// Default-constructible and movable; buffers are reused from forward to forward.
  class workspace {
   public:
    /// When true, the next forward() reuses the stochastic masks of this workspace's previous
    /// forward instead of drawing new ones. GMF has none: accepted and ignored.
    bool replay = false;

   private:
    friend GMF;
    struct state {
      typename nn::Embedding<B>::cache user, item;
      typename nn::Dense<B>::cache out;
      matrix pu, qi, prod, dy;
      std::size_t pairs = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "gmf"; }

  GMF(index_t users, index_t items, gmf_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        users_(users, options.factor, 0, options.embedding_init),
        items_(items, options.factor, 0, options.embedding_init),
        out_(options.factor, 1, 0, options.output_init) {
    reset(seed);
  }

  index_t users() const noexcept { return users_.rows(); }
  index_t items() const noexcept { return items_.rows(); }
  index_t factor() const noexcept { return options_.factor; }
  const gmf_options& options() const noexcept { return options_; }

  /// GMF has no dropout: train() and eval() only record the mode.
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }

  nn::Embedding<B>& user_embedding() noexcept { return users_; }
  nn::Embedding<B>& item_embedding() noexcept { return items_; }
  nn::Dense<B>& output_layer() noexcept { return out_; }

  /// logits[n] = h^T (p_{users[n]} ⊙ q_{items[n]}) + b. The batch must stay alive and unchanged
  /// until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "GMF");
    detail::as_column<B>(dlogits, s->dy);
    out_.backward(s->out, s->dy);  // h and b
    // d p_u = (dy h) ⊙ q_i and d q_i = (dy h) ⊙ p_u, computed inside the scatter-add (never stored).
    const auto cols = static_cast<std::size_t>(options_.factor);
    users_.backward_rows(s->user, kernels::gmf_gradient_rows<scalar>{B::ptr(dlogits), B::ptr(out_.weight()),
                                                                     B::ptr(s->qi), cols});
    items_.backward_rows(s->item, kernels::gmf_gradient_rows<scalar>{B::ptr(dlogits), B::ptr(out_.weight()),
                                                                     B::ptr(s->pu), cols});
  }

  /// Exact JVP of ws's logits along a direction (parts in visit_parameters order):
  /// z_dot = h^T (p_dot ⊙ q + p ⊙ q_dot) + h_dot^T (p ⊙ q) + b_dot.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "GMF", "jvp");
    direction.require_matches(*this, "GMF::jvp");
    users_.tangent(s->user, direction[0], t_pu_);
    items_.tangent(s->item, direction[1], t_qi_);
    detail::multiply<B>(t_pu_, s->qi, t_prod_);
    detail::multiply<B>(s->pu, t_qi_, t_tmp_);
    B::axpy(scalar(1), t_tmp_, t_prod_);
    out_.tangent(s->out, &t_prod_, direction[2], direction[3], t_y_);
    B::copy(t_y_.values(), logit_tangent);
  }

  /// Every logit's gradient, factored (nn/logit_gradients.hpp), in visit order: dz/dp_u = h ⊙ q_i
  /// in row u, dz/dq_i = h ⊙ p_u in row i, dz/dh = p_u ⊙ q_i, dz/db = 1.
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "GMF", "logit_gradients");
    detail::multiply_row_broadcast<B>(s->qi, B::ptr(out_.weight()), lg_user_);
    detail::multiply_row_broadcast<B>(s->pu, B::ptr(out_.weight()), lg_item_);
    out.start(s->pairs);
    out.rows(*s->user.idx, &lg_user_);
    out.rows(*s->item.idx, &lg_item_);
    out.dense(&s->prod, nullptr);
    out.dense(nullptr, nullptr);
  }

  /// Convenience over a workspace the model owns (not part of the Model policy): what the
  /// one-batch-at-a-time callers use. users and items must stay alive until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  /// Convenience: backward() of the last convenience forward().
  void backward(const vector& dlogits) { backward(own_, dlogits); }

  template <class F>
  void visit_parameters(F&& f) {
    users_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"user_embedding", p.value, p.grad, p.touched}); });
    items_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"item_embedding", p.value, p.grad, p.touched}); });
    f(nn::param_ref<B>{"output_weight", out_.weight(), out_.weight_grad(), nullptr});
    f(nn::param_ref<B>{"output_bias", out_.bias(), out_.bias_grad(), nullptr});
  }

  /// Fresh parameters from one seed (each part from its own derived stream); gradients zeroed.
  void reset(std::uint64_t seed) {
    users_.reset(random::derive_seed(seed, "gmf.user"));
    items_.reset(random::derive_seed(seed, "gmf.item"));
    out_.reset(random::derive_seed(seed, "gmf.output"));
  }

  /// scores[r, j] = logit(users[r], j) for every item j: (P_users ⊙ h) Q^T + b, one gemm. Uses
  /// its own buffers: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    B::gather_rows(users_.table(), users, su_);
    detail::multiply_row_broadcast<B>(su_, B::ptr(out_.weight()), su_);
    B::gemm(false, true, scalar(1), su_, items_.table(), scalar(0), scores);
    detail::add_scalar<B>(scores, out_.bias());
  }

  /// out[n, :] = [p_{users[n]} || q_{items[n]}]  (2 * factor columns). Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  /// The controller's view of a batch (docs/autodenoise_controller.md): features() of its rows;
  /// the workspace is not needed, the embedding rows are the representation.
  void sample_representation(const batch_type& batch, const workspace& /*ws*/, matrix& out) {
    features(batch.users, batch.items, out);
  }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "GMF::features");
    B::gather_rows(users_.table(), users, fu_);
    B::gather_rows(items_.table(), items, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fu_, out, 0);
    detail::put_cols<B>(fi_, out, options_.factor);
  }
  index_t feature_dim() const noexcept { return 2 * options_.factor; }

 private:
  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "GMF");
    auto& s = ws.s_.get();
    s.forwarded = false;
    B::check_indices(users, this->users(), "gather_rows");  // the fused kernel reads the tables by them
    B::check_indices(items, this->items(), "gather_rows");
    users_.attach(users, s.user);
    items_.attach(items, s.item);
    // The lookups, the product and the output layer in one pass (separately: two gathers, then an
    // elementwise product and a gemm of width 1).
    const auto f = static_cast<std::size_t>(options_.factor);
    s.pu.resize(static_cast<index_t>(users.size()), options_.factor);
    s.qi.resize(static_cast<index_t>(users.size()), options_.factor);
    s.prod.resize(static_cast<index_t>(users.size()), options_.factor);
    logits.resize(users.size());
    B::launch(users.size(),
              kernels::gmf_gather_score<scalar, index_t>{B::ptr(users_.table()), B::ptr(items_.table()), B::ptr(users),
                                                         B::ptr(items), users.size(), B::ptr(out_.weight()),
                                                         B::ptr(out_.bias()), B::ptr(s.pu), B::ptr(s.qi),
                                                         B::ptr(s.prod), B::ptr(logits), f},
              5 * f);
    out_.attach(s.prod, s.out);
    s.pairs = users.size();
    s.forwarded = true;
  }

  static const gmf_options& validated(index_t users, index_t items, const gmf_options& o) {
    detail::require_positive(users, "the number of users", "GMF");
    detail::require_positive(items, "the number of items", "GMF");
    detail::require_positive(o.factor, "factor", "GMF");
    return o;
  }

  gmf_options options_;
  nn::Embedding<B> users_;
  nn::Embedding<B> items_;
  nn::Dense<B> out_;
  bool training_ = true;
  workspace own_;                            // the convenience forward()/backward()'s
  matrix t_pu_, t_qi_, t_prod_, t_tmp_, t_y_;  // jvp() scratch
  matrix su_, fu_, fi_;                        // score() / features() buffers
  matrix lg_user_, lg_item_;                   // logit_gradients() scratch
};

}  // namespace models
}  // namespace denoise
