// backends::Eigen<Scalar>: the CPU backend. Storage is std::vector, loops are OpenMP threads,
// gemm is Eigen's product. Every parallel loop gives each output to exactly one thread and sums
// in a fixed order, so results are bit-identical at any thread count.
//
// This is the only header of the library that includes Eigen; keep it out of nvcc units.
#pragma once

#if defined(__CUDACC__)
#error "denoise/backends/eigen.hpp must not be compiled by nvcc; use backends::Thrust<thrust_system::cuda>"
#endif

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "../core/error.hpp"
#include "../core/threads.hpp"
#include "../core/types.hpp"
#include "detail/common.hpp"
#include "detail/radix_select.hpp"
#include "detail/std_vector.hpp"

namespace denoise {
namespace backends {

template <class Scalar = float>
struct Eigen : detail::common_primitives<Eigen<Scalar>, Scalar, detail::std_vector> {
  using base = detail::common_primitives<Eigen<Scalar>, Scalar, detail::std_vector>;
  using typename base::const_view;
  using typename base::index_vector;
  using typename base::matrix;
  using typename base::offset_vector;
  using typename base::vector;
  using typename base::view;
  using base::gemm;

  static constexpr const char* name() { return "eigen"; }
  /// Rows of C computed by one task in gemm: a function of C's shape only, so the blocking Eigen
  /// picks for a task (and so the order of every sum) does not depend on the number of threads.
  /// At least 128 rows, and at most gemm_max_tasks tasks: every task packs the whole right-hand
  /// side again, which cost an eighth of NeuMF's time at 128 rows for tall products.
  static constexpr index_t gemm_min_rows_per_task = 128;
  static constexpr index_t gemm_max_tasks = 8;
  static constexpr index_t gemm_rows_per_task(index_t rows) {
    const index_t even = (rows + gemm_max_tasks - 1) / gemm_max_tasks;
    return even > gemm_min_rows_per_task ? even : gemm_min_rows_per_task;
  }

  template <class T>
  static T* raw(std::vector<T>& v) noexcept {
    return v.data();
  }
  template <class T>
  static const T* raw(const std::vector<T>& v) noexcept {
    return v.data();
  }
  template <class T>
  static void copy_to_host(const std::vector<T>& v, std::vector<T>& out) {
    detail::host_copy(v, out);
  }
  template <class T>
  static void copy_from_host(const std::vector<T>& in, std::vector<T>& v) {
    detail::host_copy(in, v);
  }

  /// f(i) for i in [0, n): on the calling thread below threads::grain() per thread, else a static
  /// OpenMP schedule over threads::for_work(n * work) threads (see core/threads.hpp).
  template <class F>
  static void launch(std::size_t n, const F& f, std::size_t work = 1) {
    const auto count = static_cast<std::ptrdiff_t>(n);
    const int team = n > 1 ? threads::for_work(n * work) : 1;
    if (team == 1) {
      for (std::ptrdiff_t i = 0; i < count; ++i) f(static_cast<std::size_t>(i));
      return;
    }
    threads::region_probe probe;
#if defined(_OPENMP)
#pragma omp parallel num_threads(team)
#endif
    {
      probe.arrive();
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
      for (std::ptrdiff_t i = 0; i < count; ++i) f(static_cast<std::size_t>(i));
    }
  }

  /// C = alpha op(A) op(B) + beta C on views, with Eigen's product on fixed blocks of C's rows.
  /// Eigen never starts threads of its own here (its parallel gemm chooses its blocking from the
  /// thread count, which would change the bits with the number of threads): the blocks run
  /// either inside an OpenMP region of two or more threads, where Eigen stays serial, or on the
  /// calling thread with the OpenMP thread count held at one.
  static void gemm(bool trans_a, bool trans_b, Scalar alpha, const_view a, const_view b, Scalar beta,
                   view c) {
    base::check_gemm(trans_a, trans_b, a, b, c);
    if (c.size() == 0) return;
    using row_major = ::Eigen::Matrix<Scalar, ::Eigen::Dynamic, ::Eigen::Dynamic, ::Eigen::RowMajor>;
    using cmap = ::Eigen::Map<const row_major>;
    using mmap = ::Eigen::Map<row_major>;
    const cmap ma(a.data, a.rows, a.cols);
    const cmap mb(b.data, b.rows, b.cols);
    const index_t per_task = gemm_rows_per_task(c.rows);
    const index_t tasks = (c.rows + per_task - 1) / per_task;
    const auto task = [&](index_t t) {
      const index_t r0 = t * per_task;
      const index_t nr = std::min(per_task, c.rows - r0);
      mmap mc(c.data + static_cast<std::ptrdiff_t>(r0) * c.cols, nr, c.cols);
      if (beta == Scalar(0)) {
        run_block(trans_a, trans_b, alpha, ma, mb, r0, nr, mc, false);
      } else {
        if (beta != Scalar(1)) mc *= beta;
        run_block(trans_a, trans_b, alpha, ma, mb, r0, nr, mc, true);
      }
    };
    const index_t inner = trans_a ? a.rows : a.cols;
    const std::size_t work = static_cast<std::size_t>(c.rows) * static_cast<std::size_t>(c.cols) *
                             static_cast<std::size_t>(inner);
    const int team = std::min(threads::for_work(work), static_cast<int>(tasks));
    if (team <= 1 || threads::in_parallel()) {
      // On the calling thread, with Eigen held to one thread: its nbThreads() follows
      // omp_get_max_threads(), and one thread means the serial kernel and blocking.
      const threads::scoped serial(1);
      for (index_t t = 0; t < tasks; ++t) task(t);
      return;
    }
    // Inside a region of two or more threads Eigen's parallelizer stays serial (see above).
    threads::region_probe probe;
#if defined(_OPENMP)
#pragma omp parallel num_threads(team)
#endif
    {
      probe.arrive();
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
      for (index_t t = 0; t < tasks; ++t) task(t);
    }
  }

  /// out[c] = beta * out[c] + sum of column c.   out: a vector or a 1 x cols matrix.
  /// The generic kernel walks each column down the row-major matrix (strided, scalar); here a task
  /// owns a block of columns and walks the rows, adding each row's contiguous slice (a vectorised
  /// inner loop). Every column is still summed over the rows in order, so the bits are the
  /// generic kernel's, at any thread count.
  template <class C>
  static void col_sum(const matrix& x, C& out, Scalar beta = Scalar(0)) {
    const std::size_t rows = base::rows_of(x), cols = base::cols_of(x);
    base::resize_for(out, cols, beta);
    constexpr std::size_t block = 64;
    const Scalar* in = base::ptr(x);
    Scalar* o = base::ptr(out);
    const auto task = [=](std::size_t t) {
      const std::size_t c0 = t * block;
      const std::size_t w = std::min(block, cols - c0);
      Scalar acc[block];
      for (std::size_t c = 0; c < w; ++c) acc[c] = Scalar(0);
      for (std::size_t r = 0; r < rows; ++r) {
        const Scalar* row = in + r * cols + c0;
        for (std::size_t c = 0; c < w; ++c) acc[c] += row[c];
      }
      for (std::size_t c = 0; c < w; ++c) o[c0 + c] = beta == Scalar(0) ? acc[c] : beta * o[c0 + c] + acc[c];
    };
    launch((cols + block - 1) / block, task, rows * block);
  }

  // ---- sorting and selection --------------------------------------------------------------
  static void sort_keys(std::vector<std::uint64_t>& keys) { std::sort(keys.begin(), keys.end()); }

  /// From rows sorted ascending: the distinct rows, their counts and CSR offsets.
  static void unique_segments(const index_vector& sorted_rows, index_vector& unique, index_vector& counts,
                              offset_vector& offsets) {
    unique.clear();
    counts.clear();
    offsets.clear();
    offsets.push_back(0);
    for (std::size_t i = 0; i < sorted_rows.size(); ++i) {
      if (i == 0 || sorted_rows[i] != sorted_rows[i - 1]) {
        if (i != 0) offsets.push_back(static_cast<offset_t>(i));
        unique.push_back(sorted_rows[i]);
      }
    }
    if (!sorted_rows.empty()) offsets.push_back(static_cast<offset_t>(sorted_rows.size()));
    counts.resize(unique.size());
    for (std::size_t u = 0; u < unique.size(); ++u) {
      counts[u] = static_cast<index_t>(offsets[u + 1] - offsets[u]);
    }
  }

  static std::size_t count_out_of_range(const index_vector& idx, index_t limit) {
    std::size_t bad = 0;
    for (index_t i : idx) bad += (i < 0 || i >= limit) ? 1u : 0u;
    return bad;
  }

  /// a = a ∪ b for sorted distinct row lists (the rows a lazy optimizer must update).
  static void merge_rows(index_vector& a, const index_vector& b, index_vector& scratch) {
    scratch.resize(a.size() + b.size());
    const auto end = std::set_union(a.begin(), a.end(), b.begin(), b.end(), scratch.begin());
    scratch.resize(static_cast<std::size_t>(end - scratch.begin()));
    a.swap(scratch);
  }

  /// Ascending sort (NaN last).
  static void sort(vector& v) {
    std::sort(v.begin(), v.end(), [](Scalar x, Scalar y) { return less(x, y); });
  }
  /// Stable sort of values by keys, ascending or descending (NaN keys as the lowest value).
  static void sort_by_key(vector& keys, index_vector& values, bool descending = false) {
    base::require_same_size(keys.size(), values.size(), "sort_by_key");
    std::vector<std::size_t> perm(keys.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::stable_sort(perm.begin(), perm.end(), [&](std::size_t x, std::size_t y) {
      return descending ? less(keys[y], keys[x]) : less(keys[x], keys[y]);
    });
    vector k2(keys.size());
    index_vector v2(values.size());
    for (std::size_t i = 0; i < perm.size(); ++i) {
      k2[i] = keys[perm[i]];
      v2[i] = values[perm[i]];
    }
    keys.swap(k2);
    values.swap(v2);
  }
  /// The value at position n of the ascending order (NaN as the lowest value).
  static Scalar nth_element(const vector& v, std::size_t n) {
    if (n >= v.size()) throw config_error("nth_element: position out of range");
    vector tmp(v);
    for (auto& x : tmp) x = kernels::nan_to_lowest<Scalar>{}(x);
    std::nth_element(tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(n), tmp.end());
    return tmp[n];
  }

  /// For each segment s = [offsets[s], offsets[s+1]) of values: the positions (relative to the
  /// segment start) of its k largest values, largest first, ties to the lower position, NaN
  /// lowest; -1 pads segments shorter than k. out has segments * k entries.
  /// `ordered` = false (optional): the same positions in an unspecified order (a caller that
  /// needs only the set, as T-CE, saves the sort of the top k).
  static void segmented_topk(const vector& values, const offset_vector& offsets, index_t k,
                             index_vector& out, bool ordered = true) {
    if (k < 0) throw config_error("segmented_topk: k must be >= 0");
    const std::size_t segments = offsets.empty() ? 0 : offsets.size() - 1;
    const auto kk = static_cast<std::size_t>(k);
    out.resize(segments * kk);
    const auto select_segment = [&](std::size_t us) {
      // Keys in the values' order, one buffer per thread, kept between calls (T-CE calls this
      // every batch); the selection is by their bits (detail/radix_select.hpp).
      static thread_local std::vector<detail::order_key_t<Scalar>> keys;
      static thread_local std::vector<index_t> positions;
      const offset_t begin = offsets[us];
      const auto len = static_cast<std::size_t>(offsets[us + 1] - begin);
      const Scalar* v = values.data() + begin;
      const std::size_t take = std::min(kk, len);
      index_t* o = out.data() + us * kk;
      for (std::size_t j = take; j < kk; ++j) o[j] = index_t(-1);
      if (take == 0) return;
      keys.resize(len);
      positions.resize(len);
      for (std::size_t i = 0; i < len; ++i) keys[i] = detail::order_key(v[i]);
      detail::top_positions(keys.data(), len, take, positions.data());
      if (ordered) {
        const auto* key = keys.data();
        std::sort(positions.begin(), positions.begin() + static_cast<std::ptrdiff_t>(take),
                  [key](index_t a, index_t b) { return key[a] > key[b] || (key[a] == key[b] && a < b); });
      }
      std::copy(positions.begin(), positions.begin() + static_cast<std::ptrdiff_t>(take), o);
    };
    const int team = segments > 1 ? threads::for_work(values.size() * 4) : 1;
    if (team <= 1) {  // no region at all: even one of one thread costs ~1 us, a fifth of a T-CE batch's selection
      for (std::size_t us = 0; us < segments; ++us) select_segment(us);
      return;
    }
    const auto count = static_cast<std::ptrdiff_t>(segments);
    threads::region_probe probe;
#if defined(_OPENMP)
#pragma omp parallel num_threads(team)
#endif
    {
      probe.arrive();
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
      for (std::ptrdiff_t s = 0; s < count; ++s) select_segment(static_cast<std::size_t>(s));
    }
  }

 private:
  static bool less(Scalar x, Scalar y) {
    const Scalar a = kernels::nan_to_lowest<Scalar>{}(x);
    const Scalar b = kernels::nan_to_lowest<Scalar>{}(y);
    return a < b;
  }

  template <class CMap, class MMap>
  static void run_block(bool trans_a, bool trans_b, Scalar alpha, const CMap& ma, const CMap& mb, index_t r0,
                        index_t nr, MMap& mc, bool accumulate) {
    // op(A) rows [r0, r0 + nr): rows of A, or columns of A read as rows of A^T.
    if (!trans_a && !trans_b) {
      assign(mc, alpha * (ma.middleRows(r0, nr) * mb), accumulate);
    } else if (!trans_a && trans_b) {
      assign(mc, alpha * (ma.middleRows(r0, nr) * mb.transpose()), accumulate);
    } else if (trans_a && !trans_b) {
      assign(mc, alpha * (ma.middleCols(r0, nr).transpose() * mb), accumulate);
    } else {
      assign(mc, alpha * (ma.middleCols(r0, nr).transpose() * mb.transpose()), accumulate);
    }
  }
  template <class MMap, class Expr>
  static void assign(MMap& mc, const Expr& e, bool accumulate) {
    if (accumulate) {
      mc.noalias() += e;
    } else {
      mc.noalias() = e;
    }
  }
};

}  // namespace backends
}  // namespace denoise
