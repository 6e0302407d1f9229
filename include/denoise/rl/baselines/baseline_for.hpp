// baseline_for(baseline, R): the b that a reward R is measured against, for consumers of any
// Baseline policy. A Baseline whose b depends on R itself defines `double advantage(double R)
// const` (MovingAverage started at the first reward: b = R for the first reward, so the first
// advantage is 0 rather than R); for every other one b = value(). See docs/policies/baseline.md.
#pragma once

#include <type_traits>
#include <utility>

#include "../../core/static_checks.hpp"

namespace denoise {
namespace rl {
namespace detail {
template <class Bl> using advantage_member_t = decltype(static_cast<double>(std::declval<const Bl&>().advantage(double{})));
}  // namespace detail

template <class Baseline>
double baseline_for(const Baseline& baseline, double reward) {
  if constexpr (traits::is_detected_v<detail::advantage_member_t, Baseline>) {
    return reward - baseline.advantage(reward);
  } else {
    return baseline.value();
  }
}

}  // namespace rl
}  // namespace denoise
