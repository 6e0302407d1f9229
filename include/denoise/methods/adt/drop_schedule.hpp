// Drop-rate schedules for TruncatedLoss (T-CE). A DropSchedule is any class with
//   double rate(std::uint64_t iteration) const;   // share of the batch to drop, in [0, 1)
// Built-ins:
//   linear_drop_schedule       the paper's ε(T) = min(α·T, ε_max), α = ε_max / ε_N (Wang et al. 2021)
//   exponential_drop_schedule  ε(T) = ε_max·(1 − exp(−T/τ)): drops early, then saturates smoothly
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "../../core/error.hpp"
#include "../../core/static_checks.hpp"

namespace denoise {
namespace methods {

/// ε(T) = min(ε_max · T / ε_N, ε_max). Paper grid: ε_max ∈ {0.05, 0.1, 0.2}, ε_N ∈ {1k .. 30k}.
class linear_drop_schedule {
 public:
  explicit linear_drop_schedule(double max_rate = 0.1, std::uint64_t ramp_iterations = 30000)
      : max_rate_(max_rate), ramp_(ramp_iterations) {
    if (!(max_rate >= 0.0 && max_rate < 1.0)) {
      throw config_error("must be in [0, 1) (got " + std::to_string(max_rate) + ")", location::of_field("max_drop_rate"));
    }
  }
  double rate(std::uint64_t iteration) const noexcept {
    if (ramp_ == 0) return max_rate_;
    const double r = max_rate_ * static_cast<double>(iteration) / static_cast<double>(ramp_);
    return r < max_rate_ ? r : max_rate_;
  }
  double max_rate() const noexcept { return max_rate_; }
  std::uint64_t ramp_iterations() const noexcept { return ramp_; }

 private:
  double max_rate_;
  std::uint64_t ramp_;
};

/// ε(T) = ε_max · (1 − exp(−T / τ)): reaches 63% of ε_max after τ iterations, 95% after 3τ.
class exponential_drop_schedule {
 public:
  explicit exponential_drop_schedule(double max_rate = 0.1, double time_constant = 10000.0)
      : max_rate_(max_rate), tau_(time_constant) {
    if (!(max_rate >= 0.0 && max_rate < 1.0)) {
      throw config_error("must be in [0, 1) (got " + std::to_string(max_rate) + ")", location::of_field("max_drop_rate"));
    }
    if (!(time_constant > 0.0)) throw config_error("must be positive", location::of_field("time_constant"));
  }
  double rate(std::uint64_t iteration) const noexcept {
    return max_rate_ * (1.0 - std::exp(-static_cast<double>(iteration) / tau_));
  }

 private:
  double max_rate_;
  double tau_;
};

namespace detail {
template <class S>
using rate_t = decltype(static_cast<double>(std::declval<const S&>().rate(std::uint64_t{})));
}  // namespace detail

template <class Schedule>
constexpr bool check_drop_schedule() {
  DENOISE_STATIC_CHECK((traits::is_detected_v<detail::rate_t, Schedule>),
                       "denoise: a DropSchedule policy needs 'double rate(std::uint64_t iteration) const'; "
                       "see docs/policies/method.md");
  return true;
}

}  // namespace methods
}  // namespace denoise
