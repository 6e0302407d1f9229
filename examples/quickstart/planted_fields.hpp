// The examples' built-in CTR data: field rows with a planted signal,
// logit = 2 a[x0] + 2 b[x1] + 3 c[x2] d[x3] (a, b, c, d standard normal per value, a fifth field
// pure noise), label ~ Bernoulli(sigmoid(logit)). Deterministic: the same rows on every machine.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/core/types.hpp>
#include <denoise/data/field_dataset.hpp>

inline denoise::data::FieldDataset planted_fields(std::size_t rows) {
  namespace dn = denoise;
  const std::vector<dn::index_t> dims{30, 20, 12, 12, 5};
  dn::data::FieldDataset d({"f0", "f1", "f2", "f3", "noise"}, dims);
  dn::random::counter_stream s(11);
  std::vector<double> w[4];
  std::uint64_t k = 0;
  for (std::size_t f = 0; f < 4; ++f)
    for (dn::index_t v = 0; v < dims[f]; ++v) w[f].push_back(s.normal<double>(k++));
  std::vector<dn::index_t> row(dims.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < dims.size(); ++f)
      row[f] = static_cast<dn::index_t>(s.bits(1000000 + r * dims.size() + f) % static_cast<std::uint64_t>(dims[f]));
    const double z = 2.0 * w[0][static_cast<std::size_t>(row[0])] + 2.0 * w[1][static_cast<std::size_t>(row[1])] +
                     3.0 * w[2][static_cast<std::size_t>(row[2])] * w[3][static_cast<std::size_t>(row[3])];
    d.push_back(row, s.uniform<double>(5000000 + r) < 1.0 / (1.0 + std::exp(-z)) ? 1.0f : 0.0f);
  }
  return d;
}
