// Embedding<B>: a rows x dim table; forward gathers rows, backward scatter-adds the output
// gradient into the touched rows only (sparse row gradients, race-free and deterministic).
//
// Layer API (every nn layer): the parameters and their gradients live in the layer; what one
// forward leaves for its backward/tangent lives in a caller-owned `cache`, passed explicitly:
//   Embedding<B>::cache c;  emb.forward(idx, out, c);  ...  emb.backward(c, dout);
// so one layer can serve several pending forwards at once. Scratch that only lives inside one call
// (the scatter buffers of backward) stays in the layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "init.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {
/// Row i: out[i, :] = the row rows.add_to(i, .) adds (to zeros, so the same values).
template <class T, class Rows>
struct write_rows {
  Rows rows;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    T* row = out + i * cols;
    for (std::size_t c = 0; c < cols; ++c) row[c] = T(0);
    rows.add_to(i, row);
  }
};
}  // namespace kernels

template <class B>
class Embedding {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using index_vector = typename B::index_vector;

  /// A table of `rows` embeddings of size `dim`, initialised N(0, 0.01^2) unless told otherwise.
  Embedding(index_t rows, index_t dim, std::uint64_t seed = 0,
            init::initializer how = init::normal(0.0, 0.01))
      : init_(how), table_(rows, dim), grad_(rows, dim) {
    if (rows <= 0 || dim <= 0) throw config_error("Embedding: rows and dim must be positive");
    reset(seed);
  }

  index_t rows() const noexcept { return table_.rows(); }
  index_t dim() const noexcept { return table_.cols(); }
  matrix& table() noexcept { return table_; }
  const matrix& table() const noexcept { return table_; }
  matrix& gradient() noexcept { return grad_; }
  /// Rows whose gradient may be non-zero since the last zero_grad (ascending).
  const index_vector& touched() const noexcept { return touched_; }

  /// What forward() leaves for backward()/tangent(): the looked-up ids (referenced, not copied).
  struct cache {
    const index_vector* idx = nullptr;
  };

  /// out[i, :] = table[idx[i], :]. idx must stay alive and unchanged until backward().
  void forward(const index_vector& idx, matrix& out, cache& c) const {
    B::gather_rows(table_, idx, out);
    c.idx = &idx;
  }

  /// Records idx as the rows of a lookup the caller made itself (a model that gathers each
  /// distinct row once), so that tangent() and per-sample gradients work as after forward(idx).
  /// Same lifetime rule for idx. Indices are checked when they are used.
  void attach(const index_vector& idx, cache& c) const { c.idx = &idx; }

  /// Accumulates d table[idx[i], :] += dout[i, :] for the forward that filled c.
  void backward(const cache& c, const matrix& dout) {
    if (c.idx == nullptr) throw config_error("Embedding::backward called before forward");
    B::scatter_add_rows(grad_, *c.idx, dout, step_rows_, workspace_);
    B::merge_rows(touched_, step_rows_, scratch_);
  }

  /// backward() with d out given as computed rows: `rows.add_to(i, row)` adds d out[i, :] to `row`
  /// (a kernel functor; see B::scatter_add_rows_from). A model's fused backward uses it so that
  /// d out is never stored. A backend without scatter_add_rows_from gets d out written first.
  template <class Rows>
  void backward_rows(const cache& c, const Rows& rows) {
    if (c.idx == nullptr) throw config_error("Embedding::backward called before forward");
    if constexpr (backends::has_scatter_add_rows_from_v<B, Rows>) {
      B::scatter_add_rows_from(grad_, *c.idx, rows, step_rows_, workspace_);
    } else {
      written_.resize(static_cast<index_t>(c.idx->size()), table_.cols());
      B::launch(c.idx->size(), kernels::write_rows<typename B::scalar, Rows>{rows, B::ptr(written_),
                                                                            static_cast<std::size_t>(table_.cols())});
      B::scatter_add_rows(grad_, *c.idx, written_, step_rows_, workspace_);
    }
    B::merge_rows(touched_, step_rows_, scratch_);
  }

  /// Forward-mode derivative: out_dot = d_table[idx, :] for a direction d_table shaped like the table.
  void tangent(const cache& c, const matrix& d_table, matrix& out_dot) const {
    if (c.idx == nullptr) throw config_error("Embedding::tangent called before forward");
    B::require_same_shape(d_table, table_, "Embedding::tangent");
    B::gather_rows(d_table, *c.idx, out_dot);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(param_ref<B>{"embedding", table_, grad_, &touched_});
  }

  void reset(std::uint64_t seed) {
    init::apply<B>(init_, table_, table_.rows(), table_.cols(), random::derive_seed(seed, "embedding"));
    B::fill(grad_, typename B::scalar(0));
    touched_.clear();
  }

 private:
  init::initializer init_;
  matrix table_;
  matrix grad_;
  index_vector touched_;
  index_vector step_rows_;
  index_vector scratch_;
  typename B::scatter_workspace workspace_;  // backward() scratch
  matrix written_;                           // backward_rows() on a backend without scatter_add_rows_from
};

}  // namespace nn
}  // namespace denoise
