// Seeded random split of a FieldDataset into train / validation / test (AutoDenoise: 80/10/10).
// The rows of each part keep their instance ids and their original relative order, so the
// training part's instance order is stable from epoch to epoch.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "field_dataset.hpp"

namespace denoise {
namespace data {

struct field_split {
  FieldDataset train, validation, test;
};

/// Shuffles the row positions with `seed`, takes the first round(train_fraction * n) for train,
/// the next round(validation_fraction * n) for validation and the rest for test; each part is
/// then sorted back into dataset order.
inline field_split split_fields(const FieldDataset& rows, std::uint64_t seed, double train_fraction = 0.8,
                                double validation_fraction = 0.1) {
  if (!(train_fraction > 0.0 && validation_fraction >= 0.0 && train_fraction + validation_fraction <= 1.0)) {
    throw config_error("split_fields: fractions must satisfy 0 < train, 0 <= validation, train + validation <= 1",
                       location::of_field("split"));
  }
  const std::size_t n = rows.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  random::rng g(seed, "field_split");
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(g.uniform_index(i));
    std::swap(order[i - 1], order[j]);
  }
  const auto n_train = static_cast<std::size_t>(train_fraction * static_cast<double>(n) + 0.5);
  const auto n_valid =
      std::min(n - n_train, static_cast<std::size_t>(validation_fraction * static_cast<double>(n) + 0.5));
  auto part = [&](std::size_t first, std::size_t count) {
    std::vector<std::size_t> positions(order.begin() + static_cast<std::ptrdiff_t>(first),
                                       order.begin() + static_cast<std::ptrdiff_t>(first + count));
    std::sort(positions.begin(), positions.end());
    return rows.subset(positions);
  };
  field_split out;
  out.train = part(0, n_train);
  out.validation = part(n_train, n_valid);
  out.test = part(n_train + n_valid, n - n_train - n_valid);
  return out;
}

}  // namespace data
}  // namespace denoise
