// Products with a NormalizedAdjacency Â on any backend:
//   propagate(Â, x, y)                      y = Â x            (forward of a graph layer)
//   propagate(Â, x, y, {transpose = true})  y = Â^T x          (its backward)
// with options to add a matrix (y = add + Â x), to mask the stored entries (node dropout: entry k
// weighs values[k] * mask[k]) and to read x as two stacked blocks (the user and item tables of a
// model, without copying them into one matrix).
//
// One kernel for every backend, through B::launch and raw pointers: each task owns a row of y
// (or, on a device, one element of it) and sums that row's stored entries in column order, so
// the result is bit-identical across backends, thread counts and task widths. On backends::Eigen
// this row loop is used rather than Eigen::SparseMatrix: Eigen's sparse-dense product runs on one
// thread (or with a thread-dependent split), the masked and transposed variants would need a
// copy of the values per call, and the row loop already streams each output row once.
#pragma once

#include <cstddef>
#include <type_traits>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"
#include "normalized_adjacency.hpp"

namespace denoise {
namespace nn {
namespace graph {
namespace kernels {

/// y[r, c0 .. c0 + width) = add[r, ...] + sum_k w_k x[col_k, ...], w_k = values[m] * mask[m],
/// m = k, or mirror[k] for the transpose. x row i lives at x_top (i < split) or x_bottom.
template <class T>
struct spmm_rows {
  const offset_t* offsets;
  const index_t* indices;
  const T* values;
  const offset_t* mirror;  // null: Â, else Â^T
  const T* mask;           // null: no entry dropped
  const T* x_top;
  const T* x_bottom;
  index_t split;
  const T* add;  // null: nothing added
  T* y;
  std::size_t cols;
  std::size_t width;  // columns per task (divides cols)
  DENOISE_HOST_DEVICE void operator()(std::size_t t) const {
    const std::size_t chunks = cols / width;
    const std::size_t r = t / chunks;
    const std::size_t c0 = (t % chunks) * width;
    T* out = y + r * cols + c0;
    for (std::size_t c = 0; c < width; ++c) out[c] = add ? add[r * cols + c0 + c] : T(0);
    for (offset_t k = offsets[r]; k < offsets[r + 1]; ++k) {
      const offset_t m = mirror ? mirror[k] : k;
      const T w = mask ? values[m] * mask[m] : values[m];
      const index_t j = indices[k];
      const T* in = (j < split ? x_top + static_cast<std::size_t>(j) * cols
                               : x_bottom + static_cast<std::size_t>(j - split) * cols) + c0;
      for (std::size_t c = 0; c < width; ++c) out[c] += w * in[c];
    }
  }
};

}  // namespace kernels

namespace detail {
template <class B, class = void>
struct on_device : std::false_type {};
template <class B>
struct on_device<B, std::enable_if_t<!B::system::host_memory>> : std::true_type {};
}  // namespace detail

/// Optional parts of a product (all null by default).
template <class B>
struct propagate_options {
  bool transpose = false;                      ///< y = Â^T x instead of Â x
  const typename B::vector* mask = nullptr;    ///< per stored entry (nnz()): w_k = values[k] * mask[k]
  const typename B::matrix* add = nullptr;     ///< y = add + (product); same shape as y, may not alias x
};

/// The raw form every product goes through: x as two stacked blocks (cols wide, users() and
/// items() rows), y (nodes() x cols, already sized) and add (null, or nodes() x cols; may equal
/// y) as pointers on the backend. What the models use to write into slices of a larger buffer.
template <class B>
void propagate_raw(const NormalizedAdjacency<B>& a, const typename B::scalar* top, const typename B::scalar* bottom,
                   index_t cols, typename B::scalar* y, const typename B::scalar* add, bool transpose = false,
                   const typename B::vector* mask = nullptr) {
  using S = typename B::scalar;
  if (mask && mask->size() != a.nnz()) throw config_error("graph::propagate: the mask must have nnz() entries");
  const auto c = static_cast<std::size_t>(cols);
  // a device thread per element (coalesced columns); a CPU task per row (streams the row once)
  const std::size_t width = detail::on_device<B>::value || c == 0 ? 1 : c;
  const std::size_t tasks = c == 0 ? 0 : static_cast<std::size_t>(a.nodes()) * (c / width);
  const std::size_t per_task = width * (a.nnz() / (static_cast<std::size_t>(a.nodes()) + 1) + 1);
  B::launch(tasks,
            kernels::spmm_rows<S>{B::ptr(a.offsets()), B::ptr(a.indices()), B::ptr(a.values()),
                                  transpose ? B::ptr(a.mirror()) : nullptr, mask ? B::ptr(*mask) : nullptr, top, bottom,
                                  a.users(), add, y, c, width},
            per_task);
}

/// The matrix form over two blocks.
template <class B>
void propagate_blocks(const NormalizedAdjacency<B>& a, const typename B::scalar* top, const typename B::scalar* bottom,
                      index_t cols, typename B::matrix& y, const propagate_options<B>& o) {
  if (o.add && (o.add->rows() != a.nodes() || o.add->cols() != cols)) {
    throw config_error("graph::propagate: add must be nodes() x cols");
  }
  if (o.add != &y) y.resize(a.nodes(), cols);
  propagate_raw(a, top, bottom, cols, B::ptr(y), o.add ? B::ptr(*o.add) : nullptr, o.transpose, o.mask);
}

/// y = op(Â) [top; bottom] (+ add): x given as two stacked blocks, top with users() rows and
/// bottom with items() rows (the embedding tables). y is resized to nodes() x cols and may not
/// alias the input; add may be &y (y += product).
template <class B>
void propagate_stacked(const NormalizedAdjacency<B>& a, const typename B::matrix& top, const typename B::matrix& bottom,
                       typename B::matrix& y, const propagate_options<B>& o = {}) {
  if (top.rows() != a.users() || bottom.rows() != a.items() || top.cols() != bottom.cols()) {
    throw config_error("graph::propagate: the input blocks must be users() and items() rows of equal width");
  }
  const index_t cols = top.cols();
  propagate_blocks(a, B::ptr(top), B::ptr(bottom), cols, y, o);
}

/// y = op(Â) x (+ add); x has nodes() rows.
template <class B>
void propagate(const NormalizedAdjacency<B>& a, const typename B::matrix& x, typename B::matrix& y,
               const propagate_options<B>& o = {}) {
  if (x.rows() != a.nodes()) throw config_error("graph::propagate: x must have nodes() rows");
  const auto* p = B::ptr(x);
  propagate_blocks(a, p, p + static_cast<std::size_t>(a.users()) * static_cast<std::size_t>(x.cols()), x.cols(), y, o);
}

}  // namespace graph
}  // namespace nn
}  // namespace denoise
