// An owning CSR index (rows -> sorted, distinct columns), e.g. the items of each user. Hands out a
// denoise::csr_view for code that only reads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "../core/csr_view.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace data {

class CsrIndex {
 public:
  CsrIndex() : offsets_(1, 0) {}

  /// Builds from parallel (row, column) arrays; duplicates are merged, columns sorted per row.
  static CsrIndex build(span<const index_t> rows, span<const index_t> cols, std::size_t n_rows) {
    CsrIndex out;
    out.offsets_.assign(n_rows + 1, 0);
    for (index_t r : rows) ++out.offsets_[static_cast<std::size_t>(r) + 1];
    for (std::size_t r = 0; r < n_rows; ++r) out.offsets_[r + 1] += out.offsets_[r];
    out.indices_.resize(rows.size());
    std::vector<offset_t> fill(out.offsets_.begin(), out.offsets_.end() - 1);
    for (std::size_t k = 0; k < rows.size(); ++k)
      out.indices_[static_cast<std::size_t>(fill[static_cast<std::size_t>(rows[k])]++)] = cols[k];
    // Sort and deduplicate each row, compacting in place.
    offset_t write = 0;
    for (std::size_t r = 0; r < n_rows; ++r) {
      const auto b = out.indices_.begin() + out.offsets_[r];
      const auto e = out.indices_.begin() + out.offsets_[r + 1];
      std::sort(b, e);
      const auto last = std::unique(b, e);
      const offset_t begin_write = write;
      for (auto it = b; it != last; ++it) out.indices_[static_cast<std::size_t>(write++)] = *it;
      out.offsets_[r] = begin_write;
    }
    out.offsets_[n_rows] = write;
    out.indices_.resize(static_cast<std::size_t>(write));
    return out;
  }

  std::size_t rows() const noexcept { return offsets_.size() - 1; }
  std::size_t nnz() const noexcept { return indices_.size(); }
  span<const index_t> row(std::size_t r) const noexcept { return view().row(r); }
  std::size_t row_size(std::size_t r) const noexcept {
    return static_cast<std::size_t>(offsets_[r + 1] - offsets_[r]);
  }
  /// True when column c is stored in row r (binary search).
  bool contains(std::size_t r, index_t c) const noexcept {
    const auto b = indices_.begin() + offsets_[r];
    const auto e = indices_.begin() + offsets_[r + 1];
    return std::binary_search(b, e, c);
  }
  csr_view view() const noexcept { return csr_view{span<const offset_t>(offsets_), span<const index_t>(indices_)}; }
  const std::vector<offset_t>& offsets() const noexcept { return offsets_; }
  const std::vector<index_t>& indices() const noexcept { return indices_; }

 private:
  std::vector<offset_t> offsets_;
  std::vector<index_t> indices_;
};

}  // namespace data
}  // namespace denoise
