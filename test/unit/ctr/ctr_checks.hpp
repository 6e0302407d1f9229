// Helpers of the CTR model tests: random field batches and a planted-signal field dataset.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/data/field_batch.hpp>
#include <denoise/data/field_dataset.hpp>

namespace denoise {
namespace test {

/// n random rows over fields of the given cardinalities (global ids: code + field offset).
template <class B>
data::field_batch<B> random_field_batch(const std::vector<index_t>& dims, std::size_t n, std::uint64_t seed) {
  const auto offsets = data::field_offsets(dims);
  std::vector<index_t> ids;
  random::counter_stream s(seed);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t f = 0; f < dims.size(); ++f) {
      const auto code = static_cast<index_t>(s.bits(r * dims.size() + f) % static_cast<std::uint64_t>(dims[f]));
      ids.push_back(code + offsets[f]);
    }
  }
  data::field_batch<B> b;
  B::from_host(ids, b.index);
  b.fields = static_cast<index_t>(dims.size());
  return b;
}

/// A field dataset with a planted signal: logit = 2 a[x0] + 2 b[x1] + 3 c[x2] d[x3] (a, b, c, d
/// ~ N(0, 1)), label ~ Bernoulli(sigmoid(logit)). Both first-order and pairwise structure, so
/// every backbone can learn something.
inline data::FieldDataset planted_fields(std::size_t rows, std::uint64_t seed) {
  const std::vector<index_t> dims{30, 20, 12, 12, 5};
  data::FieldDataset d({"f0", "f1", "f2", "f3", "noise"}, dims);
  random::counter_stream s(seed);
  std::vector<double> w[4];
  std::uint64_t k = 0;
  for (std::size_t f = 0; f < 4; ++f)
    for (index_t v = 0; v < dims[f]; ++v) w[f].push_back(s.normal<double>(k++));
  std::vector<index_t> row(dims.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < dims.size(); ++f)
      row[f] = static_cast<index_t>(s.bits(1000000 + r * dims.size() + f) % static_cast<std::uint64_t>(dims[f]));
    const double z = 2.0 * w[0][static_cast<std::size_t>(row[0])] + 2.0 * w[1][static_cast<std::size_t>(row[1])] +
                     3.0 * w[2][static_cast<std::size_t>(row[2])] * w[3][static_cast<std::size_t>(row[3])];
    const double p = 1.0 / (1.0 + std::exp(-z));
    d.push_back(row, s.uniform<double>(5000000 + r) < p ? 1.0f : 0.0f);
  }
  return d;
}

}  // namespace test
}  // namespace denoise
