// The ground-truth noise flag of each training instance, indexed by instance id, for reporting
// denoising quality. Batchers expose it; it never reaches a method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../data/interactions.hpp"

namespace denoise {
namespace train {
namespace batchers {
namespace detail {

/// Marks instance ids that carry no flag (negatives, or data without ground truth).
inline constexpr std::uint8_t no_flag = 255;

/// Flags of the positives (label > 0) of `data`; empty when the data has no ground truth.
inline std::vector<std::uint8_t> positive_noise_flags(const data::Interactions& data) {
  std::vector<std::uint8_t> flags;
  const auto noisy = data.noisy();
  if (noisy.empty()) return flags;
  flags.assign(static_cast<std::size_t>(data.instance_capacity()), no_flag);
  const auto labels = data.labels();
  const auto instances = data.instances();
  for (std::size_t r = 0; r < data.size(); ++r) {
    if (labels[r] > 0.0f) flags[static_cast<std::size_t>(instances[r])] = noisy[r] ? 1 : 0;
  }
  return flags;
}

}  // namespace detail
}  // namespace batchers
}  // namespace train
}  // namespace denoise
