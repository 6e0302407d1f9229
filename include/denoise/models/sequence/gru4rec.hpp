// GRU4Rec<B>: Hidasi et al., "Session-based Recommendations with Recurrent Neural Networks",
// ICLR 2016, in the form of the sequential benchmarks (and of AutoDenoise, Ge et al.):
//   item embedding -> dropout -> GRU (1 layer) -> projection (Dense hidden -> embedding);
//   the state at the last position scores every item by a dot product with the same item table;
//   softmax cross-entropy over all items (losses::SoftmaxCrossEntropy), or over the target and
//   sampled negatives when the batch carries candidates (losses::SampledSoftmax).
// Input: data::sequence_batch (left-padded windows; the padding token is a learned table row).
//
// Sequence-model policy (docs/sequential.md): forward(batch, ws, logits) writes one row of
// logits per example; backward(ws, dlogits) accumulates the gradients; workspaces are
// caller-owned; ws.replay reuses the dropout mask of ws's previous forward.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/dropout.hpp"
#include "../../nn/gru.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"
#include "item_head.hpp"
#include "window_layout.hpp"

namespace denoise {
namespace models {

struct gru4rec_options {
  index_t embedding = 64;                                               ///< item embedding size d
  index_t hidden = 100;                                                 ///< GRU state size
  double dropout = 0.25;                                                ///< on the input embeddings
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< the item table
};

template <class B>
class GRU4Rec {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = gru4rec_options;
  using batch_type = data::sequence_batch<B>;

  class workspace {
   public:
    /// When true, the next forward() reuses the dropout mask of this workspace's last forward.
    bool replay = false;

   private:
    friend GRU4Rec;
    struct state {
      const batch_type* batch = nullptr;
      typename nn::Dropout<B>::cache drop;
      typename nn::GRU<B>::cache gru;
      typename nn::Dense<B>::cache proj;
      typename ItemHead<B>::cache head;
      WindowLayout<B> layout;
      matrix x, xd, xt, h_all, last, s, ds, dlast, dh_all, dxt, dxd, dx;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "gru4rec"; }

  GRU4Rec(index_t users, index_t items, gru4rec_options options = {}, std::uint64_t seed = 0)
      : users_(validated(users, items, options)), options_(options),
        head_(items, options.embedding, options.embedding_init),
        dropout_(options.dropout),
        gru_(options.embedding, options.hidden),
        proj_(options.hidden, options.embedding) {
    reset(seed);
  }

  index_t users() const noexcept { return users_; }
  index_t items() const noexcept { return head_.items(); }
  /// The id that left-pads short windows.
  index_t padding() const noexcept { return head_.padding(); }
  const gru4rec_options& options() const noexcept { return options_; }

  void train(bool on = true) noexcept {
    training_ = on;
    dropout_.train(on);
  }
  void eval() noexcept { train(false); }
  bool training() const noexcept { return training_; }

  /// logits: batch.size() rows of items() (full softmax) or of batch.group_size() (sampled).
  /// The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    auto& s = ws.s_.get();
    s.forwarded = false;
    encode(batch, s, ws.replay);
    head_.score(s.s, batch.candidates, logits, s.head);
    s.batch = &batch;
    s.forwarded = true;
  }

  /// out[b, :] = [s_b || q_{targets[b]}] of ws's last forward on `batch` (2 * embedding columns):
  /// the projected state at the last position and the target's output embedding, as the trainer
  /// hands them to a controller (no extra forward).
  void sample_representation(const batch_type& batch, const workspace& ws, matrix& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s != nullptr && s->forwarded, "GRU4Rec", "sample_representation");
    head_.represent(s->s, batch.targets, rep_q_, out);
  }
  /// The same from a forward of its own with dropout off (the model's mode is kept). Own buffers.
  void features(const batch_type& batch, matrix& out) {
    const bool was = training_;
    train(false);
    auto& s = features_ws_.s_.get();
    encode(batch, s, false);
    train(was);
    head_.represent(s.s, batch.targets, rep_q_, out);
  }
  index_t feature_dim() const noexcept { return 2 * options_.embedding; }

  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    if (s == nullptr || !s->forwarded) throw config_error("GRU4Rec::backward called before forward");
    head_.score_backward(s->head, dlogits, s->ds);
    proj_.backward(s->proj, s->ds, s->dlast);
    s->dh_all.resize(s->h_all.rows(), s->h_all.cols());
    B::fill(s->dh_all, scalar(0));
    B::scatter_rows(s->dh_all, s->layout.last_time_major(), s->dlast);
    gru_.backward(s->gru, s->dh_all, s->dxt);
    s->dxd.resize(s->xd.rows(), s->xd.cols());
    B::scatter_rows(s->dxd, s->layout.time_major(), s->dxt);
    dropout_.backward(s->drop, s->dxd, s->dx);
    head_.lookup_backward(s->batch->items, s->dx);
  }

  /// scores (batch.size() x items()) of the windows of `batch` in evaluation mode is the caller's
  /// choice (eval()); uses its own workspace, so a pending forward/backward is not disturbed.
  void score(const batch_type& batch, matrix& scores) {
    forward(batch, score_ws_, score_logits_);
    scores.resize(static_cast<index_t>(batch.size()), items());
    B::copy(score_logits_, scores.values());
  }

  /// The item table (with the padding row), then the GRU's, then the projection's parameters.
  template <class F>
  void visit_parameters(F&& f) {
    head_.visit_parameters(f);
    gru_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{gru_name(p.name), p.value, p.grad, p.touched}); });
    proj_.visit_parameters([&](nn::param_ref<B> p) {
      f(nn::param_ref<B>{p.name[0] == 'w' ? "projection_weight" : "projection_bias", p.value, p.grad, p.touched});
    });
  }

  void reset(std::uint64_t seed) {
    head_.reset(random::derive_seed(seed, "gru4rec.items"));
    dropout_.reset(random::derive_seed(seed, "gru4rec.dropout"));
    gru_.reset(random::derive_seed(seed, "gru4rec.gru"));
    proj_.reset(random::derive_seed(seed, "gru4rec.projection"));
  }

 private:
  // The layers up to the projected last state s.s.
  void encode(const batch_type& batch, typename workspace::state& s, bool replay) {
    s.layout.prepare(batch, "GRU4Rec");
    head_.lookup(batch.items, s.x);
    s.drop.replay = replay;
    dropout_.forward(s.x, s.xd, s.drop);
    B::gather_rows(s.xd, s.layout.time_major(), s.xt);  // the GRU reads time-major rows
    gru_.forward(s.xt, batch.steps, s.h_all, s.gru);
    B::gather_rows(s.h_all, s.layout.last_time_major(), s.last);
    proj_.forward(s.last, s.s, s.proj);
  }

  static const char* gru_name(const char* n) {
    const std::string s(n);
    if (s == "w_input") return "gru_w_input";
    if (s == "w_hidden") return "gru_w_hidden";
    if (s == "b_input") return "gru_b_input";
    return "gru_b_hidden";
  }
  static index_t validated(index_t users, index_t items, const gru4rec_options& o) {
    detail::require_positive(users, "the number of users", "GRU4Rec");
    detail::require_positive(items, "the number of items", "GRU4Rec");
    detail::require_positive(o.embedding, "embedding", "GRU4Rec");
    detail::require_positive(o.hidden, "hidden", "GRU4Rec");
    if (!(o.dropout >= 0.0 && o.dropout < 1.0)) throw config_error("GRU4Rec: dropout must be in [0, 1)");
    return users;
  }

  index_t users_;
  gru4rec_options options_;
  ItemHead<B> head_;
  nn::Dropout<B> dropout_;
  nn::GRU<B> gru_;
  nn::Dense<B> proj_;
  bool training_ = true;
  workspace score_ws_;   // score()'s
  vector score_logits_;
  workspace features_ws_;  // features()'
  matrix rep_q_;           // representation scratch
};

}  // namespace models
}  // namespace denoise
