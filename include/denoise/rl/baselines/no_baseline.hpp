// NoBaseline: b = 0, so the advantage is the reward itself (plain REINFORCE, as AutoDenoise of
// Lin et al. uses it by default). See docs/policies/baseline.md.
#pragma once

namespace denoise {
namespace rl {

class NoBaseline {
 public:
  static constexpr const char* name() { return "none"; }

  /// The baseline b: always 0.
  constexpr double value() const noexcept { return 0.0; }
  /// Ignores the reward.
  constexpr void update(double /*reward*/) noexcept {}
  /// The advantage R - b = R.
  constexpr double advantage(double reward) const noexcept { return reward; }
  constexpr void reset() noexcept {}
};

}  // namespace rl
}  // namespace denoise
