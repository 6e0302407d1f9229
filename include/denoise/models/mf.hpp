// MF<B>: biased matrix factorization, Koren, Bell & Volinsky, "Matrix Factorization Techniques
// for Recommender Systems", IEEE Computer 2009 (eq. 4), used on implicit feedback with a
// pointwise or pairwise loss (the MF base model of AutoDenoise, Ge et al.):
//   logit(u, i) = p_u · q_i + b_u + b_i + mu
// Each bias is optional (mf_options); with all three off it is the plain dot product of
// Rendle et al.'s BPR-MF.
#pragma once

#include <cstdint>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
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

  /// logits[n] = p_u · q_i (+ b_u + b_i + mu). users and items must stay alive and unchanged
  /// until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "MF");
    users_.forward(users, pu_);
    items_.forward(items, qi_);
    B::row_dot(pu_, qi_, logits);
    if (options_.user_bias) {
      user_bias_.forward(users, bias_);
      B::axpy(scalar(1), bias_.values(), logits);
    }
    if (options_.item_bias) {
      item_bias_.forward(items, bias_);
      B::axpy(scalar(1), bias_.values(), logits);
    }
    if (options_.global_bias) detail::add_scalar<B>(logits, mu_);
    pairs_ = users.size();
    forwarded_ = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits).
  void backward(const vector& dlogits) {
    detail::require_dlogits(dlogits.size(), pairs_, forwarded_, "MF");
    detail::scale_rows<B>(dlogits, qi_, dpu_);
    detail::scale_rows<B>(dlogits, pu_, dqi_);
    users_.backward(dpu_);
    items_.backward(dqi_);
    if (options_.user_bias || options_.item_bias || options_.global_bias) detail::as_column<B>(dlogits, dy_);
    if (options_.user_bias) user_bias_.backward(dy_);
    if (options_.item_bias) item_bias_.backward(dy_);
    if (options_.global_bias) B::col_sum(dy_, dmu_, scalar(1));
  }

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

  /// out[n, :] = [p_{users[n]} || q_{items[n]}]  (2 * factor columns; biases not included).
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
  bool forwarded_ = false;
  std::size_t pairs_ = 0;
  matrix pu_, qi_, bias_, dy_, dpu_, dqi_;  // training workspaces
  matrix su_, sb_, fu_, fi_;                // score() / features() workspaces
};

}  // namespace models
}  // namespace denoise
