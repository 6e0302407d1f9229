// FieldEmbedding<B>: one k-wide embedding table over every field value (the fields share it
// through their offsets, pytorch-fm's FeaturesEmbedding). forward() gives both views of a batch's
// embeddings: E (n*F x k, one row per field of each sample) and the flattened n x F*k.
#pragma once

#include <cstdint>

#include "../../backends/static_checks.hpp"
#include "../../nn/embedding.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "detail/fields.hpp"

namespace denoise {
namespace models {

template <class B>
class FieldEmbedding {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using index_vector = typename B::index_vector;

  FieldEmbedding(index_t features, index_t dim, std::uint64_t seed = 0,
                 nn::init::initializer how = nn::init::xavier_uniform())
      : table_(features, dim, seed, how) {}

  index_t dim() const noexcept { return table_.dim(); }
  index_t features() const noexcept { return table_.rows(); }
  nn::Embedding<B>& table() noexcept { return table_; }

  struct cache {
    typename nn::Embedding<B>::cache emb;
  };

  /// e = table[index] (n*F x k) and flat = e as n x F*k.
  void forward(const index_vector& index, index_t fields, matrix& e, matrix& flat, cache& c) const {
    table_.forward(index, e, c.emb);
    ctr_detail::reshape<B>(e, static_cast<index_t>(index.size()) / fields, fields * dim(), flat);
  }

  /// Accumulates the table gradient for de (n*F x k).
  void backward(const cache& c, const matrix& de) { table_.backward(c.emb, de); }

  template <class F>
  void visit_parameters(F&& f) {
    table_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"embedding", p.value, p.grad, p.touched}); });
  }

  void reset(std::uint64_t seed) { table_.reset(seed); }

 private:
  nn::Embedding<B> table_;
};

}  // namespace models
}  // namespace denoise
