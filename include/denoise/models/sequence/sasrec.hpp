// SASRec<B>: Kang & McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018:
//   x_t = sqrt(d) * q_{item_t} + p_t   (item embedding scaled by sqrt(d), learned positions)
//   -> dropout -> L pre-LayerNorm blocks (SASRecBlock: causal multi-head self-attention and a
//   point-wise feed-forward, residuals, dropout) -> final LayerNorm;
//   the output at the last position scores every item with the shared item table; softmax
//   cross-entropy over all items (losses::SoftmaxCrossEntropy), or sampled softmax when the
//   batch carries candidates. Defaults: d = 64, 2 blocks, 2 heads, dropout 0.2, windows of at
//   most 10 positions (max_length).
// Each example trains its last position only (one window -> the next item), the same examples
// GRU4Rec and MF see; the original trains every position of a long sequence at once.
// Sequence-model policy: see gru4rec.hpp and docs/sequential.md.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"
#include "../../nn/dropout.hpp"
#include "../../nn/init.hpp"
#include "../../nn/layer_norm.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"
#include "item_head.hpp"
#include "sasrec_block.hpp"
#include "window_layout.hpp"

namespace denoise {
namespace models {
namespace kernels {

/// x[r, k] = scale * e[r, k] + pos[r % steps, k].
template <class T>
struct add_positions {
  const T* e;
  const T* pos;
  T* x;
  std::size_t steps, d;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t r = i / d, k = i % d;
    x[i] = scale * e[i] + pos[(r % steps) * d + k];
  }
};

/// dpos[t, k] += sum_b dx[b * steps + t, k];  de = scale * dx.
template <class T>
struct position_backward {
  const T* dx;
  T* dpos;
  std::size_t n, steps, d;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t t = i / d, k = i % d;
    T acc = T(0);
    for (std::size_t b = 0; b < n; ++b) acc += dx[(b * steps + t) * d + k];
    dpos[i] += acc;
  }
};

}  // namespace kernels

struct sasrec_options {
  index_t dim = 64;         ///< embedding and model width d
  index_t blocks = 2;       ///< L
  index_t heads = 2;        ///< attention heads (d must be a multiple)
  double dropout = 0.2;     ///< after the embeddings and inside every block
  index_t max_length = 10;  ///< positions learned: windows of at most this many steps
  nn::init::initializer embedding_init = nn::init::normal(0.0, 0.01);  ///< items and positions
};

template <class B>
class SASRec {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = sasrec_options;
  using batch_type = data::sequence_batch<B>;

  class workspace {
   public:
    /// When true, the next forward() reuses the dropout masks of this workspace's last forward.
    bool replay = false;

   private:
    friend SASRec;
    struct state {
      const batch_type* batch = nullptr;
      typename nn::Dropout<B>::cache drop;
      typename nn::LayerNorm<B>::cache ln;
      typename ItemHead<B>::cache head;
      std::vector<typename SASRecBlock<B>::cache> blocks;  // sized once, then never moved
      std::vector<matrix> h;                               // h[0] block input ... h[L] last output
      WindowLayout<B> layout;
      matrix e, x, out, s, ds, dout, dh, dh_next, dx;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "sasrec"; }

  SASRec(index_t users, index_t items, sasrec_options options = {}, std::uint64_t seed = 0)
      : users_(validated(users, items, options)), options_(options),
        head_(items, options.dim, options.embedding_init),
        pos_(options.max_length, options.dim), dpos_(options.max_length, options.dim),
        dropout_(options.dropout), ln_(options.dim) {
    blocks_.reserve(static_cast<std::size_t>(options.blocks));
    for (index_t l = 0; l < options.blocks; ++l) blocks_.emplace_back(options.dim, options.heads, options.dropout);
    reset(seed);
  }

  index_t users() const noexcept { return users_; }
  index_t items() const noexcept { return head_.items(); }
  index_t padding() const noexcept { return head_.padding(); }
  const sasrec_options& options() const noexcept { return options_; }

  void train(bool on = true) noexcept {
    training_ = on;
    dropout_.train(on);
    for (auto& b : blocks_) b.train(on);
  }
  void eval() noexcept { train(false); }
  bool training() const noexcept { return training_; }

  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    auto& s = ws.s_.get();
    s.forwarded = false;
    encode(batch, s, ws.replay);
    head_.score(s.s, batch.candidates, logits, s.head);
    s.batch = &batch;
    s.forwarded = true;
  }

  /// out[b, :] = [s_b || q_{targets[b]}] of ws's last forward on `batch` (2 * dim columns): the
  /// final-LayerNorm output at the last position and the target's output embedding, as the
  /// trainer hands them to a controller (no extra forward).
  void sample_representation(const batch_type& batch, const workspace& ws, matrix& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s != nullptr && s->forwarded, "SASRec", "sample_representation");
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
  index_t feature_dim() const noexcept { return 2 * options_.dim; }

  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    if (s == nullptr || !s->forwarded) throw config_error("SASRec::backward called before forward");
    head_.score_backward(s->head, dlogits, s->ds);
    s->dout.resize(s->out.rows(), s->out.cols());
    B::fill(s->dout, scalar(0));
    B::scatter_rows(s->dout, s->layout.last_batch_major(), s->ds);
    ln_.backward(s->ln, s->dout, s->dh);
    for (std::size_t l = blocks_.size(); l-- > 0;) {
      blocks_[l].backward(s->blocks[l], s->dh, s->dh_next);
      std::swap(s->dh, s->dh_next);
    }
    dropout_.backward(s->drop, s->dh, s->dx);
    const auto n = s->layout.examples();
    const auto steps = static_cast<std::size_t>(s->layout.steps());
    const auto d = static_cast<std::size_t>(options_.dim);
    B::launch(steps * d, kernels::position_backward<scalar>{B::ptr(static_cast<const matrix&>(s->dx)), B::ptr(dpos_), n,
                                                             steps, d},
              n);
    B::scale(s->dx, embedding_scale());
    head_.lookup_backward(s->batch->items, s->dx);
  }

  /// The final-LayerNorm output of every position of ws's last forward ((n * steps) x d,
  /// batch-major): what the causal-mask test reads.
  const matrix& sequence_output(const workspace& ws) const {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s != nullptr && s->forwarded, "SASRec", "sequence_output");
    return s->out;
  }

  /// scores (batch.size() x items()) of the windows of `batch`; own workspace.
  void score(const batch_type& batch, matrix& scores) {
    forward(batch, score_ws_, score_logits_);
    scores.resize(static_cast<index_t>(batch.size()), items());
    B::copy(score_logits_, scores.values());
  }

  /// The item table, the positions, every block's parameters, the final LayerNorm.
  template <class F>
  void visit_parameters(F&& f) {
    head_.visit_parameters(f);
    f(nn::param_ref<B>{"position_embedding", pos_, dpos_, nullptr});
    for (auto& b : blocks_) b.visit_parameters(f);
    ln_.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    head_.reset(random::derive_seed(seed, "sasrec.items"));
    nn::init::apply<B>(options_.embedding_init, pos_, pos_.rows(), pos_.cols(), random::derive_seed(seed, "sasrec.positions"));
    B::fill(dpos_, scalar(0));
    dropout_.reset(random::derive_seed(seed, "sasrec.dropout"));
    for (std::size_t l = 0; l < blocks_.size(); ++l)
      blocks_[l].reset(random::derive_seed(random::derive_seed(seed, "sasrec.block"), l));
    ln_.reset(seed);
  }

 private:
  // The layers up to the last position's representation s.s.
  void encode(const batch_type& batch, typename workspace::state& s, bool replay) {
    s.layout.prepare(batch, "SASRec");
    if (batch.steps > options_.max_length)
      throw config_error("SASRec::forward: windows of " + std::to_string(batch.steps) + " steps exceed max_length " +
                         std::to_string(options_.max_length));
    const auto L = blocks_.size();
    if (s.blocks.size() != L) {
      s.blocks = std::vector<typename SASRecBlock<B>::cache>(L);
      s.h = std::vector<matrix>(L + 1);
    }
    head_.lookup(batch.items, s.e);
    s.x.resize(s.e.rows(), s.e.cols());
    const auto d = static_cast<std::size_t>(options_.dim);
    B::launch(s.e.size(), kernels::add_positions<scalar>{B::ptr(static_cast<const matrix&>(s.e)),
                                                         B::ptr(static_cast<const matrix&>(pos_)), B::ptr(s.x),
                                                         static_cast<std::size_t>(batch.steps), d, embedding_scale()});
    s.drop.replay = replay;
    dropout_.forward(s.x, s.h[0], s.drop);
    for (std::size_t l = 0; l < L; ++l) blocks_[l].forward(s.h[l], batch.steps, s.h[l + 1], s.blocks[l], replay);
    ln_.forward(s.h[L], s.out, s.ln);
    B::gather_rows(s.out, s.layout.last_batch_major(), s.s);
  }

  scalar embedding_scale() const { return static_cast<scalar>(std::sqrt(static_cast<double>(options_.dim))); }

  static index_t validated(index_t users, index_t items, const sasrec_options& o) {
    detail::require_positive(users, "the number of users", "SASRec");
    detail::require_positive(items, "the number of items", "SASRec");
    detail::require_positive(o.dim, "dim", "SASRec");
    detail::require_positive(o.blocks, "blocks", "SASRec");
    detail::require_positive(o.heads, "heads", "SASRec");
    detail::require_positive(o.max_length, "max_length", "SASRec");
    if (o.dim % o.heads != 0) throw config_error("SASRec: dim must be a multiple of heads");
    if (!(o.dropout >= 0.0 && o.dropout < 1.0)) throw config_error("SASRec: dropout must be in [0, 1)");
    return users;
  }

  index_t users_;
  sasrec_options options_;
  ItemHead<B> head_;
  matrix pos_, dpos_;
  nn::Dropout<B> dropout_;
  std::vector<SASRecBlock<B>> blocks_;
  nn::LayerNorm<B> ln_;
  bool training_ = true;
  workspace score_ws_;
  vector score_logits_;
  workspace features_ws_;  // features()'
  matrix rep_q_;           // representation scratch
};

}  // namespace models
}  // namespace denoise
