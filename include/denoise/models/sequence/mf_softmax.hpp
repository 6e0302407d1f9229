// MFSoftmax<B>: matrix factorization on the sequential task (Ge et al. train MF "with a softmax
// loss over items" on the same protocol): logits[b, j] = p_{user_b} · q_j for every item j,
// softmax cross-entropy over all items (or sampled candidates). The window is ignored: MF is the
// order-free baseline the sequence models must beat on the next-item protocol.
#pragma once

#include <cstdint>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"
#include "../../nn/embedding.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"
#include "item_head.hpp"

namespace denoise {
namespace models {

struct mf_softmax_options {
  index_t factor = 64;                                                  ///< embedding size
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< p and q
};

template <class B>
class MFSoftmax {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = mf_softmax_options;
  using batch_type = data::sequence_batch<B>;

  class workspace {
   public:
    bool replay = false;  ///< MF has no stochastic layer: accepted and ignored

   private:
    friend MFSoftmax;
    struct state {
      typename nn::Embedding<B>::cache user;
      typename ItemHead<B>::cache head;
      matrix p, dp;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "mf_softmax"; }

  MFSoftmax(index_t users, index_t items, mf_softmax_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)), users_(users, options.factor, 0, options.embedding_init),
        head_(items, options.factor, options.embedding_init) {
    reset(seed);
  }

  index_t users() const noexcept { return users_.rows(); }
  index_t items() const noexcept { return head_.items(); }
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }

  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    auto& s = ws.s_.get();
    s.forwarded = false;
    if (batch.users.size() != batch.size() || batch.size() == 0)
      throw config_error("MFSoftmax::forward: one user per example needed");
    users_.forward(batch.users, s.p, s.user);
    head_.score(s.p, batch.candidates, logits, s.head);
    s.forwarded = true;
  }

  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    if (s == nullptr || !s->forwarded) throw config_error("MFSoftmax::backward called before forward");
    head_.score_backward(s->head, dlogits, s->dp);
    users_.backward(s->user, s->dp);
  }

  /// out[b, :] = [p_{users[b]} || q_{targets[b]}] of ws's last forward on `batch` (2 * factor
  /// columns), as the trainer hands them to a controller.
  void sample_representation(const batch_type& batch, const workspace& ws, matrix& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s != nullptr && s->forwarded, "MFSoftmax", "sample_representation");
    head_.represent(s->p, batch.targets, rep_q_, out);
  }
  /// The same read from the tables (no forward needed). Own buffers.
  void features(const batch_type& batch, matrix& out) {
    B::check_indices(batch.users, users(), "MFSoftmax::features (users)");
    B::gather_rows(users_.table(), batch.users, rep_p_);
    head_.represent(rep_p_, batch.targets, rep_q_, out);
  }
  index_t feature_dim() const noexcept { return 2 * options_.factor; }

  void score(const batch_type& batch, matrix& scores) {
    forward(batch, score_ws_, score_logits_);
    scores.resize(static_cast<index_t>(batch.size()), items());
    B::copy(score_logits_, scores.values());
  }

  template <class F>
  void visit_parameters(F&& f) {
    users_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"user_embedding", p.value, p.grad, p.touched}); });
    head_.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    users_.reset(random::derive_seed(seed, "mf_softmax.user"));
    head_.reset(random::derive_seed(seed, "mf_softmax.item"));
  }

 private:
  static const mf_softmax_options& validated(index_t users, index_t items, const mf_softmax_options& o) {
    detail::require_positive(users, "the number of users", "MFSoftmax");
    detail::require_positive(items, "the number of items", "MFSoftmax");
    detail::require_positive(o.factor, "factor", "MFSoftmax");
    return o;
  }

  mf_softmax_options options_;
  nn::Embedding<B> users_;
  ItemHead<B> head_;
  bool training_ = true;
  workspace score_ws_;
  vector score_logits_;
  matrix rep_p_, rep_q_;  // representation scratch
};

}  // namespace models
}  // namespace denoise
