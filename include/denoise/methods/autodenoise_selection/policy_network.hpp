// PolicyNetwork<B>: Θ, the instance-selection policy of AutoDenoise (Lin et al., WWW'23, §3 of
// ALGORITHMS.md). It reads the same field rows as the CTR model but has its own embeddings:
//
//   field embeddings (embed_dim per field, Xavier-uniform) -> flatten (F * embed_dim)
//   -> [Linear hidden, BatchNorm, ReLU, Dropout p] x len(hidden) -> Linear 2 -> softmax
//
// Column 1 of the two logits is "select", column 0 "deselect" [code]. The defaults are the
// authors' shapes (16 per field, hidden 16, 16, dropout 0.2). The output layer is initialised
// Xavier-uniform like the hidden ones [ours: PyTorch's default Linear init in the code].
//
// Layout of a call: forward(batch, ws, logits) then backward(ws, dlogits) accumulate every
// parameter gradient (zero them first with nn::zero_grad); the per-forward state (dropout masks,
// BatchNorm batch statistics) lives in the caller's workspace. probabilities() is the softmax.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/field_batch.hpp"
#include "../../models/ctr/batch_norm_mlp.hpp"
#include "../../models/ctr/detail/fields.hpp"
#include "../../models/ctr/field_embedding.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"

namespace denoise {
namespace methods {

/// The shape of Θ.
struct policy_network_options {
  index_t embed_dim = 16;               ///< embedding size of every field [code]
  std::vector<index_t> hidden{16, 16};  ///< Linear -> BatchNorm -> ReLU -> Dropout, each [code]
  double dropout = 0.2;                 ///< after each hidden ReLU, training mode only [code]
  double batch_norm_momentum = 0.1;     ///< PyTorch's BatchNorm1d default

  /// Throws config_error naming the field when a size is not positive or dropout is outside [0, 1).
  void validate() const {
    if (embed_dim <= 0) throw config_error("policy network: embed_dim must be positive", location::of_field("policy_embed_dim"));
    if (hidden.empty()) throw config_error("policy network: needs at least one hidden layer", location::of_field("policy_hidden"));
    for (index_t h : hidden) {
      if (h <= 0) throw config_error("policy network: hidden sizes must be positive", location::of_field("policy_hidden"));
    }
    if (!(dropout >= 0.0 && dropout < 1.0)) {
      throw config_error("policy network: dropout must lie in [0, 1)", location::of_field("policy_dropout"));
    }
  }
};

namespace detail {

/// Row r of a rows x 2 matrix: the softmax of the two logits.
template <class S>
struct softmax_two {
  const S* logits;
  S* probs;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S z0 = logits[2 * r];
    const S z1 = logits[2 * r + 1];
    const S d = z1 - z0;  // p1 = σ(z1 - z0), stable on both sides
    const S p1 = d >= S(0) ? S(1) / (S(1) + std::exp(-d)) : std::exp(d) / (S(1) + std::exp(d));
    probs[2 * r] = S(1) - p1;
    probs[2 * r + 1] = p1;
  }
};

}  // namespace detail

template <class B>
class PolicyNetwork {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using batch_type = data::field_batch<B>;

  /// What one forward leaves for its backward.
  class workspace {
   private:
    friend PolicyNetwork;
    typename models::FieldEmbedding<B>::cache emb;
    typename models::BatchNormMLP<B>::cache mlp;
    typename nn::Dense<B>::cache head;
    matrix e, flat, hidden, dhidden, dflat, de;
    std::size_t rows = 0;
    bool forwarded = false;
  };

  /// field_dims: the cardinality of each field (data::FieldDataset::cardinalities()).
  explicit PolicyNetwork(std::vector<index_t> field_dims, policy_network_options options = {}, std::uint64_t seed = 0)
      : dims_(std::move(field_dims)), options_(validated(std::move(options))),
        embedding_(models::ctr_detail::total_cardinality(dims_, "PolicyNetwork"), options_.embed_dim, 0,
                   nn::init::xavier_uniform()),
        mlp_(static_cast<index_t>(dims_.size()) * options_.embed_dim, options_.hidden, options_.dropout, false, 0,
             nn::init::xavier_uniform(), options_.batch_norm_momentum),
        head_(options_.hidden.back(), 2, 0, nn::init::xavier_uniform()) {
    reset(seed);
  }

  static constexpr const char* name() { return "autodenoise_policy"; }
  const std::vector<index_t>& field_dims() const noexcept { return dims_; }
  std::size_t fields() const noexcept { return dims_.size(); }
  const policy_network_options& options() const noexcept { return options_; }

  /// Dropout on and BatchNorm on batch statistics (training), or off and on running statistics.
  void train(bool on = true) {
    training_ = on;
    mlp_.train(on);
  }
  void eval() { train(false); }
  bool training() const noexcept { return training_; }

  /// logits: rows x 2 (deselect, select). The batch must stay unchanged until backward().
  void forward(const batch_type& batch, workspace& ws, matrix& logits) {
    models::ctr_detail::require_fields(batch, fields(), "PolicyNetwork");
    ws.forwarded = false;
    embedding_.forward(batch.index, batch.fields, ws.e, ws.flat, ws.emb);
    mlp_.forward(ws.flat, ws.hidden, ws.mlp);
    head_.forward(ws.hidden, logits, ws.head);
    ws.rows = batch.size();
    ws.forwarded = true;
  }

  /// Accumulates the parameter gradients for dlogits (rows x 2) of ws's forward.
  void backward(workspace& ws, const matrix& dlogits) {
    if (!ws.forwarded) throw config_error("PolicyNetwork::backward called before forward", location::of_field("policy"));
    if (static_cast<std::size_t>(dlogits.rows()) != ws.rows || dlogits.cols() != 2) {
      throw config_error("PolicyNetwork::backward: dlogits of " + std::to_string(dlogits.rows()) + "x" +
                             std::to_string(dlogits.cols()) + " for a forward of " + std::to_string(ws.rows) + " rows",
                         location::of_field("dlogits"));
    }
    head_.backward(ws.head, dlogits, ws.dhidden);
    mlp_.backward(ws.mlp, ws.dhidden, ws.dflat);
    models::ctr_detail::reshape<B>(ws.dflat, ws.e.rows(), ws.e.cols(), ws.de);
    embedding_.backward(ws.emb, ws.de);
  }

  /// probs[r, :] = softmax(logits[r, :]) for rows x 2 logits.
  static void probabilities(const matrix& logits, matrix& probs) {
    if (logits.cols() != 2) throw config_error("PolicyNetwork::probabilities needs 2 columns", location::of_field("logits"));
    probs.resize(logits.rows(), 2);
    B::launch(static_cast<std::size_t>(logits.rows()), detail::softmax_two<scalar>{B::ptr(logits), B::ptr(probs)});
  }

  template <class F>
  void visit_parameters(F&& f) {
    embedding_.visit_parameters(f);
    mlp_.visit_parameters(f);
    head_.visit_parameters(f);
  }
  /// The BatchNorm running statistics.
  template <class F>
  void visit_buffers(F&& f) {
    mlp_.visit_buffers(f);
  }

  /// Fresh parameters, running statistics and dropout streams from one seed.
  void reset(std::uint64_t seed) {
    embedding_.reset(random::derive_seed(seed, "policy.embedding"));
    mlp_.reset(random::derive_seed(seed, "policy.mlp"));
    head_.reset(random::derive_seed(seed, "policy.head"));
  }

  /// The output layer (tests read and set its weights).
  nn::Dense<B>& head() noexcept { return head_; }

 private:
  static policy_network_options validated(policy_network_options o) {
    o.validate();
    return o;
  }

  std::vector<index_t> dims_;
  policy_network_options options_;
  models::FieldEmbedding<B> embedding_;
  models::BatchNormMLP<B> mlp_;
  nn::Dense<B> head_;
  bool training_ = true;
};

}  // namespace methods
}  // namespace denoise
