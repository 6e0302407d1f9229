// A user-written Baseline without update() is rejected with the Baseline policy's message.
// expect: denoise: a Baseline policy needs 'void update
#include <denoise/rl/static_checks.hpp>

namespace {

struct best_so_far {
  static constexpr const char* name() { return "best_so_far"; }
  double value() const { return best; }
#if !defined(DENOISE_SHOULD_FAIL)
  void update(double reward) { best = reward > best ? reward : best; }
#endif
  double best = 0.0;
};

static_assert(denoise::rl::check_baseline<best_so_far>(), "");

}  // namespace
