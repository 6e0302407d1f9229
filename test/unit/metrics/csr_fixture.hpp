// Owns the arrays behind a csr_view built from per-user item lists (test helper).
#pragma once

#include <denoise/core/csr_view.hpp>

#include <vector>

namespace metrics_test {

using row_list = std::vector<std::vector<denoise::index_t>>;

struct owned_csr {
  std::vector<denoise::offset_t> offsets{0};
  std::vector<denoise::index_t> indices;

  explicit owned_csr(const row_list& rows) {
    for (const auto& r : rows) {
      indices.insert(indices.end(), r.begin(), r.end());
      offsets.push_back(static_cast<denoise::offset_t>(indices.size()));
    }
  }
  denoise::csr_view view() const { return {offsets, indices}; }
};

}  // namespace metrics_test
