// Summary statistics for multi-seed runs: mean, sample standard deviation, and a two-sided paired
// t-test (Student's t distribution through the regularised incomplete beta function).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <denoise/core/error.hpp>

namespace denoise_cli {

struct mean_std {
  double mean = 0.0;
  double std = 0.0;  ///< sample standard deviation (n - 1); 0 for a single value
  std::size_t n = 0;
};

inline mean_std summarize(const std::vector<double>& values) {
  mean_std out;
  out.n = values.size();
  if (values.empty()) return out;
  for (double v : values) out.mean += v;
  out.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    double ss = 0.0;
    for (double v : values) ss += (v - out.mean) * (v - out.mean);
    out.std = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  return out;
}

namespace detail {

// Continued fraction of the incomplete beta function (modified Lentz).
inline double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-15) break;
  }
  return h;
}

}  // namespace detail

/// The regularised incomplete beta function I_x(a, b).
inline double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * detail::beta_continued_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * detail::beta_continued_fraction(b, a, 1.0 - x) / b;
}

/// Two-sided p-value of Student's t statistic with `dof` degrees of freedom.
inline double t_two_sided_p(double t, double dof) {
  if (std::isnan(t) || std::isnan(dof)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return 0.0;
  return incomplete_beta(dof / 2.0, 0.5, dof / (dof + t * t));
}

struct paired_test {
  double mean_difference = 0.0;  ///< mean of (a - b)
  double t = 0.0;                ///< t statistic (NaN with fewer than 2 pairs or zero variance)
  double p = 1.0;                ///< two-sided p-value (NaN when t is undefined)
  std::size_t n = 0;
};

/// Paired t-test of a against b (same seeds in the same order).
inline paired_test paired_t_test(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw denoise::config_error("paired test: the samples differ in length", denoise::location::of_field("seeds"));
  paired_test out;
  out.n = a.size();
  std::vector<double> diff(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) diff[i] = a[i] - b[i];
  const mean_std d = summarize(diff);
  out.mean_difference = d.mean;
  if (a.size() < 2 || !(d.std > 0.0)) {  // also NaN: a metric some runs did not report
    out.t = std::numeric_limits<double>::quiet_NaN();
    out.p = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  out.t = d.mean / (d.std / std::sqrt(static_cast<double>(a.size())));
  out.p = t_two_sided_p(out.t, static_cast<double>(a.size() - 1));
  return out;
}

}  // namespace denoise_cli
