// How well a denoiser separated noise from signal, against ground-truth noise flags (planted or
// from explicit ratings): drop precision and recall (ADT reports them), and the distribution of
// the weights it gave noisy and clean samples (0 = dropped, fractional = soft, 2 = duplicated).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "detail/labels.hpp"
#include "metric_value.hpp"

namespace denoise {
namespace metrics {

struct denoising_options {
  float drop_threshold = 0.0f;  ///< a sample with weight <= this counts as dropped
  double histogram_low = 0.0;   ///< histogram range [low, high], `bins` equal bins
  double histogram_high = 2.0;
  int bins = 10;
};

/// Drop counts and rates. A rate whose denominator is 0 is NaN and its `_defined` flag is false.
struct drop_stats {
  std::size_t samples = 0;
  std::size_t noisy = 0;          ///< samples flagged noisy
  std::size_t dropped = 0;        ///< samples with weight <= drop_threshold
  std::size_t dropped_noisy = 0;  ///< dropped and noisy
  double precision = std::numeric_limits<double>::quiet_NaN();  ///< dropped_noisy / dropped
  double recall = std::numeric_limits<double>::quiet_NaN();     ///< dropped_noisy / noisy
  double f1 = std::numeric_limits<double>::quiet_NaN();         ///< NaN unless both are defined
  bool precision_defined = false;  ///< false when nothing was dropped
  bool recall_defined = false;     ///< false when no sample is noisy
};

/// Fixed-bin histogram over [low, high]: bin b holds [low + b w, low + (b + 1) w), the last bin
/// also holds `high`; values outside the range are counted in `below` / `above`.
struct weight_histogram {
  double low = 0.0;
  double high = 0.0;
  std::vector<std::size_t> counts;
  std::size_t below = 0;
  std::size_t above = 0;
};

/// Distribution of a group's weights. With no sample every statistic is NaN.
struct weight_summary {
  std::size_t count = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double stddev = std::numeric_limits<double>::quiet_NaN();  ///< population (divides by count)
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  /// Quantiles 0.10, 0.25, 0.50, 0.75, 0.90, linear between order statistics (numpy's default).
  double q10 = std::numeric_limits<double>::quiet_NaN();
  double q25 = std::numeric_limits<double>::quiet_NaN();
  double q50 = std::numeric_limits<double>::quiet_NaN();
  double q75 = std::numeric_limits<double>::quiet_NaN();
  double q90 = std::numeric_limits<double>::quiet_NaN();
  weight_histogram histogram;

  /// "<prefix>count", "<prefix>mean", ... "<prefix>q90" (the histogram is not listed).
  metric_list metrics(const std::string& prefix) const {
    return {{prefix + "count", static_cast<double>(count)},
            {prefix + "mean", mean}, {prefix + "std", stddev}, {prefix + "min", min}, {prefix + "max", max},
            {prefix + "q10", q10}, {prefix + "q25", q25}, {prefix + "q50", q50}, {prefix + "q75", q75},
            {prefix + "q90", q90}};
  }
};

struct denoising_report {
  drop_stats drop;
  weight_summary noisy;  ///< weights of the samples flagged noisy
  weight_summary clean;  ///< weights of the others

  /// "drop_precision", "drop_recall", "drop_f1", "dropped", "noisy", "dropped_noisy", "samples",
  /// then weight_noisy_* and weight_clean_*. Undefined rates are NaN (a JSON writer prints null).
  metric_list metrics() const {
    metric_list out{{"drop_precision", drop.precision},
                    {"drop_recall", drop.recall},
                    {"drop_f1", drop.f1},
                    {"dropped", static_cast<double>(drop.dropped)},
                    {"noisy", static_cast<double>(drop.noisy)},
                    {"dropped_noisy", static_cast<double>(drop.dropped_noisy)},
                    {"samples", static_cast<double>(drop.samples)}};
    for (auto& m : noisy.metrics("weight_noisy_")) out.push_back(std::move(m));
    for (auto& m : clean.metrics("weight_clean_")) out.push_back(std::move(m));
    return out;
  }
};

namespace detail {

// Quantiles by selection instead of a full sort (the Trainer summarises every epoch's weights, and
// sorting them cost R-CE as much as its weighting): q in increasing order, each a linear
// interpolation between order statistics lo and lo + 1 (numpy "linear"). nth_element leaves every
// value after lo at least v[lo], so the next statistic is the minimum of that tail, and the next,
// larger quantile only needs to search the tail too. Same values as sorting, to the bit.
struct quantile_selector {
  std::vector<double>& v;
  std::size_t from = 0;

  double operator()(double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const double frac = pos - static_cast<double>(lo);
    const auto first = v.begin() + static_cast<std::ptrdiff_t>(from);
    const auto nth = v.begin() + static_cast<std::ptrdiff_t>(lo);
    std::nth_element(first, nth, v.end());
    from = lo;
    const double low = *nth;
    const double high = lo + 1 < v.size() ? *std::min_element(nth + 1, v.end()) : low;
    return low + (high - low) * frac;
  }
};

inline void check_options(const denoising_options& o) {
  if (o.bins <= 0) {
    throw config_error("must be positive (got " + std::to_string(o.bins) + ")", location::of_field("bins"));
  }
  if (!(o.histogram_low < o.histogram_high)) {
    throw config_error("histogram_low must be below histogram_high", location::of_field("histogram_high"));
  }
  if (std::isnan(o.drop_threshold)) throw config_error("is NaN", location::of_field("drop_threshold"));
}

inline void check_weights(span<const float> weights) {
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const float w = weights[i];
    if (!(w >= 0.0f) || std::isinf(w)) {
      throw input_error("sample " + std::to_string(i) + " has weight " +
                            (std::isnan(w) ? std::string("NaN") : std::to_string(w)) +
                            "; weights must be finite and >= 0",
                        location::of_field("weights"));
    }
  }
}

inline weight_summary summarize(std::vector<double>& values, const denoising_options& o) {
  weight_summary s;
  s.histogram.low = o.histogram_low;
  s.histogram.high = o.histogram_high;
  s.histogram.counts.assign(static_cast<std::size_t>(o.bins), 0);
  s.count = values.size();
  if (values.empty()) return s;
  double sum = 0.0;
  for (const double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  double sq = 0.0;
  for (const double v : values) sq += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(sq / static_cast<double>(values.size()));
  const double width = (o.histogram_high - o.histogram_low) / o.bins;
  for (const double v : values) {
    if (v < o.histogram_low) {
      ++s.histogram.below;
    } else if (v > o.histogram_high) {
      ++s.histogram.above;
    } else {
      auto b = static_cast<std::size_t>((v - o.histogram_low) / width);
      if (b >= s.histogram.counts.size()) b = s.histogram.counts.size() - 1;
      ++s.histogram.counts[b];
    }
  }
  const auto extremes = std::minmax_element(values.begin(), values.end());
  s.min = *extremes.first;
  s.max = *extremes.second;
  quantile_selector quantile{values};  // increasing q: each selection searches the previous tail
  s.q10 = quantile(0.10);
  s.q25 = quantile(0.25);
  s.q50 = quantile(0.50);
  s.q75 = quantile(0.75);
  s.q90 = quantile(0.90);
  return s;
}

template <class Flag>
denoising_report denoising_quality_impl(span<const float> weights, span<const Flag> noisy,
                                        const denoising_options& o) {
  check_options(o);
  check_sizes(weights.size(), "weights", noisy.size(), "noisy");
  check_weights(weights);
  denoising_report r;
  std::vector<double> noisy_w, clean_w;
  drop_stats& d = r.drop;
  d.samples = weights.size();
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const bool is_noisy = binary_label(noisy[i], i, "noisy");
    const bool dropped = weights[i] <= o.drop_threshold;
    d.noisy += is_noisy ? 1u : 0u;
    d.dropped += dropped ? 1u : 0u;
    d.dropped_noisy += (is_noisy && dropped) ? 1u : 0u;
    (is_noisy ? noisy_w : clean_w).push_back(static_cast<double>(weights[i]));
  }
  d.precision_defined = d.dropped > 0;
  d.recall_defined = d.noisy > 0;
  if (d.precision_defined) d.precision = static_cast<double>(d.dropped_noisy) / static_cast<double>(d.dropped);
  if (d.recall_defined) d.recall = static_cast<double>(d.dropped_noisy) / static_cast<double>(d.noisy);
  if (d.precision_defined && d.recall_defined) {
    d.f1 = d.dropped_noisy > 0 ? 2.0 * d.precision * d.recall / (d.precision + d.recall) : 0.0;
  }
  r.noisy = summarize(noisy_w, o);
  r.clean = summarize(clean_w, o);
  return r;
}

}  // namespace detail

/// Drop precision/recall and the noisy vs clean weight distributions. `weights` (finite, >= 0) and
/// `noisy` (0/1, or bool) hold one entry per sample. Throws input_error on a size mismatch, a
/// negative/NaN/infinite weight or a flag other than 0/1; config_error on bad options.
inline denoising_report denoising_quality(span<const float> weights, span<const std::uint8_t> noisy,
                                          const denoising_options& options = {}) {
  return detail::denoising_quality_impl<std::uint8_t>(weights, noisy, options);
}
inline denoising_report denoising_quality(span<const float> weights, span<const bool> noisy,
                                          const denoising_options& options = {}) {
  return detail::denoising_quality_impl<bool>(weights, noisy, options);
}

}  // namespace metrics
}  // namespace denoise
