// A read-only compressed-sparse-row view: row r holds indices[offsets[r] .. offsets[r+1]).
// The data layer hands these out (items of each user, users of each item); metrics and samplers
// read them without knowing which container owns the memory.
#pragma once

#include <cstddef>

#include "span.hpp"
#include "types.hpp"

namespace denoise {

struct csr_view {
  span<const offset_t> offsets;  ///< rows() + 1 entries, offsets[0] == 0, non-decreasing
  span<const index_t> indices;   ///< column of each stored entry, sorted within a row

  std::size_t rows() const noexcept { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::size_t nnz() const noexcept { return indices.size(); }
  span<const index_t> row(std::size_t r) const noexcept {
    const auto begin = static_cast<std::size_t>(offsets[r]);
    return indices.subspan(begin, static_cast<std::size_t>(offsets[r + 1]) - begin);
  }
  std::size_t row_size(std::size_t r) const noexcept {
    return static_cast<std::size_t>(offsets[r + 1] - offsets[r]);
  }
};

}  // namespace denoise
