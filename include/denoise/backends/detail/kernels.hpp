// Element kernels shared by every backend. Each is a small functor called with one index; the
// backend decides how the indices are spread over threads (an OpenMP loop, a Thrust for_each on
// CPP, OMP or CUDA). Every kernel owns the outputs it writes, so no kernel races or depends on
// the thread count, and a backend that runs them gives the same bits as any other.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace backends {
namespace kernels {

template <class T>
struct fill {
  T* out;
  T value;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = value; }
};

template <class T>
struct copy {
  const T* in;
  T* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = in[i]; }
};

template <class T, class F>
struct map {
  const T* in;
  T* out;
  F f;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = f(in[i]); }
};

template <class T, class F>
struct zip {
  const T* a;
  const T* b;
  T* out;
  F f;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = f(a[i], b[i]); }
};

template <class T>
struct axpy {
  T alpha;
  const T* x;
  T* y;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { y[i] += alpha * x[i]; }
};

template <class T>
struct scale {
  T alpha;
  T* x;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { x[i] *= alpha; }
};

/// y[r, :] += b   (one row per index)
template <class T>
struct add_row_broadcast {
  T* y;
  const T* b;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T* row = y + r * cols;
    for (std::size_t c = 0; c < cols; ++c) row[c] += b[c];
  }
};

/// out[r] = beta * out[r] + sum_c x[r, c], summed left to right.
template <class T>
struct row_sum {
  const T* x;
  T* out;
  std::size_t cols;
  T beta;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T acc = T(0);
    const T* row = x + r * cols;
    for (std::size_t c = 0; c < cols; ++c) acc += row[c];
    out[r] = beta == T(0) ? acc : beta * out[r] + acc;
  }
};

/// out[c] = beta * out[c] + sum_r x[r, c], summed top to bottom.
template <class T>
struct col_sum {
  const T* x;
  T* out;
  std::size_t rows;
  std::size_t cols;
  T beta;
  DENOISE_HOST_DEVICE void operator()(std::size_t c) const {
    T acc = T(0);
    for (std::size_t r = 0; r < rows; ++r) acc += x[r * cols + c];
    out[c] = beta == T(0) ? acc : beta * out[c] + acc;
  }
};

/// out[r] = <a[r, :], b[r, :]>
template <class T>
struct row_dot {
  const T* a;
  const T* b;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T acc = T(0);
    for (std::size_t c = 0; c < cols; ++c) acc += a[r * cols + c] * b[r * cols + c];
    out[r] = acc;
  }
};

/// partial[k] = sum of x[k*chunk .. min(n, (k+1)*chunk)) (or of x*y): the first stage of a
/// reduction whose partition does not depend on the thread count.
template <class T>
struct chunk_sum {
  const T* x;
  const T* y;  // nullptr: plain sum
  T* partial;
  std::size_t n;
  std::size_t chunk;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    const std::size_t begin = k * chunk;
    const std::size_t end = begin + chunk < n ? begin + chunk : n;
    T acc = T(0);
    if (y == nullptr) {
      for (std::size_t i = begin; i < end; ++i) acc += x[i];
    } else {
      for (std::size_t i = begin; i < end; ++i) acc += x[i] * y[i];
    }
    partial[k] = acc;
  }
};

/// partial[k] = number of idx[k*chunk .. (k+1)*chunk) outside [0, limit)
struct count_outside {
  const index_t* idx;
  index_t* partial;
  std::size_t n;
  std::size_t chunk;
  index_t limit;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    const std::size_t begin = k * chunk;
    const std::size_t end = begin + chunk < n ? begin + chunk : n;
    index_t bad = 0;
    for (std::size_t i = begin; i < end; ++i) bad += (idx[i] < 0 || idx[i] >= limit) ? 1 : 0;
    partial[k] = bad;
  }
};

/// Row kernels: index r is a whole row and the thread loops over its columns (contiguous on
/// the CPU, where a per-element index would cost a division per element).

/// out[r, :] = table[idx[r], :]
template <class T>
struct gather_rows {
  const T* table;
  const index_t* idx;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* from = table + static_cast<std::size_t>(idx[r]) * cols;
    T* to = out + r * cols;
    for (std::size_t c = 0; c < cols; ++c) to[c] = from[c];
  }
};

/// dst[rows[r], :] = src[r, :]   (rows distinct)
template <class T>
struct scatter_rows {
  T* dst;
  const index_t* rows;
  const T* src;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T* to = dst + static_cast<std::size_t>(rows[r]) * cols;
    const T* from = src + r * cols;
    for (std::size_t c = 0; c < cols; ++c) to[c] = from[c];
  }
};

/// dst[rows[r], :] = value
template <class T>
struct fill_rows {
  T* dst;
  const index_t* rows;
  std::size_t cols;
  T value;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    T* to = dst + static_cast<std::size_t>(rows[r]) * cols;
    for (std::size_t c = 0; c < cols; ++c) to[c] = value;
  }
};

/// The source rows of scatter_add_rows: row i of a row-major matrix. Any type with the same
/// add_to(i, row) (row += source row i) can stand in for it (scatter_add_rows_from): a model's
/// fused backward computes its rows there instead of storing them.
template <class T>
struct matrix_rows {
  const T* src;
  std::size_t cols;
  DENOISE_HOST_DEVICE void add_to(std::size_t i, T* to) const {
    const T* from = src + i * cols;
    for (std::size_t c = 0; c < cols; ++c) to[c] += from[c];
  }
};

/// Race-free scatter-add: thread u owns destination row rows[u] and adds the source rows
/// order[offsets[u] .. offsets[u+1]) in increasing source position.
template <class T, class Rows>
struct segment_add_rows {
  T* dst;
  Rows src;
  const index_t* rows;
  const offset_t* offsets;
  const index_t* order;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t u) const {
    T* to = dst + static_cast<std::size_t>(rows[u]) * cols;
    for (offset_t k = offsets[u]; k < offsets[u + 1]; ++k) src.add_to(static_cast<std::size_t>(order[k]), to);
  }
};

/// key[i] = (idx[i] << 32) | i : sorting the keys groups equal rows, in source order.
struct scatter_key {
  const index_t* idx;
  std::uint64_t* keys;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    keys[i] = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(idx[i])) << 32) |
              static_cast<std::uint64_t>(i);
  }
};

struct split_key {
  const std::uint64_t* keys;
  index_t* row;
  index_t* pos;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    row[i] = static_cast<index_t>(keys[i] >> 32);
    pos[i] = static_cast<index_t>(keys[i] & 0xFFFFFFFFull);
  }
};

enum class distribution { uniform, normal, gumbel };

/// out[i] = a + b * X_i, X_i the i-th number of the counter stream (uniform on (0,1): a + b*U,
/// so U(lo, hi) is a = lo, b = hi - lo; normal: mean a, standard deviation b; Gumbel: a + b*G).
template <class T>
struct random_fill {
  T* out;
  random::counter_stream stream;
  T a;
  T b;
  distribution kind;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const auto n = static_cast<std::uint64_t>(i);
    T x;
    switch (kind) {
      case distribution::uniform:
        x = stream.uniform<T>(n);
        break;
      case distribution::normal:
        x = stream.normal<T>(n);
        break;
      default:
        x = stream.gumbel<T>(n);
        break;
    }
    out[i] = a + b * x;
  }
};

/// C = alpha * op(A) op(B) + beta * C, one output element per index, summed over k in order.
/// The portable gemm (Thrust backends); the Eigen backend uses Eigen's product instead.
template <class T>
struct gemm_element {
  const T* a;
  const T* b;
  T* c;
  std::size_t n;       // columns of C
  std::size_t k;       // inner dimension
  std::size_t lda;     // row stride of A as stored
  std::size_t ldb;     // row stride of B as stored
  bool trans_a;
  bool trans_b;
  T alpha;
  T beta;
  DENOISE_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t i = idx / n;
    const std::size_t j = idx % n;
    T acc = T(0);
    for (std::size_t p = 0; p < k; ++p) {
      const T av = trans_a ? a[p * lda + i] : a[i * lda + p];
      const T bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
      acc += av * bv;
    }
    c[idx] = beta == T(0) ? alpha * acc : alpha * acc + beta * c[idx];
  }
};

/// out[s * k + j] = the j-th selected position of segment s relative to its start, or -1.
struct topk_output {
  const index_t* sorted_pos;  // global positions, grouped by segment, best first
  const offset_t* offsets;
  index_t* out;
  std::size_t k;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t s = i / k;
    const auto j = static_cast<offset_t>(i % k);
    const offset_t begin = offsets[s];
    const offset_t len = offsets[s + 1] - begin;
    out[i] = j < len ? static_cast<index_t>(sorted_pos[begin + j] - begin) : index_t(-1);
  }
};

/// NaN sorts as -infinity in every ranking primitive, so comparisons stay a strict weak order.
template <class T>
struct nan_to_lowest {
  DENOISE_HOST_DEVICE T operator()(T x) const { return x != x ? static_cast<T>(-HUGE_VAL) : x; }
};

}  // namespace kernels
}  // namespace backends
}  // namespace denoise
