// GaussianMixture: a two-component 1-D Gaussian mixture fitted by EM, SGDL's noise-rate estimate
// (Gao et al., SIGIR'22, §3.2.2): the normalised per-interaction losses are modelled as a clean
// (small-loss) and a noisy (large-loss) component, and σ̂ is the mean posterior of the larger-mean
// component over D (noise_rate below).
//
// The settings are those of the authors' sklearn call [code]: at most 100 iterations, stop when the
// mean log-likelihood gains less than 1e-2, variance regularisation 5e-4. Where the two differ:
//   - sklearn's reg_covar is *added* to every variance; the library's default keeps it as a
//     *floor* (the variance never drops below it) and offers sklearn's rule as
//     variance_regularization::add;
//   - sklearn initialises by k-means from random centres; the library runs 2-means from the
//     minimum and the maximum [ours], so a fit is deterministic and needs no seed.
// Component 1 is always the one with the larger mean.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "loss_normalization.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

/// How variance_floor regularises a component's variance.
enum class variance_regularization {
  floor,  ///< variance = max(variance, variance_floor)   [default]
  add     ///< variance = variance + variance_floor       (sklearn's reg_covar) [code]
};

struct gaussian_mixture_options {
  double variance_floor = 5e-4;       ///< lower bound (or addend) of each variance; > 0
  std::size_t max_iterations = 100;   ///< EM iterations at most; >= 1
  double tolerance = 1e-2;            ///< stop when the mean log-likelihood gains less; >= 0
  std::size_t max_init_iterations = 100;  ///< 2-means (Lloyd) iterations of the initialisation; >= 1 [ours]
  variance_regularization regularization = variance_regularization::floor;

  /// Throws config_error naming the first invalid field.
  void validate() const {
    if (!(variance_floor > 0.0) || !std::isfinite(variance_floor)) {
      throw config_error("must be positive and finite (got " + std::to_string(variance_floor) + ")",
                         location::of_field("variance_floor"));
    }
    if (max_iterations == 0) throw config_error("must be at least 1", location::of_field("max_iterations"));
    if (!(tolerance >= 0.0) || !std::isfinite(tolerance)) {
      throw config_error("must be >= 0 and finite (got " + std::to_string(tolerance) + ")",
                         location::of_field("tolerance"));
    }
    if (max_init_iterations == 0) {
      throw config_error("must be at least 1", location::of_field("max_init_iterations"));
    }
  }
};

/// A fitted mixture. Component 1 has the larger mean (the noisy one in SGDL).
struct gaussian_mixture_fit {
  double mean[2] = {0.0, 0.0};
  double variance[2] = {1.0, 1.0};
  double weight[2] = {0.5, 0.5};
  std::size_t iterations = 0;   ///< EM iterations run (0 for a constant input)
  double log_likelihood = 0.0;  ///< mean log-likelihood of the data at the returned parameters
  bool converged = false;       ///< the gain fell below the tolerance within max_iterations
};

class GaussianMixture {
 public:
  explicit GaussianMixture(gaussian_mixture_options options = {}) : options_(validated(options)) {}

  const gaussian_mixture_options& options() const noexcept { return options_; }

  /// Fits the mixture to `values`. Empty input or a NaN/inf entry is an input_error naming
  /// "values". All-equal values give both components at that value with weights {1, 0} [ours]:
  /// there is nothing to separate, and the noisy component gets no mass.
  gaussian_mixture_fit fit(span<const double> values) const {
    detail::require_finite_values(values, "values");
    const std::size_t n = values.size();
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    gaussian_mixture_fit out;
    if (!(*hi > *lo)) {
      out.mean[0] = out.mean[1] = *lo;
      out.variance[0] = out.variance[1] = regularized(0.0);
      out.weight[0] = 1.0;
      out.weight[1] = 0.0;
      out.iterations = 0;
      out.converged = true;
      out.log_likelihood = mean_log_likelihood(out, values);
      return out;
    }
    initialize(values, *lo, *hi, out);
    // sklearn's loop: the E-step's mean log-likelihood at the current parameters, the M-step, then
    // stop once that likelihood gained less than the tolerance since the previous iteration.
    std::vector<double> resp1(n);
    double previous = -std::numeric_limits<double>::infinity();
    for (std::size_t it = 1; it <= options_.max_iterations; ++it) {
      const double current = expectation(out, values, resp1);
      maximization(values, resp1, out);
      out.iterations = it;
      if (current - previous < options_.tolerance) {
        out.converged = true;
        break;
      }
      previous = current;
    }
    if (out.mean[0] > out.mean[1]) swap_components(out);
    out.log_likelihood = mean_log_likelihood(out, values);
    return out;
  }

  /// Posterior probability that x belongs to component 1 (the larger mean). NaN x: input_error.
  static double posterior_of_larger_mean(const gaussian_mixture_fit& fit, double x) {
    if (std::isnan(x)) throw input_error("is NaN", location::of_field("x"));
    const double l0 = log_joint(fit, 0, x);
    const double l1 = log_joint(fit, 1, x);
    if (l1 == -std::numeric_limits<double>::infinity()) return 0.0;
    if (l0 == -std::numeric_limits<double>::infinity()) return 1.0;
    return 1.0 / (1.0 + std::exp(l0 - l1));
  }

  /// Mean log-likelihood of `values` under `fit` (finite values assumed).
  static double mean_log_likelihood(const gaussian_mixture_fit& fit, span<const double> values) {
    double sum = 0.0;
    for (const double x : values) sum += log_sum_exp(log_joint(fit, 0, x), log_joint(fit, 1, x));
    return sum / static_cast<double>(values.size());
  }

 private:
  static constexpr double log_two_pi = 1.8378770664093454836;

  static const gaussian_mixture_options& validated(const gaussian_mixture_options& o) {
    o.validate();
    return o;
  }

  double regularized(double variance) const {
    return options_.regularization == variance_regularization::add ? variance + options_.variance_floor
                                                                   : std::max(variance, options_.variance_floor);
  }

  // log(weight_k * N(x | mean_k, variance_k)); -inf for a component without weight.
  static double log_joint(const gaussian_mixture_fit& f, int k, double x) {
    if (!(f.weight[k] > 0.0)) return -std::numeric_limits<double>::infinity();
    const double d = x - f.mean[k];
    return std::log(f.weight[k]) - 0.5 * (log_two_pi + std::log(f.variance[k]) + d * d / f.variance[k]);
  }

  static double log_sum_exp(double a, double b) {
    const double m = std::max(a, b);
    if (m == -std::numeric_limits<double>::infinity()) return m;
    return m + std::log(std::exp(a - m) + std::exp(b - m));
  }

  static void swap_components(gaussian_mixture_fit& f) {
    std::swap(f.mean[0], f.mean[1]);
    std::swap(f.variance[0], f.variance[1]);
    std::swap(f.weight[0], f.weight[1]);
  }

  // 2-means (Lloyd) from centres at the minimum and the maximum [ours]; a value equally far from
  // both centres joins component 0. In 1-D the clusters stay ordered and both keep their seed
  // point (the minimum stays nearest the lower centre), so neither empties. The mixture starts
  // from the clusters' shares, means and regularised variances, as sklearn's does from k-means.
  void initialize(span<const double> values, double lo, double hi, gaussian_mixture_fit& out) const {
    double centre[2] = {lo, hi};
    double sum[2] = {0.0, 0.0};
    std::size_t count[2] = {0, 0};
    for (std::size_t it = 0; it < options_.max_init_iterations; ++it) {
      sum[0] = sum[1] = 0.0;
      count[0] = count[1] = 0;
      const double split = 0.5 * (centre[0] + centre[1]);
      for (const double x : values) {
        const int k = x > split ? 1 : 0;
        sum[k] += x;
        ++count[k];
      }
      const double next0 = sum[0] / static_cast<double>(count[0]);
      const double next1 = sum[1] / static_cast<double>(count[1]);
      const bool moved = next0 != centre[0] || next1 != centre[1];
      centre[0] = next0;
      centre[1] = next1;
      if (!moved) break;
    }
    const double split = 0.5 * (centre[0] + centre[1]);
    double squares[2] = {0.0, 0.0};
    count[0] = count[1] = 0;
    for (const double x : values) {
      const int k = x > split ? 1 : 0;
      squares[k] += (x - centre[k]) * (x - centre[k]);
      ++count[k];
    }
    const auto n = static_cast<double>(values.size());
    for (int k = 0; k < 2; ++k) {
      out.weight[k] = static_cast<double>(count[k]) / n;
      out.mean[k] = centre[k];
      out.variance[k] = regularized(squares[k] / static_cast<double>(count[k]));
    }
  }

  // E-step: resp1[n] = P(component 1 | values[n]); returns the mean log-likelihood.
  static double expectation(const gaussian_mixture_fit& f, span<const double> values, std::vector<double>& resp1) {
    double sum = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double l0 = log_joint(f, 0, values[i]);
      const double l1 = log_joint(f, 1, values[i]);
      const double total = log_sum_exp(l0, l1);
      resp1[i] = std::exp(l1 - total);
      sum += total;
    }
    return sum / static_cast<double>(values.size());
  }

  // M-step. Like sklearn, each component's mass gets 10 machine epsilons so a component that
  // lost every point keeps a finite mean instead of 0/0.
  void maximization(span<const double> values, const std::vector<double>& resp1, gaussian_mixture_fit& f) const {
    const double tiny = 10.0 * std::numeric_limits<double>::epsilon();
    double mass[2] = {tiny, tiny};
    double first[2] = {0.0, 0.0};
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double r1 = resp1[i];
      const double r0 = 1.0 - r1;
      mass[0] += r0;
      mass[1] += r1;
      first[0] += r0 * values[i];
      first[1] += r1 * values[i];
    }
    const double mean[2] = {first[0] / mass[0], first[1] / mass[1]};
    double second[2] = {0.0, 0.0};
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double r1 = resp1[i];
      const double d0 = values[i] - mean[0];
      const double d1 = values[i] - mean[1];
      second[0] += (1.0 - r1) * d0 * d0;
      second[1] += r1 * d1 * d1;
    }
    const double total = mass[0] + mass[1];
    for (int k = 0; k < 2; ++k) {
      f.weight[k] = mass[k] / total;
      f.mean[k] = mean[k];
      f.variance[k] = regularized(second[k] / mass[k]);
    }
  }

  gaussian_mixture_options options_;
};

/// Free-function form of GaussianMixture::posterior_of_larger_mean.
inline double posterior_of_larger_mean(const gaussian_mixture_fit& fit, double x) {
  return GaussianMixture::posterior_of_larger_mean(fit, x);
}

/// SGDL's noise rate σ̂: the mean over `values` of the posterior of the larger-mean component
/// [paper]. Empty input or a NaN/inf entry is an input_error naming "values".
inline double noise_rate(const gaussian_mixture_fit& fit, span<const double> values) {
  detail::require_finite_values(values, "values");
  double sum = 0.0;
  for (const double x : values) sum += GaussianMixture::posterior_of_larger_mean(fit, x);
  return sum / static_cast<double>(values.size());
}

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
