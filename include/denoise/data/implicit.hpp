// Implicit conversion with ground truth: every interaction becomes a positive (label 1), and it
// is marked noisy when its rating is below a threshold (default rating < 3, the papers'
// convention). The noise mark is for evaluation only; batches never carry it.
#pragma once

#include <cstddef>

#include "../core/error.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

struct ImplicitOptions {
  float noisy_below = 3.0f;  ///< rating < noisy_below marks a false positive
};

/// Converts in place; needs a rating column.
inline void make_implicit(Interactions& data, const ImplicitOptions& options = {}) {
  if (!data.has_ratings() && !data.empty())
    throw config_error("implicit conversion with noise labels needs a rating column",
                       location::of_field("rating"));
  auto labels = data.mutable_labels();
  auto noisy = data.mutable_noisy();
  const auto ratings = data.ratings();
  for (std::size_t k = 0; k < data.size(); ++k) {
    labels[k] = 1.0f;
    noisy[k] = ratings[k] < options.noisy_below ? 1 : 0;
  }
}

/// A converted copy.
inline Interactions to_implicit(Interactions data, const ImplicitOptions& options = {}) {
  make_implicit(data, options);
  return data;
}

/// Number of rows flagged noisy.
inline std::size_t count_noisy(const Interactions& data) {
  std::size_t n = 0;
  for (auto f : data.noisy()) n += f != 0;
  return n;
}

}  // namespace data
}  // namespace denoise
