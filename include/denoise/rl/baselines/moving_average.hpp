// MovingAverage: an exponential moving average of past rewards as the REINFORCE baseline
// (AutoDenoise controller, Ge et al.):
//
//   b <- decay * b + (1 - decay) * R        after each reward R is used (advantage R - b first)
//
// b starts at 0 as in the paper, so the first advantage is the first reward itself. The option
// start_at_first_reward() measures the first reward against itself instead (advantage 0, b = R₁
// from then on; ALGORITHMS.md §4, off by default): consumers take b through rl::baseline_for(),
// which asks advantage(R). decay must lie in [0, 1): 0 keeps only the last reward. See docs/policies/baseline.md.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "../../core/error.hpp"

namespace denoise {
namespace rl {

class MovingAverage {
 public:
  static constexpr const char* name() { return "moving_average"; }

  /// Throws config_error (field 'decay') unless 0 <= decay < 1.
  explicit MovingAverage(double decay = 0.9) : decay_(decay) {
    if (!(decay >= 0.0 && decay < 1.0)) {
      throw config_error("moving-average decay must lie in [0, 1), got " + std::to_string(decay),
                         location::of_field("decay"));
    }
  }

  /// The first reward is measured against itself (advantage 0) and b takes its value, instead of
  /// decaying from 0.
  MovingAverage& start_at_first_reward(bool on = true) noexcept {
    start_at_first_ = on;
    return *this;
  }

  double decay() const noexcept { return decay_; }
  /// The current baseline b.
  double value() const noexcept { return value_; }
  /// R - b with the current b; 0 for the first reward when started at the first reward.
  double advantage(double reward) const noexcept {
    return updates_ == 0 && start_at_first_ ? 0.0 : reward - value_;
  }
  /// Rewards seen so far.
  std::size_t updates() const noexcept { return updates_; }

  /// b <- decay * b + (1 - decay) * reward. Throws config_error (field 'reward') on a NaN reward.
  void update(double reward) {
    if (std::isnan(reward)) throw config_error("moving-average baseline got a NaN reward", location::of_field("reward"));
    if (updates_ == 0 && start_at_first_) {
      value_ = reward;
    } else {
      value_ = decay_ * value_ + (1.0 - decay_) * reward;
    }
    ++updates_;
  }

  /// Back to b = 0 with no reward seen.
  void reset() noexcept {
    value_ = 0.0;
    updates_ = 0;
  }

 private:
  double decay_;
  double value_ = 0.0;
  std::size_t updates_ = 0;
  bool start_at_first_ = false;
};

}  // namespace rl
}  // namespace denoise
