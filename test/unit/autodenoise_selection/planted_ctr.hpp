// Planted-noise CTR rows for the AutoDenoise tests: a clean label from a strong field signal
// (logit = 3 a[x0] + 3 b[x1] + 3 c[x2] d[x3], label = logit > 0), then labels flipped at random:
// with probability `flip_rate` for every row, or, when `noisy_source_flip` > 0, with that
// probability for the rows whose last field (a 4-valued "source") is 0 and `flip_rate` for the
// others (a noisy source, as a noisy user or logging channel would be). The flipped rows carry
// the noise flag (evaluation only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/data/field_dataset.hpp>

namespace denoise {
namespace test {

inline data::FieldDataset planted_noise_ctr(std::size_t rows, double flip_rate, std::uint64_t seed,
                                            double noisy_source_flip = 0.0) {
  const std::vector<index_t> dims{40, 30, 8, 8, 4};
  data::FieldDataset d({"f0", "f1", "f2", "f3", "source"}, dims);
  random::counter_stream s(seed);
  std::vector<double> w[4];
  std::uint64_t k = 0;
  for (std::size_t f = 0; f < 4; ++f)
    for (index_t v = 0; v < dims[f]; ++v) w[f].push_back(s.normal<double>(k++));
  std::vector<index_t> row(dims.size());
  std::vector<std::uint8_t> flags;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < dims.size(); ++f)
      row[f] = static_cast<index_t>(s.bits(1000000 + r * dims.size() + f) % static_cast<std::uint64_t>(dims[f]));
    const double z = 3.0 * w[0][static_cast<std::size_t>(row[0])] + 3.0 * w[1][static_cast<std::size_t>(row[1])] +
                     3.0 * w[2][static_cast<std::size_t>(row[2])] * w[3][static_cast<std::size_t>(row[3])];
    const double rate = noisy_source_flip > 0.0 && row[4] == 0 ? noisy_source_flip : flip_rate;
    const bool flip = s.uniform<double>(5000000 + r) < rate;
    const bool clean = z > 0.0;
    d.push_back(row, (clean != flip) ? 1.0f : 0.0f);
    flags.push_back(flip ? 1 : 0);
  }
  d.set_noisy(std::move(flags));
  return d;
}

}  // namespace test
}  // namespace denoise
