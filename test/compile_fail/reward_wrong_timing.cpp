// A per-batch Reward given to a consumer that rewards once per epoch is rejected by its timing.
// expect: denoise: this consumer needs a per-epoch Reward
#include <denoise/backends/eigen.hpp>
#include <denoise/rl/rewards/rewards.hpp>
#include <denoise/rl/static_checks.hpp>

namespace {

#if defined(DENOISE_SHOULD_FAIL)
using reward = denoise::rl::LossImprovement;
#else
using reward = denoise::rl::ValidationMetric;
#endif

static_assert(denoise::rl::check_reward<reward, denoise::rl::per_epoch>(), "");

}  // namespace
