// DCN<B>: Deep & Cross Network (Wang et al. 2017) as pytorch-fm builds it: on the flattened field
// embeddings x0 = [e_1 || ... || e_F] (D = 16 F),
//   cross:  x_{l+1} = x0 (w_l^T x_l) + b_l + x_l,  3 layers
//   deep:   h = MLP(x0), hidden 16, 16 (Linear -> BatchNorm -> ReLU -> Dropout(0.2) each), no output layer
//   logit = Linear([x_3 || h]) -> 1.     No linear term.
//
// Model policy (docs/policies/model.md) for field-row batches (data::field_batch).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/field_batch.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"
#include "batch_norm_mlp.hpp"
#include "detail/fields.hpp"
#include "detail/kernels.hpp"
#include "features_linear.hpp"
#include "field_embedding.hpp"
#include "options.hpp"
#include "cross_network.hpp"

namespace denoise {
namespace models {

template <class B>
class DCN {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = ctr_options;
  using batch_type = data::field_batch<B>;

  /// What one forward leaves for its backward: every layer's cache (the MLP's dropout masks and
  /// BatchNorm batch statistics among them), the activations and the scratch.
  class workspace {
   public:
    /// When true, the next forward() reuses the dropout masks of this workspace's previous
    /// training forward and leaves the BatchNorm running statistics alone: the same function at
    /// other parameter values (finite differences, assumed updates).
    bool replay = false;

   private:
    friend DCN;
    struct state {
      typename FieldEmbedding<B>::cache emb;
      typename CrossNetwork<B>::cache cross;
      typename BatchNormMLP<B>::cache mlp;
      typename nn::Dense<B>::cache out;
      matrix e, flat, h, z, y, dy, dz, dcross, dh, dflat, de;
      std::size_t rows = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "dcn"; }

  /// field_dims: the cardinality of each field (data::FieldDataset::cardinalities()).
  explicit DCN(std::vector<index_t> field_dims, ctr_options options = {}, std::uint64_t seed = 0)
      : dims_(std::move(field_dims)), options_(validated(std::move(options), dims_)),
        total_(ctr_detail::total_cardinality(dims_, "DCN")),
        embedding_(total_, options_.embed_dim, 0, options_.embedding_init),
        cross_(static_cast<index_t>(dims_.size()) * options_.embed_dim, options_.cross_layers),
        mlp_(static_cast<index_t>(dims_.size()) * options_.embed_dim, options_.mlp_dims, options_.dropout, false, 0,
             options_.mlp_init, options_.batch_norm_momentum),
        out_(static_cast<index_t>(dims_.size()) * options_.embed_dim + options_.mlp_dims.back(), 1, 0,
             options_.mlp_init) {
    reset(seed);
  }

  const std::vector<index_t>& field_dims() const noexcept { return dims_; }
  std::size_t fields() const noexcept { return dims_.size(); }
  const ctr_options& options() const noexcept { return options_; }
  BatchNormMLP<B>& mlp() noexcept { return mlp_; }

  /// Dropout on and BatchNorm on batch statistics (training), or off and on running statistics.
  void train(bool on = true) {
    training_ = on;
    mlp_.train(on);
  }
  void eval() { train(false); }
  bool training() const noexcept { return training_; }

  /// One logit per row. The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    ctr_detail::require_fields(batch, fields(), "DCN");
    auto& s = ws.s_.get();
    s.forwarded = false;
    const std::size_t n = batch.size();
    const auto f = static_cast<std::size_t>(batch.fields);
    const auto k = static_cast<std::size_t>(options_.embed_dim);
    static_cast<void>(k);
    static_cast<void>(f);
    embedding_.forward(batch.index, batch.fields, s.e, s.flat, s.emb);
    const matrix& xl = cross_.forward(s.flat, s.cross);
    s.mlp.replay = ws.replay;
    mlp_.forward(s.flat, s.h, s.mlp);
    s.z.resize(static_cast<index_t>(n), flat_dim() + s.h.cols());
    ctr_detail::put_block<B>(xl, s.z, 0);
    ctr_detail::put_block<B>(s.h, s.z, flat_dim());
    out_.forward(s.z, s.y, s.out);
    B::copy(s.y.values(), logits);
    s.rows = n;
    s.forwarded = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* sp = ws.s_.find();
    ctr_detail::require_dlogits(dlogits.size(), sp ? sp->rows : 0, sp && sp->forwarded, "DCN");
    auto& s = *sp;
    const std::size_t f = fields();
    const auto k = static_cast<std::size_t>(options_.embed_dim);
    static_cast<void>(k);
    static_cast<void>(f);
    detail::as_column<B>(dlogits, s.dy);
    out_.backward(s.out, s.dy, s.dz);
    ctr_detail::take_block<B>(s.dz, 0, flat_dim(), s.dcross);
    ctr_detail::take_block<B>(s.dz, flat_dim(), s.dz.cols() - flat_dim(), s.dh);
    mlp_.backward(s.mlp, s.dh, s.dflat);
    cross_.backward(s.cross, s.dcross, s.dflat);
    ctr_detail::reshape<B>(s.dflat, s.e.rows(), s.e.cols(), s.de);
    embedding_.backward(s.emb, s.de);
  }

  template <class F>
  void visit_parameters(F&& f) {
    embedding_.visit_parameters(f);
    cross_.visit_parameters(f);
    mlp_.visit_parameters(f);
    out_.visit_parameters(f);
  }
  /// The MLP's BatchNorm running statistics: snapshots and checkpoints keep them.
  template <class F>
  void visit_buffers(F&& f) {
    mlp_.visit_buffers(f);
  }

  /// Fresh parameters, BatchNorm running statistics and dropout streams from one seed.
  void reset(std::uint64_t seed) {
    embedding_.reset(random::derive_seed(seed, "dcn.embedding"));
    cross_.reset(random::derive_seed(seed, "dcn.cross"));
    mlp_.reset(random::derive_seed(seed, "dcn.mlp"));
    out_.reset(random::derive_seed(seed, "dcn.output"));
  }

  /// out[n, :] = the row's field embeddings, flattened (F * embed_dim columns). Own buffers.
  void features(const batch_type& batch, matrix& out) {
    ctr_detail::require_fields(batch, fields(), "DCN::features");
    embedding_.forward(batch.index, batch.fields, fe_, out, fc_);
  }
  index_t feature_dim() const noexcept { return static_cast<index_t>(fields()) * options_.embed_dim; }

 private:
  static ctr_options validated(ctr_options o, const std::vector<index_t>& dims) {
    detail::require_positive(o.embed_dim, "embed_dim", "DCN");
    if (o.mlp_dims.empty()) throw config_error("DCN: mlp_dims needs at least one layer");
    detail::require_positive(o.cross_layers, "cross_layers", "DCN");
    static_cast<void>(dims);
    return o;
  }
  index_t flat_dim() const noexcept { return static_cast<index_t>(dims_.size()) * options_.embed_dim; }


  std::vector<index_t> dims_;
  ctr_options options_;
  index_t total_;
  FieldEmbedding<B> embedding_;
  CrossNetwork<B> cross_;
  BatchNormMLP<B> mlp_;
  nn::Dense<B> out_;
  bool training_ = true;
  matrix fe_;  // features() buffers
  typename FieldEmbedding<B>::cache fc_;
};

}  // namespace models
}  // namespace denoise
