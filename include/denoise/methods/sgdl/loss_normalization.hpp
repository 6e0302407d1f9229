// Min–max normalisation of per-interaction losses before SGDL's noise-rate estimate (Gao et al.,
// SIGIR'22, §3.2.2 "normalise" the losses, then fit a two-component Gaussian mixture to them).
//
//   normalize_min_max            over all of D: (x - min) / (max - min)         [paper; min–max ours]
//   normalize_min_max_per_user   within each user's interactions, a user with a single
//                                interaction left raw                            [code]
//
// Constant losses (max == min) become 0 in both [ours]: no spread means no evidence of noise, and
// 0 is where the clean component of the mixture sits.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace methods {
namespace sgdl {
namespace detail {

/// Throws input_error naming `field` for an empty input or the first non-finite value.
inline void require_finite_values(span<const double> values, const char* field) {
  if (values.empty()) throw input_error("is empty", location::of_field(field));
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k])) {
      throw input_error("value " + std::to_string(k) + " is not finite (" + std::to_string(values[k]) + ")",
                        location::of_field(field));
    }
  }
}

}  // namespace detail

/// values := (values - min) / (max - min) over all entries; all 0 when they are all equal [ours].
/// Empty input or a NaN/inf entry is an input_error naming "values".
inline void normalize_min_max(std::vector<double>& values) {
  detail::require_finite_values(values, "values");
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const double min = *lo;
  const double range = *hi - *lo;
  for (double& x : values) x = range > 0.0 ? (x - min) / range : 0.0;
}

/// The code profile's normalisation: min–max within each user's entries (users[k] is the user of
/// values[k]). A user with a single entry keeps its raw value [code]; a user whose entries are all
/// equal gets 0 [ours]. Empty input, a NaN/inf value, a size mismatch or a negative user id is an
/// input_error naming the field.
inline void normalize_min_max_per_user(std::vector<double>& values, span<const index_t> users) {
  detail::require_finite_values(values, "values");
  if (users.size() != values.size()) {
    throw input_error("has " + std::to_string(users.size()) + " entries for " + std::to_string(values.size()) +
                          " values",
                      location::of_field("users"));
  }
  index_t max_user = 0;
  for (std::size_t k = 0; k < users.size(); ++k) {
    if (users[k] < 0) {
      throw input_error("entry " + std::to_string(k) + " is negative (" + std::to_string(users[k]) + ")",
                        location::of_field("users"));
    }
    max_user = std::max(max_user, users[k]);
  }
  const auto n_users = static_cast<std::size_t>(max_user) + 1;
  std::vector<double> min(n_users, std::numeric_limits<double>::infinity());
  std::vector<double> max(n_users, -std::numeric_limits<double>::infinity());
  std::vector<std::size_t> count(n_users, 0);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto u = static_cast<std::size_t>(users[k]);
    min[u] = std::min(min[u], values[k]);
    max[u] = std::max(max[u], values[k]);
    ++count[u];
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto u = static_cast<std::size_t>(users[k]);
    if (count[u] < 2) continue;  // single interaction: left raw [code]
    const double range = max[u] - min[u];
    values[k] = range > 0.0 ? (values[k] - min[u]) / range : 0.0;
  }
}

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
