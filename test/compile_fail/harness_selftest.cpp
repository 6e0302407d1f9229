// Self-test of the compile-fail harness and of DENOISE_STATIC_CHECK: a policy check written the
// way every denoise policy check is, fed a policy that lacks the required member.
// expect: denoise: a DropSchedule policy needs 'double rate\(long iteration\) const'
#include <denoise/core/static_checks.hpp>

#include <utility>

namespace {

template <class P>
using rate_member_t = decltype(std::declval<const P&>().rate(0L));

template <class Schedule>
constexpr bool check_drop_schedule() {
  DENOISE_STATIC_CHECK((denoise::traits::is_detected_v<rate_member_t, Schedule>),
                       "denoise: a DropSchedule policy needs 'double rate(long iteration) const'; "
                       "see docs/policies/drop_schedule.md");
  return true;
}

struct good_schedule {
  double rate(long iteration) const { return iteration < 10 ? 0.0 : 0.1; }
};
struct broken_schedule {
  double rate_at(long iteration) const { return iteration < 10 ? 0.0 : 0.1; }  // wrong name
};

#if defined(DENOISE_SHOULD_FAIL)
using schedule_under_test = broken_schedule;
#else
using schedule_under_test = good_schedule;
#endif

[[maybe_unused]] constexpr bool checked = check_drop_schedule<schedule_under_test>();

}  // namespace
