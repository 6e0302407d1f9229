// When a Reward produces its value: the timing trait every Reward declares as a nested
// `using timing = ...;`. Consumers check it at compile time with rl::check_reward<R, Timing>():
//
//   rl::per_batch   one reward per instance per mini-batch (AutoDenoise, Lin et al.)
//   rl::per_epoch   one scalar reward per epoch, after validation (AutoDenoise controller, Ge et al.)
//
// See docs/policies/reward.md.
#pragma once

#include <type_traits>

namespace denoise {
namespace rl {

/// One reward per instance of every mini-batch.
struct per_batch {
  static constexpr const char* name() { return "per_batch"; }
};

/// One scalar reward per epoch, read from the validation result.
struct per_epoch {
  static constexpr const char* name() { return "per_epoch"; }
};

/// True for the two timing tags.
template <class T>
inline constexpr bool is_timing_v = std::is_same<T, per_batch>::value || std::is_same<T, per_epoch>::value;

}  // namespace rl
}  // namespace denoise
