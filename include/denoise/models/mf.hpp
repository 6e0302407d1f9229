// MF<B>: biased matrix factorization, Koren, Bell & Volinsky, "Matrix Factorization Techniques
// for Recommender Systems", IEEE Computer 2009 (eq. 4), used on implicit feedback with a
// pointwise or pairwise loss (the MF base model of AutoDenoise, Ge et al.):
//   logit(u, i) = p_u · q_i + b_u + b_i + mu
// Each bias is optional (mf_options); with all three off it is the plain dot product of
// Rendle et al.'s BPR-MF.
//
// Model policy (docs/policies/model.md): forward(batch, workspace, logits) and
// backward(workspace, dlogits) work on a caller-owned workspace; jvp() is exact; logit_gradients()
// gives nn::per_sample its factored per-sample gradient cosines.
#pragma once

#include <cstdint>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
#include "../nn/logit_gradients.hpp"
#include "../nn/parameter.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct mf_options {
  index_t factor = 32;                                                  ///< embedding size
  bool user_bias = true;                                                ///< b_u
  bool item_bias = true;                                                ///< b_i
  bool global_bias = true;                                              ///< mu
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< p and q; biases start at 0
};

template <class B>
class MF {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = mf_options;
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward/jvp (layer caches, activations, scratch).
  /// Default-constructible and movable; buffers are reused from forward to forward.
  class workspace {
   public:
    /// When true, the next forward() reuses the stochastic masks of this workspace's previous
    /// forward instead of drawing new ones. MF has none: accepted and ignored.
    bool replay = false;

   private:
    friend MF;
    struct state {
      typename nn::Embedding<B>::cache user, item, user_bias, item_bias;
      matrix pu, qi, bias, dy, dpu, dqi;
      std::size_t pairs = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "mf"; }

  MF(index_t users, index_t items, mf_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        users_(users, options.factor, 0, options.embedding_init),
        items_(items, options.factor, 0, options.embedding_init),
        user_bias_(users, 1, 0, nn::init::zeros()),
        item_bias_(items, 1, 0, nn::init::zeros()),
        mu_(1, 1),
        dmu_(1, 1) {
    reset(seed);
  }

  index_t users() const noexcept { return users_.rows(); }
  index_t items() const noexcept { return items_.rows(); }
  index_t factor() const noexcept { return options_.factor; }
  const mf_options& options() const noexcept { return options_; }

  /// MF has no dropout: train() and eval() only record the mode.
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }

  nn::Embedding<B>& user_embedding() noexcept { return users_; }
  nn::Embedding<B>& item_embedding() noexcept { return items_; }

  /// logits[n] = p_u · q_i (+ b_u + b_i + mu). The batch must stay alive and unchanged until the
  /// backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "MF");
    detail::scale_rows<B>(dlogits, s->qi, s->dpu);
    detail::scale_rows<B>(dlogits, s->pu, s->dqi);
    users_.backward(s->user, s->dpu);
    items_.backward(s->item, s->dqi);
    if (options_.user_bias || options_.item_bias || options_.global_bias) detail::as_column<B>(dlogits, s->dy);
    if (options_.user_bias) user_bias_.backward(s->user_bias, s->dy);
    if (options_.item_bias) item_bias_.backward(s->item_bias, s->dy);
    if (options_.global_bias) B::col_sum(s->dy, dmu_, scalar(1));
  }

  /// Exact JVP of ws's logits along a direction (parts in visit_parameters order):
  /// z_dot = p_dot · q + p · q_dot (+ b_u_dot + b_i_dot + mu_dot).
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "MF", "jvp");
    direction.require_matches(*this, "MF::jvp");
    users_.tangent(s->user, direction[0], t_p_);
    items_.tangent(s->item, direction[1], t_q_);
    B::row_dot(t_p_, s->qi, logit_tangent);
    B::row_dot(s->pu, t_q_, t_v_);
    B::axpy(scalar(1), t_v_, logit_tangent);
    std::size_t part = 2;
    if (options_.user_bias) {
      user_bias_.tangent(s->user_bias, direction[part++], t_b_);
      B::axpy(scalar(1), t_b_.values(), logit_tangent);
    }
    if (options_.item_bias) {
      item_bias_.tangent(s->item_bias, direction[part++], t_b_);
      B::axpy(scalar(1), t_b_.values(), logit_tangent);
    }
    if (options_.global_bias) detail::add_scalar<B>(logit_tangent, direction[part]);
  }

  /// Every logit's gradient, factored (nn/logit_gradients.hpp), in visit order: dz/dp_u = q_i in
  /// row u, dz/dq_i = p_u in row i, each bias 1 (in row u, row i, and mu).
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out) const {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "MF", "logit_gradients");
    out.start(s->pairs);
    out.rows(*s->user.idx, &s->qi);
    out.rows(*s->item.idx, &s->pu);
    if (options_.user_bias) out.rows(*s->user.idx, nullptr);
    if (options_.item_bias) out.rows(*s->item.idx, nullptr);
    if (options_.global_bias) out.dense(nullptr, nullptr);
  }

  /// Convenience over a workspace the model owns (not part of the Model policy): what the
  /// one-batch-at-a-time callers use. users and items must stay alive until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  /// Convenience: backward() of the last convenience forward().
  void backward(const vector& dlogits) { backward(own_, dlogits); }

  /// The embeddings, then the enabled biases ("user_bias", "item_bias" sparse, "global_bias").
  template <class F>
  void visit_parameters(F&& f) {
    users_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"user_embedding", p.value, p.grad, p.touched}); });
    items_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"item_embedding", p.value, p.grad, p.touched}); });
    if (options_.user_bias) {
      user_bias_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"user_bias", p.value, p.grad, p.touched}); });
    }
    if (options_.item_bias) {
      item_bias_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"item_bias", p.value, p.grad, p.touched}); });
    }
    if (options_.global_bias) f(nn::param_ref<B>{"global_bias", mu_, dmu_, nullptr});
  }

  /// Fresh parameters from one seed; biases start at 0; gradients zeroed.
  void reset(std::uint64_t seed) {
    users_.reset(random::derive_seed(seed, "mf.user"));
    items_.reset(random::derive_seed(seed, "mf.item"));
    user_bias_.reset(seed);
    item_bias_.reset(seed);
    B::fill(mu_, scalar(0));
    B::fill(dmu_, scalar(0));
  }

  /// scores[r, j] = logit(users[r], j): P_users Q^T (one gemm) plus the biases. Uses its own
  /// buffers: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    B::gather_rows(users_.table(), users, su_);
    B::gemm(false, true, scalar(1), su_, items_.table(), scalar(0), scores);
    if (options_.user_bias) B::gather_rows(user_bias_.table(), users, sb_);
    if (options_.user_bias || options_.item_bias || options_.global_bias) {
      B::launch(static_cast<std::size_t>(scores.rows()),
                kernels::add_biases<scalar>{B::ptr(scores), options_.user_bias ? B::ptr(static_cast<const matrix&>(sb_)) : nullptr,
                                            options_.item_bias ? B::ptr(item_bias_.table()) : nullptr,
                                            options_.global_bias ? B::ptr(static_cast<const matrix&>(mu_)) : nullptr,
                                            detail::cols_of<B>(scores)},
                detail::cols_of<B>(scores));
    }
  }

  /// out[n, :] = [p_{users[n]} || q_{items[n]}]  (2 * factor columns; biases not included). Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  /// The controller's view of a batch (docs/autodenoise_controller.md): features() of its rows;
  /// the workspace is not needed, the embedding rows are the representation.
  void sample_representation(const batch_type& batch, const workspace& /*ws*/, matrix& out) {
    features(batch.users, batch.items, out);
  }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "MF::features");
    B::gather_rows(users_.table(), users, fu_);
    B::gather_rows(items_.table(), items, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fu_, out, 0);
    detail::put_cols<B>(fi_, out, options_.factor);
  }
  index_t feature_dim() const noexcept { return 2 * options_.factor; }

 private:
  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "MF");
    auto& s = ws.s_.get();
    s.forwarded = false;
    users_.forward(users, s.pu, s.user);
    items_.forward(items, s.qi, s.item);
    B::row_dot(s.pu, s.qi, logits);
    if (options_.user_bias) {
      user_bias_.forward(users, s.bias, s.user_bias);
      B::axpy(scalar(1), s.bias.values(), logits);
    }
    if (options_.item_bias) {
      item_bias_.forward(items, s.bias, s.item_bias);
      B::axpy(scalar(1), s.bias.values(), logits);
    }
    if (options_.global_bias) detail::add_scalar<B>(logits, mu_);
    s.pairs = users.size();
    s.forwarded = true;
  }

  static const mf_options& validated(index_t users, index_t items, const mf_options& o) {
    detail::require_positive(users, "the number of users", "MF");
    detail::require_positive(items, "the number of items", "MF");
    detail::require_positive(o.factor, "factor", "MF");
    return o;
  }

  mf_options options_;
  nn::Embedding<B> users_;
  nn::Embedding<B> items_;
  nn::Embedding<B> user_bias_;
  nn::Embedding<B> item_bias_;
  matrix mu_, dmu_;
  bool training_ = true;
  workspace own_;              // the convenience forward()/backward()'s
  matrix t_p_, t_q_, t_b_;     // jvp() scratch
  vector t_v_;
  matrix su_, sb_, fu_, fi_;   // score() / features() buffers
};

}  // namespace models
}  // namespace denoise
