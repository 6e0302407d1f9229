// The primitives every backend shares, written once over two hooks a backend supplies:
//   template <class T> static T* raw(Vec<T>&)            the address of a flat vector's elements
//   template <class F> static void launch(n, F, work)   f(i) for every i in [0, n)
// plus the ones that differ (gemm, sorting, scatter plan). See docs/policies/backend.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/threads.hpp"
#include "../../core/types.hpp"
#include "kernels.hpp"
#include "storage.hpp"

namespace denoise {
namespace backends {
namespace detail {

template <class Derived, class Scalar, template <class> class Vec>
struct common_primitives {
  using scalar = Scalar;
  using vector = Vec<Scalar>;
  using index_vector = Vec<index_t>;
  using offset_vector = Vec<offset_t>;
  using matrix = basic_matrix<Vec<Scalar>>;
  using view = matrix_view<Scalar>;
  using const_view = matrix_view<const Scalar>;

  /// The default of threads::grain(): work units per thread below which a loop stays serial.
  static constexpr std::size_t parallel_grain = threads::default_grain;

  // ---- raw access -------------------------------------------------------------------------
  static Scalar* ptr(matrix& m) { return Derived::raw(m.values()); }
  static const Scalar* ptr(const matrix& m) { return Derived::raw(m.values()); }
  template <class T>
  static T* ptr(Vec<T>& v) {
    return Derived::raw(v);
  }
  template <class T>
  static const T* ptr(const Vec<T>& v) {
    return Derived::raw(v);
  }
  static view as_view(matrix& m) { return {ptr(m), m.rows(), m.cols()}; }
  static const_view as_view(const matrix& m) { return {ptr(m), m.rows(), m.cols()}; }

  // ---- host transfer (tests, checkpoints, gradient checks; not for hot paths) -------------
  template <class T>
  static void to_host(const Vec<T>& v, std::vector<T>& out) {
    Derived::copy_to_host(v, out);
  }
  static void to_host(const matrix& m, std::vector<Scalar>& out) { Derived::copy_to_host(m.values(), out); }
  template <class T>
  static void from_host(const std::vector<T>& in, Vec<T>& v) {
    Derived::copy_from_host(in, v);
  }
  static void from_host(const std::vector<Scalar>& in, index_t rows, index_t cols, matrix& m) {
    if (in.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
      throw config_error("from_host: " + std::to_string(in.size()) + " values for a " +
                         std::to_string(rows) + "x" + std::to_string(cols) + " matrix");
    }
    m.resize(rows, cols);
    Derived::copy_from_host(in, m.values());
  }

  // ---- elementwise ------------------------------------------------------------------------
  template <class C>
  static void fill(C& c, Scalar value) {
    Derived::launch(c.size(), kernels::fill<Scalar>{ptr(c), value});
  }
  static void fill_view(view v, Scalar value) { Derived::launch(v.size(), kernels::fill<Scalar>{v.data, value}); }
  static void fill_index(index_vector& v, index_t value) {
    Derived::launch(v.size(), kernels::fill<index_t>{ptr(v), value});
  }
  /// dst = src (dst takes src's shape).
  static void copy(const matrix& src, matrix& dst) {
    dst.resize(src.rows(), src.cols());
    Derived::launch(src.size(), kernels::copy<Scalar>{ptr(src), ptr(dst)});
  }
  static void copy(const vector& src, vector& dst) {
    if (dst.size() != src.size()) dst.resize(src.size());
    Derived::launch(src.size(), kernels::copy<Scalar>{ptr(src), ptr(dst)});
  }
  static void copy(const index_vector& src, index_vector& dst) {
    if (dst.size() != src.size()) dst.resize(src.size());
    Derived::launch(src.size(), kernels::copy<index_t>{ptr(src), ptr(dst)});
  }
  /// y = f(x) elementwise; f is a DENOISE_HOST_DEVICE functor Scalar -> Scalar.
  template <class F>
  static void map(const matrix& x, matrix& y, F f) {
    if (&x != &y) y.resize(x.rows(), x.cols());
    Derived::launch(x.size(), kernels::map<Scalar, F>{ptr(x), ptr(y), f});
  }
  /// y = f(a, b) elementwise.
  template <class F>
  static void zip(const matrix& a, const matrix& b, matrix& y, F f) {
    require_same_shape(a, b, "zip");
    if (&a != &y && &b != &y) y.resize(a.rows(), a.cols());
    Derived::launch(a.size(), kernels::zip<Scalar, F>{ptr(a), ptr(b), ptr(y), f});
  }
  /// y += alpha * x
  static void axpy(Scalar alpha, const matrix& x, matrix& y) {
    require_same_shape(x, y, "axpy");
    Derived::launch(x.size(), kernels::axpy<Scalar>{alpha, ptr(x), ptr(y)});
  }
  static void axpy(Scalar alpha, const vector& x, vector& y) {
    require_same_size(x.size(), y.size(), "axpy");
    Derived::launch(x.size(), kernels::axpy<Scalar>{alpha, ptr(x), ptr(y)});
  }
  template <class C>
  static void scale(C& x, Scalar alpha) {
    Derived::launch(x.size(), kernels::scale<Scalar>{alpha, ptr(x)});
  }
  /// y[r, :] += b for every row r (b has y.cols() entries, a vector or a 1 x cols matrix).
  template <class C>
  static void add_row_broadcast(matrix& y, const C& b) {
    require_same_size(b.size(), static_cast<std::size_t>(y.cols()), "add_row_broadcast");
    Derived::launch(rows_of(y), kernels::add_row_broadcast<Scalar>{ptr(y), ptr(b), cols_of(y)}, cols_of(y));
  }

  // ---- reductions (deterministic: each output summed in a fixed order by one thread) ------
  /// out[r] = beta * out[r] + sum of row r.   out: a vector or a matrix with rows() entries.
  template <class C>
  static void row_sum(const matrix& x, C& out, Scalar beta = Scalar(0)) {
    resize_for(out, static_cast<std::size_t>(x.rows()), beta);
    Derived::launch(static_cast<std::size_t>(x.rows()),
                    kernels::row_sum<Scalar>{ptr(x), ptr(out), cols_of(x), beta}, cols_of(x));
  }
  /// out[c] = beta * out[c] + sum of column c.   out: a vector or a 1 x cols matrix.
  template <class C>
  static void col_sum(const matrix& x, C& out, Scalar beta = Scalar(0)) {
    resize_for(out, static_cast<std::size_t>(x.cols()), beta);
    Derived::launch(static_cast<std::size_t>(x.cols()),
                    kernels::col_sum<Scalar>{ptr(x), ptr(out), rows_of(x), cols_of(x), beta},
                    rows_of(x));
  }
  /// out[r] = <a[r, :], b[r, :]>
  static void row_dot(const matrix& a, const matrix& b, vector& out) {
    require_same_shape(a, b, "row_dot");
    if (out.size() != rows_of(a)) out.resize(rows_of(a));
    Derived::launch(rows_of(a), kernels::row_dot<Scalar>{ptr(a), ptr(b), ptr(out), cols_of(a)},
                    cols_of(a));
  }
  /// Sum of all elements, in chunks of 4096 whose partial sums are added in order: the same
  /// result at any thread count and on every CPU backend.
  template <class C>
  static Scalar sum(const C& x) {
    return chunked(ptr(x), nullptr, x.size());
  }
  template <class C>
  static Scalar dot(const C& x, const C& y) {
    require_same_size(x.size(), y.size(), "dot");
    return chunked(ptr(x), ptr(y), x.size());
  }

  // ---- rows by index ----------------------------------------------------------------------
  /// out[i, :] = table[idx[i], :]  (embedding lookup). Throws input_error on an index out of range.
  static void gather_rows(const matrix& table, const index_vector& idx, matrix& out) {
    check_indices(idx, table.rows(), "gather_rows");
    out.resize(static_cast<index_t>(idx.size()), table.cols());
    Derived::launch(idx.size(), kernels::gather_rows<Scalar>{ptr(table), ptr(idx), ptr(out), cols_of(table)},
                    cols_of(table));
  }
  /// dst[rows[i], :] = src[i, :]; rows must be distinct.
  static void scatter_rows(matrix& dst, const index_vector& rows, const matrix& src) {
    require_same_size(static_cast<std::size_t>(src.rows()), rows.size(), "scatter_rows");
    require_same_size(cols_of(src), cols_of(dst), "scatter_rows");
    Derived::launch(rows.size(), kernels::scatter_rows<Scalar>{ptr(dst), ptr(rows), ptr(src), cols_of(dst)},
                    cols_of(dst));
  }
  /// dst[rows[i], :] = value
  static void fill_rows(matrix& dst, const index_vector& rows, Scalar value) {
    Derived::launch(rows.size(), kernels::fill_rows<Scalar>{ptr(dst), ptr(rows), cols_of(dst), value}, cols_of(dst));
  }

  /// Buffers reused by scatter_add_rows between calls (no allocation once sizes settle).
  struct scatter_workspace {
    Vec<std::uint64_t> keys;
    index_vector order;
    index_vector sorted_rows;
    index_vector counts;
    offset_vector offsets;
    index_vector row_start;  ///< host-memory backends: the counting plan's per-row positions
  };

  /// dst[idx[i], :] += src[i, :] for every i, without races and in source order (the embedding
  /// gradient). `touched` receives the distinct rows written, ascending.
  static void scatter_add_rows(matrix& dst, const index_vector& idx, const matrix& src,
                               index_vector& touched, scatter_workspace& ws) {
    require_same_size(static_cast<std::size_t>(src.rows()), idx.size(), "scatter_add_rows (rows)");
    require_same_size(cols_of(src), cols_of(dst), "scatter_add_rows (cols)");
    scatter_add_rows_from(dst, idx, kernels::matrix_rows<Scalar>{ptr(src), cols_of(src)}, touched, ws);
  }

  /// scatter_add_rows with source rows that are computed, not stored: `rows.add_to(i, row)` adds
  /// source row i to `row` (a kernel functor, like kernels::matrix_rows; called once per i, in
  /// increasing i for each destination row). A model's fused backward passes its gradient rows
  /// this way and never writes them to memory.
  template <class Rows>
  static void scatter_add_rows_from(matrix& dst, const index_vector& idx, const Rows& rows, index_vector& touched,
                                    scatter_workspace& ws) {
    check_indices(idx, dst.rows(), "scatter_add_rows");
    const std::size_t n = idx.size();
    if constexpr (std::is_same<Vec<index_t>, std::vector<index_t>>::value) {
      // Host memory and a table not much larger than the batch (an embedding table of users or
      // items): a counting sort by row, O(n + rows), gives the same plan as sorting the keys.
      if (static_cast<std::size_t>(dst.rows()) <= 4 * n + 4096) {
        // Too little work for a parallel region: add each source row straight into its
        // destination row, in source order (the per-row order of the segmented sums, so the same
        // bits), and mark the rows; no plan, and the source is read in order.
        if (threads::count() <= 1 || n * cols_of(dst) / 2 < threads::grain()) {
          direct_add_rows(dst, idx, rows, touched, ws);
          return;
        }
        counting_plan(idx, static_cast<std::size_t>(dst.rows()), touched, ws);
        Derived::launch(touched.size(),
                        kernels::segment_add_rows<Scalar, Rows>{ptr(dst), rows, ptr(touched), ptr(ws.offsets),
                                                                ptr(ws.order), cols_of(dst)},
                        cols_of(dst) * (n / (touched.size() + 1) + 1));
        return;
      }
    }
    if (ws.keys.size() != n) ws.keys.resize(n);
    if (ws.order.size() != n) ws.order.resize(n);
    if (ws.sorted_rows.size() != n) ws.sorted_rows.resize(n);
    Derived::launch(n, kernels::scatter_key{ptr(idx), ptr(ws.keys)});
    Derived::sort_keys(ws.keys);
    Derived::launch(n, kernels::split_key{ptr(ws.keys), ptr(ws.sorted_rows), ptr(ws.order)});
    Derived::unique_segments(ws.sorted_rows, touched, ws.counts, ws.offsets);
    Derived::launch(touched.size(),
                    kernels::segment_add_rows<Scalar, Rows>{ptr(dst), rows, ptr(touched), ptr(ws.offsets),
                                                            ptr(ws.order), cols_of(dst)},
                    cols_of(dst) * (n / (touched.size() + 1) + 1));
  }

  // ---- random fills: element i is the i-th number of the seed's stream, on every backend --
  template <class C>
  static void fill_uniform(C& c, std::uint64_t seed, Scalar lo = Scalar(0), Scalar hi = Scalar(1)) {
    Derived::launch(c.size(), kernels::random_fill<Scalar>{ptr(c), random::counter_stream(seed), lo,
                                                           hi - lo, kernels::distribution::uniform});
  }
  template <class C>
  static void fill_normal(C& c, std::uint64_t seed, Scalar mean = Scalar(0), Scalar stddev = Scalar(1)) {
    Derived::launch(c.size(), kernels::random_fill<Scalar>{ptr(c), random::counter_stream(seed), mean,
                                                           stddev, kernels::distribution::normal});
  }
  template <class C>
  static void fill_gumbel(C& c, std::uint64_t seed, Scalar location = Scalar(0), Scalar scale_ = Scalar(1)) {
    Derived::launch(c.size(), kernels::random_fill<Scalar>{ptr(c), random::counter_stream(seed),
                                                           location, scale_, kernels::distribution::gumbel});
  }

  // ---- gemm on matrices -------------------------------------------------------------------
  /// C = alpha * op(A) op(B) + beta * C, op = transpose when the flag is set. With beta == 0, C
  /// is resized and overwritten (its old contents, even NaN, are ignored).
  static void gemm(bool trans_a, bool trans_b, Scalar alpha, const matrix& a, const matrix& b,
                   Scalar beta, matrix& c) {
    const index_t m = trans_a ? a.cols() : a.rows();
    const index_t n = trans_b ? b.rows() : b.cols();
    if (beta == Scalar(0)) c.resize(m, n);
    Derived::gemm(trans_a, trans_b, alpha, as_view(a), as_view(b), beta, as_view(c));
  }

  /// Shape check shared by gemm implementations.
  static void check_gemm(bool trans_a, bool trans_b, const_view a, const_view b, view c) {
    const index_t m = trans_a ? a.cols : a.rows;
    const index_t k = trans_a ? a.rows : a.cols;
    const index_t kb = trans_b ? b.cols : b.rows;
    const index_t n = trans_b ? b.rows : b.cols;
    if (k != kb || c.rows != m || c.cols != n) {
      throw config_error("gemm: shapes do not match: op(A) is " + std::to_string(m) + "x" +
                         std::to_string(k) + ", op(B) is " + std::to_string(kb) + "x" +
                         std::to_string(n) + ", C is " + std::to_string(c.rows) + "x" +
                         std::to_string(c.cols));
    }
  }

  /// Top-k of every row of a matrix: out is rows x k positions (columns), best first.
  static void row_topk(const matrix& scores, index_t k, index_vector& out) {
    std::vector<offset_t> host(static_cast<std::size_t>(scores.rows()) + 1);
    for (std::size_t r = 0; r < host.size(); ++r) host[r] = static_cast<offset_t>(r) * scores.cols();
    offset_vector offsets;
    Derived::copy_from_host(host, offsets);
    Derived::segmented_topk(scores.values(), offsets, k, out);
  }

  // ---- checks -----------------------------------------------------------------------------
  static void require_same_shape(const matrix& a, const matrix& b, const char* what) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw config_error(std::string(what) + ": shapes differ: " + std::to_string(a.rows()) + "x" +
                         std::to_string(a.cols()) + " vs " + std::to_string(b.rows()) + "x" +
                         std::to_string(b.cols()));
    }
  }
  static void require_same_size(std::size_t a, std::size_t b, const char* what) {
    if (a != b) {
      throw config_error(std::string(what) + ": sizes differ: " + std::to_string(a) + " vs " +
                         std::to_string(b));
    }
  }
  static void check_indices(const index_vector& idx, index_t limit, const char* what) {
    const std::size_t bad = Derived::count_out_of_range(idx, limit);
    if (bad != 0) {
      throw input_error(std::string(what) + ": " + std::to_string(bad) +
                        " indices outside [0, " + std::to_string(limit) + ")");
    }
  }

 protected:
  /// The scatter plan of scatter_add_rows on host memory: touched = the distinct rows ascending,
  /// offsets their CSR ranges in order, order the source positions grouped by row in source order.
  static void counting_plan(const index_vector& idx, std::size_t rows, index_vector& touched,
                            scatter_workspace& ws) {
    const std::size_t n = idx.size();
    ws.row_start.assign(rows, 0);
    for (std::size_t i = 0; i < n; ++i) ++ws.row_start[static_cast<std::size_t>(idx[i])];
    touched.clear();
    ws.offsets.clear();
    ws.offsets.push_back(0);
    offset_t next = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      const index_t count = ws.row_start[r];
      if (count == 0) continue;
      touched.push_back(static_cast<index_t>(r));
      ws.row_start[r] = static_cast<index_t>(next);
      next += count;
      ws.offsets.push_back(next);
    }
    ws.order.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      ws.order[static_cast<std::size_t>(ws.row_start[static_cast<std::size_t>(idx[i])]++)] = static_cast<index_t>(i);
    }
  }

  /// scatter_add_rows_from on the calling thread, host memory: dst[idx[i], :] += source row i for
  /// i in order; touched = the distinct rows, ascending (found by a mark per row of dst).
  template <class Rows>
  static void direct_add_rows(matrix& dst, const index_vector& idx, const Rows& src, index_vector& touched,
                              scatter_workspace& ws) {
    const std::size_t n = idx.size();
    const std::size_t rows = rows_of(dst);
    const std::size_t cols = cols_of(dst);
    ws.row_start.assign(rows, 0);
    index_t* mark = ws.row_start.data();
    Scalar* to_base = ptr(dst);
    constexpr std::size_t ahead = 8;  // rows come in random order: prefetch the destination rows
    for (std::size_t i = 0; i < n; ++i) {
      if (i + ahead < n) DENOISE_PREFETCH(to_base + static_cast<std::size_t>(idx[i + ahead]) * cols);
      const auto r = static_cast<std::size_t>(idx[i]);
      mark[r] = 1;
      src.add_to(i, to_base + r * cols);
    }
    // Compacting without a branch: which rows are marked is unpredictable.
    touched.resize(rows);
    index_t* out = touched.data();
    std::size_t kept = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      out[kept] = static_cast<index_t>(r);
      kept += mark[r] != 0 ? 1u : 0u;
    }
    touched.resize(kept);
  }

  static std::size_t rows_of(const matrix& m) { return static_cast<std::size_t>(m.rows()); }
  static std::size_t cols_of(const matrix& m) { return static_cast<std::size_t>(m.cols()); }

  template <class C>
  static void resize_for(C& out, std::size_t n, Scalar beta) {
    if (out.size() == n) return;
    if (beta != Scalar(0)) require_same_size(out.size(), n, "reduction output");
    resize_flat(out, n);
  }
  static void resize_flat(vector& v, std::size_t n) { v.resize(n); }
  static void resize_flat(matrix& m, std::size_t n) { m.resize(1, static_cast<index_t>(n)); }

  static Scalar chunked(const Scalar* x, const Scalar* y, std::size_t n) {
    constexpr std::size_t chunk = 4096;
    const std::size_t parts = (n + chunk - 1) / chunk;
    if (parts == 0) return Scalar(0);
    if constexpr (std::is_same<Vec<Scalar>, std::vector<Scalar>>::value) {
      // Host memory: a batch-sized reduction (a loss report per batch) keeps its partial sums on
      // the stack instead of allocating and copying them.
      constexpr std::size_t stack_parts = 64;
      if (parts <= stack_parts) {
        Scalar partial[stack_parts];
        Derived::launch(parts, kernels::chunk_sum<Scalar>{x, y, partial, n, chunk}, chunk);
        Scalar acc = Scalar(0);
        for (std::size_t p = 0; p < parts; ++p) acc += partial[p];
        return acc;
      }
    }
    vector partial(parts);
    Derived::launch(parts, kernels::chunk_sum<Scalar>{x, y, ptr(partial), n, chunk}, chunk);
    std::vector<Scalar> host;
    Derived::copy_to_host(partial, host);
    Scalar acc = Scalar(0);
    for (Scalar p : host) acc += p;
    return acc;
  }
};

}  // namespace detail
}  // namespace backends
}  // namespace denoise
