// T-CE with a user-written DropSchedule that lacks rate() is rejected with the DropSchedule message.
// expect: denoise: a DropSchedule policy needs 'double rate\(std::uint64_t iteration\) const'
#include <denoise/methods/adt/truncated_loss.hpp>

#include <cstdint>

namespace {

struct step_schedule {
#if defined(DENOISE_SHOULD_FAIL)
  double drop_rate(std::uint64_t iteration) const { return iteration < 1000 ? 0.0 : 0.2; }
#else
  double rate(std::uint64_t iteration) const { return iteration < 1000 ? 0.0 : 0.2; }
#endif
};

[[maybe_unused]] denoise::methods::TruncatedLoss<step_schedule> tce{};

}  // namespace
