// Storage shared by every backend: a row-major matrix over a backend's flat vector type, and a
// non-owning view of a block of rows (what gemm and the kernels of the nn layers work on).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace backends {

/// A non-owning row-major view: rows x cols elements at data, row r starting at data + r * cols.
template <class T>
struct matrix_view {
  T* data = nullptr;
  index_t rows = 0;
  index_t cols = 0;

  DENOISE_HOST_DEVICE std::size_t size() const noexcept {
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  }
  /// The view of rows [first, first + count).
  DENOISE_HOST_DEVICE matrix_view row_block(index_t first, index_t count) const noexcept {
    return {data + static_cast<std::size_t>(first) * static_cast<std::size_t>(cols), count, cols};
  }
  template <class U = T, class = std::enable_if_t<!std::is_const<U>::value>>
  operator matrix_view<const U>() const noexcept {  // NOLINT: implicit by design
    return {data, rows, cols};
  }
};

/// A row-major rows x cols matrix owning a flat vector `Vec` (std::vector on the host,
/// thrust::device_vector on a CUDA device). Element access goes through backend primitives;
/// the layers never index it directly, which is what lets them run on a device.
template <class Vec>
class basic_matrix {
 public:
  using storage_type = Vec;
  using value_type = typename Vec::value_type;

  basic_matrix() = default;
  basic_matrix(index_t rows, index_t cols) : values_(count(rows, cols)), rows_(rows), cols_(cols) {}

  index_t rows() const noexcept { return rows_; }
  index_t cols() const noexcept { return cols_; }
  std::size_t size() const noexcept { return count(rows_, cols_); }
  bool empty() const noexcept { return size() == 0; }

  /// Gives the matrix the shape rows x cols. Reallocates only when the element count grows or
  /// shrinks; contents are unspecified afterwards (write them with a primitive).
  void resize(index_t rows, index_t cols) {
    const std::size_t n = count(rows, cols);
    if (n != values_.size()) values_.resize(n);
    rows_ = rows;
    cols_ = cols;
  }

  Vec& values() noexcept { return values_; }
  const Vec& values() const noexcept { return values_; }

  friend void swap(basic_matrix& a, basic_matrix& b) noexcept {
    using std::swap;
    swap(a.values_, b.values_);
    swap(a.rows_, b.rows_);
    swap(a.cols_, b.cols_);
  }

 private:
  static std::size_t count(index_t rows, index_t cols) noexcept {
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  }

  Vec values_;
  index_t rows_ = 0;
  index_t cols_ = 0;
};

}  // namespace backends
}  // namespace denoise
