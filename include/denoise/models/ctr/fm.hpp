// FM<B>: the factorization machine (Rendle 2010) as pytorch-fm builds it:
//   logit(x) = b + sum_f w[x_f] + 1/2 sum_j [ (sum_f e_fj)^2 - sum_f e_fj^2 ]
// over the field embeddings e_f = V[x_f] (one k-wide table for all field values, k = 16 by
// default). The pairwise term is computed per sample in O(F k), no per-pair loop.
//
// Model policy (docs/policies/model.md) for field-row batches (data::field_batch): forward(batch,
// workspace, logits) and backward(workspace, dlogits) on a caller-owned workspace. No stochastic
// layer: workspace::replay is accepted and changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../data/field_batch.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"
#include "detail/fields.hpp"
#include "detail/kernels.hpp"
#include "features_linear.hpp"
#include "field_embedding.hpp"
#include "options.hpp"

namespace denoise {
namespace models {

template <class B>
class FM {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using options_type = ctr_options;
  using batch_type = data::field_batch<B>;

  /// What one forward leaves for its backward: the layers' caches, the embeddings and the
  /// per-sample sums of the embeddings.
  class workspace {
   public:
    bool replay = false;  ///< accepted; FM has nothing stochastic

   private:
    friend FM;
    struct state {
      typename FeaturesLinear<B>::cache linear;
      typename FieldEmbedding<B>::cache emb;
      matrix e, flat, sums, de;
      vector pair_term;
      std::size_t rows = 0;
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

  static constexpr const char* name() { return "fm"; }

  /// field_dims: the cardinality of each field (data::FieldDataset::cardinalities()).
  explicit FM(std::vector<index_t> field_dims, ctr_options options = {}, std::uint64_t seed = 0)
      : dims_(std::move(field_dims)), options_(std::move(options)),
        total_(ctr_detail::total_cardinality(dims_, "FM")),
        linear_(total_, 0, options_.linear_init),
        embedding_(total_, positive(options_.embed_dim), 0, options_.embedding_init) {
    reset(seed);
  }

  const std::vector<index_t>& field_dims() const noexcept { return dims_; }
  std::size_t fields() const noexcept { return dims_.size(); }
  const ctr_options& options() const noexcept { return options_; }

  void train(bool on = true) { training_ = on; }
  void eval() { train(false); }
  bool training() const noexcept { return training_; }

  /// One logit per row. The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    ctr_detail::require_fields(batch, fields(), "FM");
    auto& s = ws.s_.get();
    s.forwarded = false;
    const std::size_t n = batch.size();
    const auto f = static_cast<std::size_t>(batch.fields);
    linear_.forward(batch.index, f, logits, s.linear);
    embedding_.forward(batch.index, batch.fields, s.e, s.flat, s.emb);
    const auto k = static_cast<std::size_t>(options_.embed_dim);
    s.sums.resize(static_cast<index_t>(n), options_.embed_dim);
    if (s.pair_term.size() != n) s.pair_term.resize(n);
    B::launch(n, ctr_kernels::fm_forward<scalar>{B::ptr(s.e), B::ptr(s.sums), B::ptr(s.pair_term), f, k}, f * k);
    B::axpy(scalar(1), s.pair_term, logits);
    s.rows = n;
    s.forwarded = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    ctr_detail::require_dlogits(dlogits.size(), s ? s->rows : 0, s && s->forwarded, "FM");
    linear_.backward(s->linear, dlogits);
    s->de.resize(s->e.rows(), s->e.cols());
    B::fill(s->de, scalar(0));
    B::launch(static_cast<std::size_t>(s->de.rows()),
              ctr_kernels::fm_backward<scalar>{B::ptr(s->e), B::ptr(s->sums), B::ptr(dlogits), B::ptr(s->de),
                                               fields(), static_cast<std::size_t>(options_.embed_dim)},
              static_cast<std::size_t>(options_.embed_dim));
    embedding_.backward(s->emb, s->de);
  }

  /// The linear term's weights and bias, then the embedding table.
  template <class F>
  void visit_parameters(F&& f) {
    linear_.visit_parameters(f);
    embedding_.visit_parameters(f);
  }

  void reset(std::uint64_t seed) {
    linear_.reset(random::derive_seed(seed, "fm.linear"));
    embedding_.reset(random::derive_seed(seed, "fm.embedding"));
  }

  /// out[n, :] = the row's field embeddings, flattened (F * embed_dim columns). Own buffers.
  void features(const batch_type& batch, matrix& out) {
    ctr_detail::require_fields(batch, fields(), "FM::features");
    embedding_.forward(batch.index, batch.fields, fe_, out, fc_);
  }
  index_t feature_dim() const noexcept { return static_cast<index_t>(fields()) * options_.embed_dim; }

 private:
  static index_t positive(index_t v) {
    detail::require_positive(v, "embed_dim", "FM");
    return v;
  }

  std::vector<index_t> dims_;
  ctr_options options_;
  index_t total_;
  FeaturesLinear<B> linear_;
  FieldEmbedding<B> embedding_;
  bool training_ = true;
  matrix fe_;  // features() buffers
  typename FieldEmbedding<B>::cache fc_;
};

}  // namespace models
}  // namespace denoise
