// Small operations the models share, written over backend primitives and the kernels of
// detail/kernels.hpp. Private to denoise/models.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "kernels.hpp"

namespace denoise {
namespace models {
namespace detail {

template <class B>
std::size_t cols_of(const typename B::matrix& m) {
  return static_cast<std::size_t>(m.cols());
}

template <class B>
std::size_t rows_of(const typename B::matrix& m) {
  return static_cast<std::size_t>(m.rows());
}

/// out[r, :] = d[r] * x[r, :]   (d: a vector with x.rows() entries)
template <class B>
void scale_rows(const typename B::vector& d, const typename B::matrix& x, typename B::matrix& out) {
  B::require_same_size(d.size(), static_cast<std::size_t>(x.rows()), "scale_rows");
  out.resize(x.rows(), x.cols());
  B::launch(rows_of<B>(x), kernels::scale_rows<typename B::scalar>{B::ptr(d), B::ptr(x), B::ptr(out), cols_of<B>(x)},
            cols_of<B>(x));
}

/// out[r, c] = d[r] * v[c]: the outer product d v^T, d.size() x cols (v: cols entries in backend
/// memory). The same bits as a gemm of inner size 1, without its zero fill.
template <class B>
void outer_product(const typename B::vector& d, const typename B::scalar* v, index_t cols, typename B::matrix& out) {
  out.resize(static_cast<index_t>(d.size()), cols);
  const auto c = static_cast<std::size_t>(cols);
  B::launch(d.size(), kernels::outer_product_rows<typename B::scalar>{B::ptr(d), v, B::ptr(out), c}, c);
}

/// out[r, c] = x[r, c] * w[c]   (w: x.cols() entries in backend memory; out may be x)
template <class B>
void multiply_row_broadcast(const typename B::matrix& x, const typename B::scalar* w, typename B::matrix& out) {
  out.resize(x.rows(), x.cols());
  B::launch(rows_of<B>(x),
            kernels::multiply_row_broadcast<typename B::scalar>{B::ptr(x), w, B::ptr(out), cols_of<B>(x)},
            cols_of<B>(x));
}

/// out = a ⊙ b
template <class B>
void multiply(const typename B::matrix& a, const typename B::matrix& b, typename B::matrix& out) {
  B::zip(a, b, out, kernels::multiply<typename B::scalar>{});
}

/// out[r, offset .. offset + in.cols()) = in[r, :]   (out already shaped)
template <class B>
void put_cols(const typename B::matrix& in, typename B::matrix& out, index_t offset) {
  if (in.rows() != out.rows() || offset + in.cols() > out.cols()) {
    throw config_error("put_cols: a " + std::to_string(in.rows()) + "x" + std::to_string(in.cols()) +
                       " block does not fit a " + std::to_string(out.rows()) + "x" + std::to_string(out.cols()) +
                       " matrix at column " + std::to_string(offset));
  }
  B::launch(rows_of<B>(in),
            kernels::put_cols<typename B::scalar>{B::ptr(in), B::ptr(out), cols_of<B>(in), cols_of<B>(out),
                                                  static_cast<std::size_t>(offset)},
            cols_of<B>(in));
}

/// out = in[:, offset .. offset + cols)
template <class B>
void take_cols(const typename B::matrix& in, index_t offset, index_t cols, typename B::matrix& out) {
  if (offset + cols > in.cols()) throw config_error("take_cols: columns out of range");
  out.resize(in.rows(), cols);
  B::launch(rows_of<B>(out),
            kernels::take_cols<typename B::scalar>{B::ptr(in), B::ptr(out), cols_of<B>(in),
                                                   static_cast<std::size_t>(cols), static_cast<std::size_t>(offset)},
            static_cast<std::size_t>(cols));
}

/// y[r, :] += a[r]   (a: rows() entries, a vector or an n x 1 matrix)
template <class B, class C>
void add_col_broadcast(typename B::matrix& y, const C& a) {
  B::require_same_size(a.size(), static_cast<std::size_t>(y.rows()), "add_col_broadcast");
  B::launch(rows_of<B>(y), kernels::add_col_broadcast<typename B::scalar>{B::ptr(y), B::ptr(a), cols_of<B>(y)},
            cols_of<B>(y));
}

/// every element of y += the single element of s (a 1 x 1 matrix in backend memory)
template <class B, class C>
void add_scalar(C& y, const typename B::matrix& s) {
  B::launch(y.size(), kernels::add_scalar_at<typename B::scalar>{B::ptr(y), B::ptr(s)});
}

/// A vector of n values viewed as an n x 1 matrix: dst takes a copy.
template <class B>
void as_column(const typename B::vector& v, typename B::matrix& dst) {
  dst.resize(static_cast<index_t>(v.size()), 1);
  B::copy(v, dst.values());
}

/// Throws config_error unless the pair lists have the same length.
inline void require_pairs(std::size_t users, std::size_t items, const char* model) {
  if (users != items) {
    throw config_error(std::string(model) + "::forward: " + std::to_string(users) + " users but " +
                       std::to_string(items) + " items; one of each per pair");
  }
}

/// Throws config_error unless dlogits has one entry per pair of the last forward.
inline void require_dlogits(std::size_t dlogits, std::size_t pairs, bool forwarded, const char* model) {
  if (!forwarded) throw config_error(std::string(model) + "::backward called before forward");
  if (dlogits != pairs) {
    throw config_error(std::string(model) + "::backward: " + std::to_string(dlogits) +
                       " logit gradients for a forward of " + std::to_string(pairs) + " pairs");
  }
}

/// Throws config_error unless the workspace holds a forward (for jvp()).
inline void require_forwarded(bool forwarded, const char* model, const char* what) {
  if (!forwarded) throw config_error(std::string(model) + "::" + what + " called before forward with this workspace");
}

/// The storage behind a model's workspace: the state lives on the heap, created by the first
/// forward, so that moving a workspace keeps the references its layer caches hold into it valid.
template <class State>
class boxed {
 public:
  State& get() {
    if (!p_) p_ = std::make_unique<State>();
    return *p_;
  }
  State* find() noexcept { return p_.get(); }
  const State* find() const noexcept { return p_.get(); }

 private:
  std::unique_ptr<State> p_;
};

inline void require_positive(index_t value, const char* what, const char* model) {
  if (value <= 0) throw config_error(std::string(model) + ": " + what + " must be positive");
}

}  // namespace detail
}  // namespace models
}  // namespace denoise
