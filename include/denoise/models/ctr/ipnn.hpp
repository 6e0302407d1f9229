// IPNN<B>: the inner-product neural network (Qu et al. 2016; pytorch-fm's
// ProductNeuralNetworkModel with method 'inner'):
//   p = [<e_a, e_b>  for every field pair a < b, in the order (0,1), (0,2), ..., (1,2), ...]
//   logit = MLP([e_1 || ... || e_F || p])
// MLP: hidden layers options().mlp_dims (the IPNN: one layer of 16; ipnn_options() gives
// it), each Linear -> BatchNorm -> ReLU -> Dropout(0.2), then Linear -> 1. No linear term.
// Needs at least two fields.
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

namespace denoise {
namespace models {

template <class B>
class IPNN {
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
    friend IPNN;
    struct state {
      typename FieldEmbedding<B>::cache emb;
      typename BatchNormMLP<B>::cache mlp;
      matrix e, flat, products, z, y, dy, dz, dflat, dproducts, de;
      std::size_t rows = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "ipnn"; }

  /// field_dims: the cardinality of each field (data::FieldDataset::cardinalities()).
  explicit IPNN(std::vector<index_t> field_dims, ctr_options options = ipnn_options(), std::uint64_t seed = 0)
      : dims_(std::move(field_dims)), options_(validated(std::move(options), dims_)),
        total_(ctr_detail::total_cardinality(dims_, "IPNN")),
        embedding_(total_, options_.embed_dim, 0, options_.embedding_init),
        mlp_(static_cast<index_t>(dims_.size()) * options_.embed_dim + pairs(), options_.mlp_dims, options_.dropout,
             true, 0, options_.mlp_init, options_.batch_norm_momentum) {
    reset(seed);
  }

  const std::vector<index_t>& field_dims() const noexcept { return dims_; }
  std::size_t fields() const noexcept { return dims_.size(); }
  const ctr_options& options() const noexcept { return options_; }
  BatchNormMLP<B>& mlp() noexcept { return mlp_; }
  /// F (F - 1) / 2 inner products.
  index_t pairs() const noexcept {
    const auto f = static_cast<index_t>(dims_.size());
    return f * (f - 1) / 2;
  }
  /// The IPNN shape: ctr_options with one hidden layer of 16.
  static ctr_options ipnn_options() {
    ctr_options o;
    o.mlp_dims = {16};
    return o;
  }

  /// Dropout on and BatchNorm on batch statistics (training), or off and on running statistics.
  void train(bool on = true) {
    training_ = on;
    mlp_.train(on);
  }
  void eval() { train(false); }
  bool training() const noexcept { return training_; }

  /// One logit per row. The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    ctr_detail::require_fields(batch, fields(), "IPNN");
    auto& s = ws.s_.get();
    s.forwarded = false;
    const std::size_t n = batch.size();
    const auto f = static_cast<std::size_t>(batch.fields);
    const auto k = static_cast<std::size_t>(options_.embed_dim);
    static_cast<void>(k);
    static_cast<void>(f);
    embedding_.forward(batch.index, batch.fields, s.e, s.flat, s.emb);
    const auto np = static_cast<std::size_t>(pairs());
    s.products.resize(static_cast<index_t>(n), pairs());
    B::launch(s.products.size(), ctr_kernels::inner_products<scalar>{B::ptr(s.e), B::ptr(s.products), f, k, np}, k);
    s.z.resize(static_cast<index_t>(n), flat_dim() + pairs());
    ctr_detail::put_block<B>(s.flat, s.z, 0);
    ctr_detail::put_block<B>(s.products, s.z, flat_dim());
    s.mlp.replay = ws.replay;
    mlp_.forward(s.z, s.y, s.mlp);
    B::copy(s.y.values(), logits);
    s.rows = n;
    s.forwarded = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* sp = ws.s_.find();
    ctr_detail::require_dlogits(dlogits.size(), sp ? sp->rows : 0, sp && sp->forwarded, "IPNN");
    auto& s = *sp;
    const std::size_t f = fields();
    const auto k = static_cast<std::size_t>(options_.embed_dim);
    static_cast<void>(k);
    static_cast<void>(f);
    detail::as_column<B>(dlogits, s.dy);
    mlp_.backward(s.mlp, s.dy, s.dz);
    ctr_detail::take_block<B>(s.dz, 0, flat_dim(), s.dflat);
    ctr_detail::take_block<B>(s.dz, flat_dim(), pairs(), s.dproducts);
    ctr_detail::reshape<B>(s.dflat, s.e.rows(), s.e.cols(), s.de);
    B::launch(s.de.size(), ctr_kernels::inner_products_backward<scalar>{B::ptr(s.e), B::ptr(s.dproducts), B::ptr(s.de),
                                                                        f, k, static_cast<std::size_t>(pairs())},
              f * k);
    embedding_.backward(s.emb, s.de);
  }

  template <class F>
  void visit_parameters(F&& f) {
    embedding_.visit_parameters(f);
    mlp_.visit_parameters(f);
  }
  /// The MLP's BatchNorm running statistics: snapshots and checkpoints keep them.
  template <class F>
  void visit_buffers(F&& f) {
    mlp_.visit_buffers(f);
  }

  /// Fresh parameters, BatchNorm running statistics and dropout streams from one seed.
  void reset(std::uint64_t seed) {
    embedding_.reset(random::derive_seed(seed, "ipnn.embedding"));
    mlp_.reset(random::derive_seed(seed, "ipnn.mlp"));
  }

  /// out[n, :] = the row's field embeddings, flattened (F * embed_dim columns). Own buffers.
  void features(const batch_type& batch, matrix& out) {
    ctr_detail::require_fields(batch, fields(), "IPNN::features");
    embedding_.forward(batch.index, batch.fields, fe_, out, fc_);
  }
  index_t feature_dim() const noexcept { return static_cast<index_t>(fields()) * options_.embed_dim; }

 private:
  static ctr_options validated(ctr_options o, const std::vector<index_t>& dims) {
    detail::require_positive(o.embed_dim, "embed_dim", "IPNN");
    if (o.mlp_dims.empty()) throw config_error("IPNN: mlp_dims needs at least one layer");
    if (dims.size() < 2) throw config_error("IPNN: needs at least two fields");
    static_cast<void>(dims);
    return o;
  }
  index_t flat_dim() const noexcept { return static_cast<index_t>(dims_.size()) * options_.embed_dim; }

  std::vector<index_t> dims_;
  ctr_options options_;
  index_t total_;
  FieldEmbedding<B> embedding_;
  BatchNormMLP<B> mlp_;
  bool training_ = true;
  matrix fe_;  // features() buffers
  typename FieldEmbedding<B>::cache fc_;
};

}  // namespace models
}  // namespace denoise
