// Element kernels and helpers the graph models (LightGCN, NGCF) share: dot-product logits of
// (user, item) pairs read from a node table (users first, then items), the deterministic
// gradient of those logits back onto the node table, a mean over propagation layers and an axpy
// into two stacked blocks. Each kernel owns the outputs it writes.
#pragma once

#include <cstddef>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace nn {
namespace graph {
namespace kernels {

/// Row i of a matrix kept as two stacked blocks (rows below split in top, the rest in bottom).
template <class T>
DENOISE_HOST_DEVICE inline const T* stacked_row(const T* top, const T* bottom, index_t split, index_t i,
                                                std::size_t cols) {
  return i < split ? top + static_cast<std::size_t>(i) * cols : bottom + static_cast<std::size_t>(i - split) * cols;
}

/// out[n] = f[users[n]] · f[split + items[n]] (+ the tangent term when t is set:
/// out[n] = t[u] · f[i] + f[u] · t[i]).
template <class T>
struct pair_dot {
  const T* f;
  const T* t;  // null: logits, else their tangent
  const index_t* users;
  const index_t* items;
  index_t split;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t n) const {
    const T* fu = f + static_cast<std::size_t>(users[n]) * cols;
    const T* fi = f + static_cast<std::size_t>(split + items[n]) * cols;
    T acc = T(0);
    if (t) {
      const T* tu = t + static_cast<std::size_t>(users[n]) * cols;
      const T* ti = t + static_cast<std::size_t>(split + items[n]) * cols;
      for (std::size_t c = 0; c < cols; ++c) acc += tu[c] * fi[c] + fu[c] * ti[c];
    } else {
      for (std::size_t c = 0; c < cols; ++c) acc += fu[c] * fi[c];
    }
    out[n] = acc;
  }
};

/// The rows to scatter for the gradient of pair_dot: task t < n is pair t's user side, t >= n its
/// item side. node[t] = the node of that side, src[t, :] = dlogit * f[other side] (f null: 0) +
/// coef * r[node] (r, two stacked blocks, the rows an L2 penalty acts on; null for none).
template <class T>
struct pair_grad_rows {
  const index_t* users;
  const index_t* items;
  const T* dlogits;
  const T* f;
  const T* r_top;
  const T* r_bottom;
  T coef;
  index_t split;
  std::size_t pairs;
  index_t* node;
  T* src;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t t) const {
    const std::size_t n = t < pairs ? t : t - pairs;
    const index_t u = users[n];
    const index_t i = split + items[n];
    const index_t self = t < pairs ? u : i;
    const index_t other = t < pairs ? i : u;
    node[t] = self;
    T* s = src + t * cols;
    if (f) {
      const T g = dlogits[n];
      const T* fo = f + static_cast<std::size_t>(other) * cols;
      for (std::size_t c = 0; c < cols; ++c) s[c] = g * fo[c];
    } else {
      for (std::size_t c = 0; c < cols; ++c) s[c] = T(0);
    }
    if (r_top) {
      const T* r = stacked_row(r_top, r_bottom, split, self, cols);
      for (std::size_t c = 0; c < cols; ++c) s[c] += coef * r[c];
    }
  }
};

/// f[e] = scale * (x0[e] + sum_l layer_l[e]) with x0 in two stacked blocks and the `count` layers
/// node tables one after the other from `layers` (stride elements apart), summed in layer order.
template <class T>
struct layer_mean {
  const T* x0_top;
  const T* x0_bottom;
  index_t split;
  const T* layers;
  std::size_t stride;
  std::size_t count;
  T scale;
  T* f;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const auto r = static_cast<index_t>(e / cols);
    const std::size_t c = e % cols;
    T acc = stacked_row(x0_top, x0_bottom, split, r, cols)[c];
    for (std::size_t l = 0; l < count; ++l) acc += layers[l * stride + e];
    f[e] = scale * acc;
  }
};

/// top / bottom (two stacked blocks, cols wide) += alpha * x[:, offset .. offset + cols), x a node
/// table with x_cols columns. One task per element of the blocks.
template <class T>
struct stacked_axpy {
  T alpha;
  const T* x;
  std::size_t x_cols;
  std::size_t offset;
  T* top;
  T* bottom;
  index_t split;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const auto r = static_cast<index_t>(e / cols);
    const std::size_t c = e % cols;
    T* row = r < split ? top + static_cast<std::size_t>(r) * cols : bottom + static_cast<std::size_t>(r - split) * cols;
    row[c] += alpha * x[static_cast<std::size_t>(r) * x_cols + offset + c];
  }
};

/// out = [top; bottom]: two stacked blocks copied into one node table.
template <class T>
struct stack_copy {
  const T* top;
  const T* bottom;
  index_t split;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const auto r = static_cast<index_t>(e / cols);
    out[e] = stacked_row(top, bottom, split, r, cols)[e % cols];
  }
};

}  // namespace kernels
}  // namespace graph
}  // namespace nn
}  // namespace denoise
