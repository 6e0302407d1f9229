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

/// FM pairwise term of sample i: s = sum_f e_f (kept in S), out[i] = 1/2 sum_j (s_j^2 - sum_f e_fj^2)
template <class T>
struct fm_forward {
  const T* e;
  T* s;
  T* out;
  std::size_t fields, k;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    T acc = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      T sum = T(0), sq = T(0);
      for (std::size_t f = 0; f < fields; ++f) {
        const T v = e[(i * fields + f) * k + j];
        sum += v;
        sq += v * v;
      }
      s[i * k + j] = sum;
      acc += sum * sum - sq;
    }
    out[i] = T(0.5) * acc;
  }
};

/// dE[i*F + f, j] += g[i] (s_ij - e_ifj)
template <class T>
struct fm_backward {
  const T* e;
  const T* s;
  const T* g;
  T* de;
  std::size_t fields, k;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const {
    const std::size_t j = x % k;
    const std::size_t i = x / (k * fields);
    de[x] += g[i] * (s[i * k + j] - e[x]);
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

/// out[i, d] = x0[i, d] t[i] + b[d] + xl[i, d]   (one cross layer)
template <class T>
struct cross_layer {
  const T* x0;
  const T* xl;
  const T* t;
  const T* b;
  T* out;
  std::size_t dim;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const {
    const std::size_t i = x / dim, d = x % dim;
    out[x] = x0[x] * t[i] + b[d] + xl[x];
  }
};

/// acc[i, d] += g[i, d] t[i]
template <class T>
struct add_scaled_rows {
  const T* g;
  const T* t;
  T* acc;
  std::size_t dim;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const { acc[x] += g[x] * t[x / dim]; }
};

/// out[i, d] = g[i, d] + a[i] w[d]
template <class T>
struct add_outer {
  const T* g;
  const T* a;
  const T* w;
  T* out;
  std::size_t dim;
  DENOISE_HOST_DEVICE void operator()(std::size_t x) const { out[x] = g[x] + a[x / dim] * w[x % dim]; }
};

}  // namespace ctr_kernels
}  // namespace models
}  // namespace denoise
