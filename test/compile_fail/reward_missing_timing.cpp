// A user-written Reward without its timing trait is rejected with the Reward policy's message.
// expect: denoise: a Reward policy needs a timing trait
#include <denoise/backends/eigen.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/rl/static_checks.hpp>
#include <denoise/rl/timing.hpp>

namespace {

struct accuracy_reward {
#if !defined(DENOISE_SHOULD_FAIL)
  using timing = denoise::rl::per_epoch;
#endif
  static constexpr const char* name() { return "accuracy"; }
  double reward(const denoise::metrics::metric_list& validation) const {
    return denoise::metrics::find_metric(validation, "accuracy", 0.0);
  }
};

static_assert(denoise::rl::check_reward<accuracy_reward, denoise::rl::per_epoch>(), "");

}  // namespace
