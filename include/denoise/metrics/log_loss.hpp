// Binary cross-entropy of predicted probabilities, the CTR papers' "LogLoss".
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "detail/labels.hpp"

namespace denoise {
namespace metrics {

/// Probabilities are clipped to [eps, 1 - eps] before the logarithm.
constexpr double default_log_loss_eps = 1e-7;

namespace detail {

template <class Label>
double log_loss_impl(span<const float> probabilities, span<const Label> labels, double eps) {
  check_sizes(probabilities.size(), "probabilities", labels.size(), "labels");
  if (probabilities.empty()) throw input_error("no samples", location::of_field("probabilities"));
  if (!(eps > 0.0 && eps < 0.5)) {
    throw config_error("must lie in (0, 0.5) (got " + std::to_string(eps) + ")", location::of_field("eps"));
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities[i];
    if (!(p >= 0.0 && p <= 1.0)) {
      throw input_error("sample " + std::to_string(i) + " has probability " +
                            (std::isnan(p) ? std::string("NaN") : std::to_string(p)) + " outside [0, 1]",
                        location::of_field("probabilities"));
    }
    const double q = std::min(std::max(p, eps), 1.0 - eps);
    sum -= binary_label(labels[i], i, "labels") ? std::log(q) : std::log1p(-q);
  }
  return sum / static_cast<double>(probabilities.size());
}

}  // namespace detail

/// Mean of -[y log p + (1 - y) log(1 - p)] over the samples. Throws input_error on a size
/// mismatch, no samples, a probability that is NaN or outside [0, 1], or a label other than 0/1.
inline double log_loss(span<const float> probabilities, span<const float> labels,
                       double eps = default_log_loss_eps) {
  return detail::log_loss_impl<float>(probabilities, labels, eps);
}
inline double log_loss(span<const float> probabilities, span<const std::uint8_t> labels,
                       double eps = default_log_loss_eps) {
  return detail::log_loss_impl<std::uint8_t>(probabilities, labels, eps);
}

}  // namespace metrics
}  // namespace denoise
