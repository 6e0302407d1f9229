// Element kernels of the CTR models. Each output element is written by one index, so the results
// do not depend on the thread count. E is the n*F x k matrix of gathered field embeddings (row
// i*F + f: field f of sample i).
#pragma once

#include <cstddef>

#include "../../../core/macros.hpp"
#include "../../../core/types.hpp"

namespace denoise {
namespace models {
namespace ctr_kernels {

/// <a, b> over n contiguous values, one running sum (the order of backends' row_dot). [ours] 8
/// interleaved partial sums measured no faster on DCN (ml-100k, 1 thread) and change the bits.
template <class T>
DENOISE_HOST_DEVICE inline T contiguous_dot(const T* a, const T* b, std::size_t n) {
  T s = T(0);
  for (std::size_t j = 0; j < n; ++j) s += a[j] * b[j];
  return s;
}

/// out[i] = bias + sum_f w[i*F + f]   (the linear term)
template <class T>
struct sum_fields {
  const T* w;
  const T* bias;
  T* out;
  std::size_t fields;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    T s = bias[0];
    for (std::size_t f = 0; f < fields; ++f) s += w[i * fields + f];
    out[i] = s;
  }
};

/// d[i*F + f] = g[i]
template <class T>
struct spread_to_fields {
  const T* g;
  T* d;
  std::size_t fields;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const { d[e] = g[e / fields]; }
};

/// out[0] += sum_i g[i]   (one thread: a fixed summation order)
template <class T>
struct accumulate_sum {
  const T* g;
  T* out;
  std::size_t n;
  DENOISE_HOST_DEVICE void operator()(std::size_t) const {
    T s = T(0);
    for (std::size_t i = 0; i < n; ++i) s += g[i];
    out[0] += s;
  }
};

/// FM pairwise term of sample i: s = sum_f e_f (kept in S), out[i] = 1/2 sum_j (s_j^2 - sum_f e_fj^2).
/// Walks the sample's F x k block row by row in column blocks (contiguous, vectorisable inner loop);
/// each sum still runs over f in order, so the result is the plain loop's.
template <class T>
struct fm_forward {
  static constexpr std::size_t block = 16;
  const T* e;
  T* s;
  T* out;
  std::size_t fields, k;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const T* ei = e + i * fields * k;
    T acc = T(0);
    for (std::size_t j0 = 0; j0 < k; j0 += block) {
      const std::size_t w = k - j0 < block ? k - j0 : block;
      T sum[block], sq[block];
      for (std::size_t j = 0; j < w; ++j) sum[j] = sq[j] = T(0);
      for (std::size_t f = 0; f < fields; ++f) {
        const T* v = ei + f * k + j0;
        for (std::size_t j = 0; j < w; ++j) {
          sum[j] += v[j];
          sq[j] += v[j] * v[j];
        }
      }
      for (std::size_t j = 0; j < w; ++j) {
        s[i * k + j0 + j] = sum[j];
        acc += sum[j] * sum[j] - sq[j];
      }
    }
    out[i] = T(0.5) * acc;
  }
};

/// dE[r, j] += g[i] (s_ij - e_rj) for the embedding row r = i*F + f (one row per index).
template <class T>
struct fm_backward {
  const T* e;
  const T* s;
  const T* g;
  T* de;
  std::size_t fields, k;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const std::size_t i = r / fields;
    const T gi = g[i];
    const T* si = s + i * k;
    const T* er = e + r * k;
    T* dr = de + r * k;
    for (std::size_t j = 0; j < k; ++j) dr[j] += gi * (si[j] - er[j]);
  }
};

/// Position of the pair (a, b), a < b, in pytorch-fm's order (0,1), (0,2), ..., (1,2), ...
DENOISE_HOST_DEVICE inline std::size_t pair_position(std::size_t a, std::size_t b, std::size_t fields) {
  return a * (2 * fields - a - 1) / 2 + (b - a - 1);
}

/// P[i, p] = <e_ia, e_ib> for the p-th pair (a, b)
template <class T>
struct inner_products {
  const T* e;
  T* p;
  std::size_t fields, k, pairs;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const {
    const std::size_t i = x / pairs;
    std::size_t q = x % pairs, a = 0;
    while (q >= fields - 1 - a) {
      q -= fields - 1 - a;
      ++a;
    }
    const std::size_t b = a + 1 + q;
    const T* ea = e + (i * fields + a) * k;
    const T* eb = e + (i * fields + b) * k;
    T s = T(0);
    for (std::size_t j = 0; j < k; ++j) s += ea[j] * eb[j];
    p[x] = s;
  }
};

/// dE[i*F + f, j] += sum_{g != f} dP[i, pair(f, g)] e_igj
template <class T>
struct inner_products_backward {
  const T* e;
  const T* dp;
  T* de;
  std::size_t fields, k, pairs;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const {
    const std::size_t j = x % k;
    const std::size_t f = (x / k) % fields;
    const std::size_t i = x / (k * fields);
    T s = T(0);
    for (std::size_t g = 0; g < fields; ++g) {
      if (g == f) continue;
      const std::size_t p = f < g ? pair_position(f, g, fields) : pair_position(g, f, fields);
      s += dp[i * pairs + p] * e[(i * fields + g) * k + j];
    }
    de[x] += s;
  }
};

// The cross-network kernels below run one sample (row) per index and loop over its contiguous
// columns: no division per element, and the inner loops vectorise.

/// out[i, :] = x0[i, :] t[i] + b + xl[i, :]   (one cross layer, row i)
template <class T>
struct cross_layer {
  const T* x0;
  const T* xl;
  const T* t;
  const T* b;
  T* out;
  std::size_t dim;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const T* x0i = x0 + i * dim;
    const T* xli = xl + i * dim;
    T* oi = out + i * dim;
    const T ti = t[i];
    for (std::size_t d = 0; d < dim; ++d) oi[d] = x0i[d] * ti + b[d] + xli[d];
  }
};

/// The row-local part of one cross layer's backward, for g = dL/dx_{l+1} (row i):
///   a[i] = <g_i, x0_i> (= dL/dt_l),   dx0_i += g_i t[i],   next_i = g_i + a[i] w   (= dL/dx_l).
/// The column reductions (d b_l, d w_l) are the backend's col_sum and gemm.
template <class T>
struct cross_layer_backward {
  const T* g;
  const T* x0;
  const T* t;
  const T* w;
  T* dx0;
  T* next;
  T* a;
  std::size_t dim;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const T* gi = g + i * dim;
    const T* x0i = x0 + i * dim;
    T* dxi = dx0 + i * dim;
    T* ni = next + i * dim;
    const T ai = contiguous_dot(gi, x0i, dim);
    const T ti = t[i];
    for (std::size_t d = 0; d < dim; ++d) {
      dxi[d] += gi[d] * ti;
      ni[d] = gi[d] + ai * w[d];
    }
    a[i] = ai;
  }
};

/// out[i, offset .. offset + cols) = in[i, :]   (row i of a column block; out has out_cols columns)
template <class T>
struct put_row_block {
  const T* in;
  T* out;
  std::size_t cols, out_cols, offset;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const T* src = in + i * cols;
    T* dst = out + i * out_cols + offset;
    for (std::size_t c = 0; c < cols; ++c) dst[c] = src[c];
  }
};

/// out[i, :] = in[i, offset .. offset + cols)   (in has in_cols columns)
template <class T>
struct take_row_block {
  const T* in;
  T* out;
  std::size_t in_cols, cols, offset;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const T* src = in + i * in_cols + offset;
    T* dst = out + i * cols;
    for (std::size_t c = 0; c < cols; ++c) dst[c] = src[c];
  }
};

}  // namespace ctr_kernels
}  // namespace models
}  // namespace denoise
