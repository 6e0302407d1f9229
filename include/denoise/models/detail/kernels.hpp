// Element kernels private to the models: row scaling, column blocks, broadcasts and the CDAE
// pieces. Each is a DENOISE_HOST_DEVICE functor called with one index by B::launch, owning the
// outputs it writes (no races, the same bits on every backend and thread count).
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace models {
namespace kernels {

/// a * b
template <class T>
struct multiply {
  DENOISE_HOST_DEVICE T operator()(T a, T b) const { return a * b; }
};

// The row kernels below take one launch index per row and walk its columns: contiguous, and no
// division per element (an integer division per element was most of NeuMF's scoring time).

/// Row r: out[r, c] = d[r] * x[r, c]
template <class T>
struct scale_rows {
  const T* d;
  const T* x;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T dr = d[r];
    for (std::size_t c = r * cols; c < (r + 1) * cols; ++c) out[c] = dr * x[c];
  }
};

/// GMF's forward, row n (one pair), read straight from the embedding tables: pu[n, :] =
/// P[users[n], :], qi[n, :] = Q[items[n], :] (kept for the backward), prod[n, :] = pu ⊙ qi and
/// logits[n] = prod[n, :] · h + b, in one pass (a separate gather would write pu and qi only for
/// this pass to read them back). Pairs visit the tables in random order, so the rows `ahead` pairs
/// later are prefetched (host) and their misses overlap. The dot product keeps `lanes` partial
/// sums that a compiler maps to one vector register and adds them pairwise at the end: a single
/// running sum would be a chain of dependent additions (floats are not reassociated).
template <class T, class I>
struct gmf_gather_score {
  static constexpr std::size_t lanes = 16;
  static constexpr std::size_t ahead = 8;
  const T* user_table;
  const T* item_table;
  const I* users;
  const I* items;
  std::size_t pairs;
  const T* h;
  const T* b;
  T* pu;
  T* qi;
  T* prod;
  T* logits;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t n) const {
    if (n + ahead < pairs) {
      const T* p_next = user_table + static_cast<std::size_t>(users[n + ahead]) * cols;
      const T* q_next = item_table + static_cast<std::size_t>(items[n + ahead]) * cols;
      DENOISE_PREFETCH(p_next);
      DENOISE_PREFETCH(p_next + cols - 1);
      DENOISE_PREFETCH(q_next);
      DENOISE_PREFETCH(q_next + cols - 1);
    }
    const T* p_row = user_table + static_cast<std::size_t>(users[n]) * cols;
    const T* q_row = item_table + static_cast<std::size_t>(items[n]) * cols;
    const std::size_t at = n * cols;
    T part[lanes] = {};
    std::size_t c = 0;
    for (; c + lanes <= cols; c += lanes) {
      // All loads of the chunk before its stores: the output rows may alias the tables as far as
      // the compiler knows, and this order is what lets it keep the chunk in vector registers.
      T pl[lanes], ql[lanes];
      for (std::size_t j = 0; j < lanes; ++j) pl[j] = p_row[c + j];
      for (std::size_t j = 0; j < lanes; ++j) ql[j] = q_row[c + j];
      for (std::size_t j = 0; j < lanes; ++j) pu[at + c + j] = pl[j];
      for (std::size_t j = 0; j < lanes; ++j) qi[at + c + j] = ql[j];
      for (std::size_t j = 0; j < lanes; ++j) {
        const T x = pl[j] * ql[j];
        prod[at + c + j] = x;
        part[j] += x * h[c + j];
      }
    }
    for (std::size_t j = 0; c + j < cols; ++j) {
      const T pc = p_row[c + j], qc = q_row[c + j];
      pu[at + c + j] = pc;
      qi[at + c + j] = qc;
      const T x = pc * qc;
      prod[at + c + j] = x;
      part[j] += x * h[c + j];
    }
    // Pairwise halving by fixed widths, in a fixed order (same bits on every backend). GCC 12 still
    // adds these partial sums through the stack; a loop over the width was slower (13.7 vs 14.6 ms
    // per GMF epoch), a separate tail sum no faster.
    for (std::size_t j = 0; j < 8; ++j) part[j] += part[j + 8];
    for (std::size_t j = 0; j < 4; ++j) part[j] += part[j + 4];
    for (std::size_t j = 0; j < 2; ++j) part[j] += part[j + 2];
    logits[n] = (part[0] + part[1]) + b[0];
  }
};

/// GMF's embedding gradient rows, for Embedding::backward_rows: pair n adds (dy[n] h) ⊙ other[n, :]
/// (other = the item rows for d p_u, the user rows for d q_i), computed where it is added.
template <class T>
struct gmf_gradient_rows {
  const T* dy;
  const T* h;
  const T* other;
  std::size_t cols;
  DENOISE_HOST_DEVICE void add_to(std::size_t n, T* to) const {
    const T g = dy[n];
    const T* o = other + n * cols;
    for (std::size_t c = 0; c < cols; ++c) to[c] += (g * h[c]) * o[c];
  }
};

/// Row r: out[r, c] = d[r] * v[c]: the outer product d v^T
template <class T>
struct outer_product_rows {
  const T* d;
  const T* v;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T dr = d[r];
    T* o = out + r * cols;
    for (std::size_t c = 0; c < cols; ++c) o[c] = dr * v[c];
  }
};

/// Row r: out[r, c] = x[r, c] * w[c]
template <class T>
struct multiply_row_broadcast {
  const T* x;
  const T* w;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* xr = x + r * cols;
    T* o = out + r * cols;
    for (std::size_t c = 0; c < cols; ++c) o[c] = xr[c] * w[c];
  }
};

/// Row r: y[r, c] += a[r]
template <class T>
struct add_col_broadcast {
  T* y;
  const T* a;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T ar = a[r];
    for (std::size_t c = r * cols; c < (r + 1) * cols; ++c) y[c] += ar;
  }
};

/// y[i] += *s  (a scalar that lives in backend memory, e.g. a 1 x 1 bias)
template <class T>
struct add_scalar_at {
  T* y;
  const T* s;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { y[i] += *s; }
};

/// Row r: out[r, offset + c] = in[r, c] for c < in_cols (out has out_cols columns). One launch
/// index per row: a contiguous copy, no division per element.
template <class T>
struct put_cols {
  const T* in;
  T* out;
  std::size_t in_cols;
  std::size_t out_cols;
  std::size_t offset;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* from = in + r * in_cols;
    T* to = out + r * out_cols + offset;
    for (std::size_t c = 0; c < in_cols; ++c) to[c] = from[c];
  }
};

/// Row r: out[r, c] = in[r, offset + c] for c < out_cols (in has in_cols columns). One launch
/// index per row.
template <class T>
struct take_cols {
  const T* in;
  T* out;
  std::size_t in_cols;
  std::size_t out_cols;
  std::size_t offset;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* from = in + r * in_cols + offset;
    T* to = out + r * out_cols;
    for (std::size_t c = 0; c < out_cols; ++c) to[c] = from[c];
  }
};

/// NeuMF scoring: the first tower layer over a block of the (user row, item) pairs of score(),
/// taken row-major (pair p = user row p / items, item p % items), from pair `first` on:
///   out[k, c] = relu(user_part[(first + k) / items, c] + item_part[(first + k) % items, c])
/// (the first layer's bias is already in item_part). One launch index per pair (an output row).
template <class T>
struct pair_first_layer {
  const T* user_part;
  const T* item_part;
  T* out;
  std::size_t first;
  std::size_t items;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    const std::size_t pair = first + k;
    const T* u = user_part + (pair / items) * cols;
    const T* v = item_part + (pair % items) * cols;
    T* o = out + k * cols;
    for (std::size_t c = 0; c < cols; ++c) {
      const T x = u[c] + v[c];
      o[c] = x > T(0) ? x : T(0);
    }
  }
};

/// NeuMF training, first tower layer split by input halves: row r of a batch is
///   out[r, c] = user_part[user_slot[r], c] + item_part[item_slot[r], c]
/// over the parts of the batch's distinct users and items (the first layer's bias is already in
/// item_part). One launch index per pair.
template <class T, class I>
struct add_slot_rows {
  const T* user_part;
  const T* item_part;
  const I* user_slot;
  const I* item_slot;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* u = user_part + static_cast<std::size_t>(user_slot[r]) * cols;
    const T* v = item_part + static_cast<std::size_t>(item_slot[r]) * cols;
    T* o = out + r * cols;
    for (std::size_t c = 0; c < cols; ++c) o[c] = u[c] + v[c];
  }
};

/// Row r: out[r, :] = [left[left_slot[r], :] || right[right_slot[r], :]] (left_cols then
/// right_cols columns). One launch index per row.
template <class T, class I>
struct concat_slot_rows {
  const T* left;
  const T* right;
  const I* left_slot;
  const I* right_slot;
  T* out;
  std::size_t left_cols;
  std::size_t right_cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T* a = left + static_cast<std::size_t>(left_slot[r]) * left_cols;
    const T* b = right + static_cast<std::size_t>(right_slot[r]) * right_cols;
    T* o = out + r * (left_cols + right_cols);
    for (std::size_t c = 0; c < left_cols; ++c) o[c] = a[c];
    for (std::size_t c = 0; c < right_cols; ++c) o[left_cols + c] = b[c];
  }
};

/// relu(x)
template <class T>
struct relu {
  DENOISE_HOST_DEVICE T operator()(T x) const { return x > T(0) ? x : T(0); }
};

/// dx = dy * (x > 0)  (x is the pre-activation)
template <class T>
struct relu_backward {
  const T* x;
  const T* dy;
  T* dx;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { dx[i] = x[i] > T(0) ? dy[i] : T(0); }
};

// ---- grouping the pairs of a batch by user (CDAE) -------------------------------------------

/// key[n] = (user[n] << 32) | n: sorting the keys groups a batch's pairs by user, in batch order.
struct user_key {
  const index_t* users;
  std::uint64_t* keys;
  DENOISE_HOST_DEVICE void operator()(std::size_t n) const {
    keys[n] = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(users[n])) << 32) |
              static_cast<std::uint64_t>(n);
  }
};

/// Splits sorted keys into (user, pair position).
struct split_user_key {
  const std::uint64_t* keys;
  index_t* user;
  index_t* pair;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    user[k] = static_cast<index_t>(keys[k] >> 32);
    pair[k] = static_cast<index_t>(keys[k] & 0xFFFFFFFFull);
  }
};

/// For distinct user s (segment s of the sorted pairs): slot[pair] = s for its pairs, and
/// user_slot[user] = s.
struct assign_slots {
  const index_t* unique_users;
  const offset_t* segments;  // distinct users + 1 offsets into order
  const index_t* order;      // pair positions grouped by user
  index_t* slot;             // per pair
  index_t* user_slot;        // per user of the catalogue
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
    for (offset_t k = segments[s]; k < segments[s + 1]; ++k) slot[order[k]] = static_cast<index_t>(s);
    user_slot[unique_users[s]] = static_cast<index_t>(s);
  }
};

/// user_slot[users[s]] = value
struct set_user_slot {
  const index_t* users;
  index_t* user_slot;
  index_t value;
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const { user_slot[users[s]] = value; }
};

/// The corruption of one training forward: mask[k] = 0 (entry k of the user CSR dropped, with
/// probability drop) or scale = 1 / (1 - drop) (kept), from the k-th number of the stream.
template <class T>
struct cdae_mask {
  T* mask;
  random::counter_stream stream;
  T drop;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    mask[k] = stream.uniform<T>(static_cast<std::uint64_t>(k)) < drop ? T(0) : scale;
  }
};

/// CDAE's row kernels work on blocks of this many consecutive columns: one thread per (row,
/// block) sums whole rows of W (or dz) into a small array, a loop that vectorises on the CPU
/// (one thread per element made every read strided). The sums keep their order: same bits.
constexpr std::size_t cdae_column_block = 16;

/// acc[0 .. width) += m * row[0 .. width); the full-block case has a constant trip count.
template <class T>
DENOISE_HOST_DEVICE DENOISE_INLINE void cdae_add_block(T* acc, T m, const T* row, std::size_t width) {
  if (width == cdae_column_block) {
    for (std::size_t c = 0; c < cdae_column_block; ++c) acc[c] += m * row[c];
  } else {
    for (std::size_t c = 0; c < width; ++c) acc[c] += m * row[c];
  }
}
/// Column blocks of a row `cols` wide.
DENOISE_HOST_DEVICE DENOISE_INLINE std::size_t cdae_blocks(std::size_t cols) {
  return (cols + cdae_column_block - 1) / cdae_column_block;
}

/// CDAE pre-activation of row s (the user u = rows[s], v_rows[s, :] = V[u, :]), one thread per
/// (row, column block):
///   z[s, c] = V[u, c] + b[c] + sum over j of I_u of mask[k] W[j, c]   (mask null: all 1)
template <class T>
struct cdae_hidden {
  const index_t* rows;
  const offset_t* offsets;  // user CSR
  const index_t* items;
  const T* v_rows;
  const T* b;
  const T* w;
  const T* mask;  // per user-CSR entry, or nullptr
  T* z;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t blocks = cdae_blocks(cols);
    const std::size_t s = i / blocks;
    const std::size_t c0 = (i % blocks) * cdae_column_block;
    const std::size_t width = cols - c0 < cdae_column_block ? cols - c0 : cdae_column_block;
    const auto u = static_cast<std::size_t>(rows[s]);
    T acc[cdae_column_block] = {};
    for (offset_t k = offsets[u]; k < offsets[u + 1]; ++k) {
      const T m = mask == nullptr ? T(1) : mask[k];
      cdae_add_block(acc, m, w + static_cast<std::size_t>(items[k]) * cols + c0, width);
    }
    for (std::size_t c = 0; c < width; ++c) z[s * cols + c0 + c] = v_rows[s * cols + c0 + c] + b[c0 + c] + acc[c];
  }
};

/// dh[s, c] = sum over the pairs of user slot s (in batch order) of dpair[pair, c]; one thread
/// per (slot, column block)
template <class T>
struct sum_pairs_per_user {
  const T* dpair;
  const offset_t* segments;
  const index_t* order;
  T* dh;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t blocks = cdae_blocks(cols);
    const std::size_t s = i / blocks;
    const std::size_t c0 = (i % blocks) * cdae_column_block;
    const std::size_t width = cols - c0 < cdae_column_block ? cols - c0 : cdae_column_block;
    T acc[cdae_column_block] = {};
    for (offset_t k = segments[s]; k < segments[s + 1]; ++k) {
      cdae_add_block(acc, T(1), dpair + static_cast<std::size_t>(order[k]) * cols + c0, width);
    }
    for (std::size_t c = 0; c < width; ++c) dh[s * cols + c0 + c] = acc[c];
  }
};

/// For entry e of the item CSR (user item_users[e] has item j): the batch slot of that user if
/// the user is in the batch and kept j in this forward's corruption, else -1.
template <class T>
struct cdae_entry_slots {
  const index_t* item_users;
  const offset_t* user_position;  // position of each item-CSR entry in the user CSR
  const index_t* user_slot;
  const T* mask;  // per user-CSR entry, or nullptr
  index_t* entry_slot;
  DENOISE_HOST_DEVICE void operator()(std::size_t e) const {
    const index_t s = user_slot[item_users[e]];
    const bool kept = mask == nullptr || mask[user_position[e]] != T(0);
    entry_slot[e] = kept ? s : index_t(-1);
  }
};

/// dW[j, c] += scale * sum over the entries e of item j with a slot of dz[slot, c]. One thread
/// per (item, column block), entries in ascending user order: race-free and deterministic.
template <class T>
struct cdae_input_grad {
  const offset_t* item_offsets;
  const index_t* entry_slot;
  const T* dz;
  T* dw;
  std::size_t cols;
  T scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t blocks = cdae_blocks(cols);
    const std::size_t j = i / blocks;
    const std::size_t c0 = (i % blocks) * cdae_column_block;
    const std::size_t width = cols - c0 < cdae_column_block ? cols - c0 : cdae_column_block;
    T acc[cdae_column_block] = {};
    for (offset_t e = item_offsets[j]; e < item_offsets[j + 1]; ++e) {
      const index_t s = entry_slot[e];
      if (s >= 0) cdae_add_block(acc, T(1), dz + static_cast<std::size_t>(s) * cols + c0, width);
    }
    for (std::size_t c = 0; c < width; ++c) dw[j * cols + c0 + c] += scale * acc[c];
  }
};

/// CDAE's factored logit gradients (CDAE::logit_gradients), one thread per pair n:
/// users[n] = unique[slot[n]] (the pair's user) and row n of `input` (pre-zeroed, `items` wide)
/// = the user's corrupted input x~_u: mask[k] (or 1 without a mask) at each training item.
template <class T>
struct cdae_pair_inputs {
  const index_t* unique;
  const index_t* slot;
  const offset_t* offsets;  // user CSR
  const index_t* item_ids;
  const T* mask;  // per user-CSR entry, or nullptr
  index_t* users;
  T* input;
  std::size_t items;
  DENOISE_HOST_DEVICE void operator()(std::size_t n) const {
    const index_t u = unique[slot[n]];
    users[n] = u;
    T* row = input + n * items;
    for (offset_t k = offsets[u]; k < offsets[u + 1]; ++k) row[item_ids[k]] = mask == nullptr ? T(1) : mask[k];
  }
};

/// delta[i] = w_out[i] * h[i] * (1 - h[i]): dlogit/dz of a pair (z: the hidden pre-activation)
template <class T>
struct cdae_hidden_delta {
  const T* w_out;
  const T* h;
  T* delta;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { delta[i] = w_out[i] * h[i] * (T(1) - h[i]); }
};

/// y[r, c] += (user_bias ? user_bias[r] : 0) + (item_bias ? item_bias[c] : 0) + (mu ? *mu : 0)
template <class T>
struct add_biases {
  T* y;
  const T* user_bias;
  const T* item_bias;
  const T* mu;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const T base = (user_bias != nullptr ? user_bias[r] : T(0)) + (mu != nullptr ? *mu : T(0));
    T* row = y + r * cols;
    if (item_bias != nullptr) {
      for (std::size_t c = 0; c < cols; ++c) row[c] += base + item_bias[c];
    } else {
      for (std::size_t c = 0; c < cols; ++c) row[c] += base;
    }
  }
};

}  // namespace kernels
}  // namespace models
}  // namespace denoise
