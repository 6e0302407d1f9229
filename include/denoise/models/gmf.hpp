// GMF<B>: Generalized Matrix Factorization, He et al., "Neural Collaborative Filtering", WWW 2017
// (section 3.2): logit(u, i) = h^T (p_u ⊙ q_i) + b, with user and item embeddings p, q of size
// `factor` and a learned output layer (h, b). The probability is sigmoid(logit); the loss is
// applied by the trainer.
//
// Initialisation follows the NCF reference code the ADT authors built on: embeddings N(0, 0.01^2),
// output layer Xavier-uniform with a zero bias. Factor 32 is the ADT/NCF setting.
#pragma once

#include <cstdint>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../nn/dense.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
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

  /// logits[n] = h^T (p_{users[n]} ⊙ q_{items[n]}) + b. users and items must stay alive and
  /// unchanged until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "GMF");
    users_.forward(users, pu_);
    items_.forward(items, qi_);
    detail::multiply<B>(pu_, qi_, prod_);
    out_.forward(prod_, y_);
    B::copy(y_.values(), logits);
    pairs_ = users.size();
    forwarded_ = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits).
  void backward(const vector& dlogits) {
    detail::require_dlogits(dlogits.size(), pairs_, forwarded_, "GMF");
    detail::as_column<B>(dlogits, dy_);
    out_.backward(dy_, dprod_);
    detail::multiply<B>(dprod_, qi_, dpu_);
    detail::multiply<B>(dprod_, pu_, dqi_);
    users_.backward(dpu_);
    items_.backward(dqi_);
  }

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
    B::launch(su_.size(), kernels::multiply_row_broadcast<scalar>{B::ptr(su_), B::ptr(out_.weight()), B::ptr(su_),
                                                                   detail::cols_of<B>(su_)});
    B::gemm(false, true, scalar(1), su_, items_.table(), scalar(0), scores);
    detail::add_scalar<B>(scores, out_.bias());
  }

  /// out[n, :] = [p_{users[n]} || q_{items[n]}]  (2 * factor columns).
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
  bool forwarded_ = false;
  std::size_t pairs_ = 0;
  matrix pu_, qi_, prod_, y_, dy_, dprod_, dpu_, dqi_;  // training workspaces
  matrix su_, fu_, fi_;                                // score() / features() workspaces
};

}  // namespace models
}  // namespace denoise
