// ItemHead<B>: the item table a sequence model shares between its input and its output, and the
// output scoring. Rows 0..items-1 are the items; row `items` is the padding token (learned like
// any input item, never scored).
//  - full softmax: logits[b, j] = s_b · q_j for every item j (one gemm into the logits' memory),
//  - sampled: logits[b * g + k] = s_b · q_{candidates[b * g + k]} (the target then negatives).
// The table is a dense parameter: a full-softmax backward touches every row anyway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "../detail/ops.hpp"

namespace denoise {
namespace models {
namespace kernels {

/// logits[r] = s[r / g] · q[r] for the gathered candidate rows q.
template <class T>
struct candidate_dot {
  const T* s;
  const T* q;
  T* logits;
  std::size_t g, d;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* sb = s + (r / g) * d;
    const T* qr = q + r * d;
    T acc = T(0);
    for (std::size_t k = 0; k < d; ++k) acc += sb[k] * qr[k];
    logits[r] = acc;
  }
};

/// Row b: ds[b] = sum_k dl[b g + k] q[b g + k]; dq[b g + k] = dl[b g + k] s[b].
template <class T>
struct candidate_dot_backward {
  const T* s;
  const T* q;
  const T* dl;
  T* ds;
  T* dq;
  std::size_t g, d;
  DENOISE_HOST_DEVICE void operator()(std::size_t b) const {
    for (std::size_t k = 0; k < d; ++k) ds[b * d + k] = T(0);
    for (std::size_t j = 0; j < g; ++j) {
      const std::size_t r = b * g + j;
      for (std::size_t k = 0; k < d; ++k) {
        ds[b * d + k] += dl[r] * q[r * d + k];
        dq[r * d + k] = dl[r] * s[b * d + k];
      }
    }
  }
};

}  // namespace kernels

template <class B>
class ItemHead {
  static_assert(backends::check_backend<B>(), "");

 public:
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;

  ItemHead(index_t items, index_t dim, nn::init::initializer how, std::uint64_t seed = 0)
      : items_(items), init_(how), table_(items + 1, dim), grad_(items + 1, dim) {
    if (items <= 0 || dim <= 0) throw config_error("ItemHead: items and dim must be positive");
    reset(seed);
  }

  index_t items() const noexcept { return items_; }
  index_t padding() const noexcept { return items_; }
  index_t dim() const noexcept { return table_.cols(); }
  matrix& table() noexcept { return table_; }
  const matrix& table() const noexcept { return table_; }

  /// What one scoring leaves for its backward.
  struct cache {
    const matrix* s = nullptr;
    const index_vector* candidates = nullptr;  ///< nullptr: full softmax
    matrix q, ds, dq;
  };

  /// out = table[idx] (input lookup).
  void lookup(const index_vector& idx, matrix& out) const { B::gather_rows(table_, idx, out); }
  /// grad[idx] += dout (the lookup's backward).
  void lookup_backward(const index_vector& idx, const matrix& dout) {
    B::scatter_add_rows(grad_, idx, dout, rows_, scatter_);
  }

  /// out = [s || q_{targets}] (2 dim() columns): an example's representation for a controller that
  /// reads the model (the sequence state and the target item's output embedding); q: scratch.
  void represent(const matrix& s, const index_vector& targets, matrix& q, matrix& out) const {
    B::require_same_size(targets.size(), static_cast<std::size_t>(s.rows()), "representation targets");
    B::check_indices(targets, items_, "sequence representation (targets)");
    B::gather_rows(table_, targets, q);
    out.resize(s.rows(), 2 * dim());
    detail::put_cols<B>(s, out, 0);
    detail::put_cols<B>(q, out, dim());
  }

  /// Full softmax when candidates is empty (logits: batch x items, row-major), else sampled.
  void score(const matrix& s, const index_vector& candidates, vector& logits, cache& c) const {
    c.s = &s;
    const auto n = static_cast<std::size_t>(s.rows());
    if (candidates.size() == 0) {
      c.candidates = nullptr;
      logits.resize(n * static_cast<std::size_t>(items_));
      B::gemm(false, true, scalar(1), B::as_view(s), items_view(), scalar(0), logits_view(logits, s.rows()));
      return;
    }
    if (n == 0 || candidates.size() % n != 0)
      throw config_error("ItemHead: " + std::to_string(candidates.size()) + " candidates do not split over " +
                         std::to_string(n) + " examples");
    c.candidates = &candidates;
    B::gather_rows(table_, candidates, c.q);
    logits.resize(candidates.size());
    B::launch(candidates.size(), kernels::candidate_dot<scalar>{B::ptr(s), B::ptr(static_cast<const matrix&>(c.q)),
                                                                B::ptr(logits), candidates.size() / n,
                                                                static_cast<std::size_t>(dim())},
              static_cast<std::size_t>(dim()));
  }

  /// Accumulates the table's gradient and writes ds = dL/ds.
  void score_backward(cache& c, const vector& dlogits, matrix& ds) {
    if (c.s == nullptr) throw config_error("ItemHead::score_backward called before score");
    const index_t n = c.s->rows();
    ds.resize(n, dim());
    if (c.candidates == nullptr) {
      B::require_same_size(dlogits.size(), static_cast<std::size_t>(n) * static_cast<std::size_t>(items_),
                           "sequence model dlogits");
      const auto dl = typename B::const_view{B::ptr(dlogits), n, items_};
      B::gemm(false, false, scalar(1), dl, items_view(), scalar(0), B::as_view(ds));
      const auto grad_items = B::as_view(grad_).row_block(0, items_);
      B::gemm(true, false, scalar(1), dl, B::as_view(*c.s), scalar(1), grad_items);
      return;
    }
    B::require_same_size(dlogits.size(), c.candidates->size(), "sequence model dlogits");
    c.dq.resize(c.q.rows(), c.q.cols());
    const std::size_t g = c.candidates->size() / static_cast<std::size_t>(n);
    B::launch(static_cast<std::size_t>(n),
              kernels::candidate_dot_backward<scalar>{B::ptr(*c.s), B::ptr(static_cast<const matrix&>(c.q)),
                                                      B::ptr(dlogits), B::ptr(ds), B::ptr(c.dq), g,
                                                      static_cast<std::size_t>(dim())},
              g * static_cast<std::size_t>(dim()));
    B::scatter_add_rows(grad_, *c.candidates, c.dq, rows_, scatter_);
  }

  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"item_embedding", table_, grad_, nullptr});
  }
  void reset(std::uint64_t seed) {
    nn::init::apply<B>(init_, table_, table_.rows(), table_.cols(), random::derive_seed(seed, "item_embedding"));
    B::fill(grad_, scalar(0));
  }

 private:
  typename B::const_view items_view() const { return B::as_view(table_).row_block(0, items_); }
  static typename B::view logits_view(vector& logits, index_t rows) {
    return {B::ptr(logits), rows, static_cast<index_t>(logits.size() / static_cast<std::size_t>(rows))};
  }

  index_t items_;
  nn::init::initializer init_;
  matrix table_, grad_;
  index_vector rows_;
  typename B::scatter_workspace scatter_;
};

}  // namespace models
}  // namespace denoise
