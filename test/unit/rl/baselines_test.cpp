// Baselines: MovingAverage on a hand-computed sequence (starting at 0, and from the first reward),
// NoBaseline, and the decay's valid range.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/rl/baselines/baselines.hpp>
#include <denoise/rl/static_checks.hpp>

using namespace denoise;

static_assert(rl::check_baseline<rl::MovingAverage>(), "");
static_assert(rl::check_baseline<rl::NoBaseline>(), "");

BOOST_AUTO_TEST_SUITE(rl_baselines)

// decay 0.9, rewards 1.0, 0.5, 0.8 (the advantage uses b before the update):
//   b: 0 -> 0.1 -> 0.09 + 0.05 = 0.14 -> 0.126 + 0.08 = 0.206
//   advantages: 1.0, 0.4, 0.66
BOOST_AUTO_TEST_CASE(moving_average_by_hand) {
  rl::MovingAverage b(0.9);
  BOOST_TEST(b.value() == 0.0);
  const std::vector<double> rewards{1.0, 0.5, 0.8};
  const std::vector<double> advantages{1.0, 0.4, 0.66};
  const std::vector<double> values{0.1, 0.14, 0.206};
  for (std::size_t t = 0; t < rewards.size(); ++t) {
    BOOST_TEST(b.advantage(rewards[t]) == advantages[t], boost::test_tools::tolerance(1e-12));
    b.update(rewards[t]);
    BOOST_TEST(b.value() == values[t], boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(b.updates() == 3u);
  b.reset();
  BOOST_TEST(b.value() == 0.0);

  // Starting at the first reward: the first reward is measured against itself (advantage 0, as
  // consumers see it through baseline_for), b = 1.0, then 0.9 + 0.05 = 0.95.
  rl::MovingAverage first(0.9);
  first.start_at_first_reward();
  BOOST_TEST(first.advantage(1.0) == 0.0);
  BOOST_TEST(rl::baseline_for(first, 1.0) == 1.0);
  BOOST_TEST(rl::baseline_for(rl::MovingAverage(0.9), 1.0) == 0.0);  // the paper's: b = 0 at first
  first.update(1.0);
  BOOST_TEST(first.advantage(0.5) == -0.5);
  BOOST_TEST(rl::baseline_for(first, 0.5) == 1.0);
  BOOST_TEST(first.value() == 1.0);
  first.update(0.5);
  BOOST_TEST(first.value() == 0.95, boost::test_tools::tolerance(1e-12));

  // decay 0 keeps only the last reward.
  rl::MovingAverage last(0.0);
  last.update(0.3);
  last.update(0.7);
  BOOST_TEST(last.value() == 0.7);
}

// A user baseline with only value() and update(): baseline_for falls back to value().
struct LastReward {
  static constexpr const char* name() { return "last_reward"; }
  double value() const { return last; }
  void update(double reward) { last = reward; }
  double last = 0.25;
};

BOOST_AUTO_TEST_CASE(baseline_for_reads_value_without_an_advantage_member) {
  static_assert(rl::check_baseline<LastReward>(), "");
  LastReward b;
  BOOST_TEST(rl::baseline_for(b, 3.0) == 0.25);
  b.update(3.0);
  BOOST_TEST(rl::baseline_for(b, 1.0) == 3.0);
  BOOST_TEST(rl::baseline_for(rl::NoBaseline{}, 2.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(no_baseline_is_zero) {
  rl::NoBaseline b;
  b.update(5.0);
  BOOST_TEST(b.value() == 0.0);
  BOOST_TEST(b.advantage(0.25) == 0.25);
  BOOST_TEST(std::string(rl::NoBaseline::name()) == "none");
}

BOOST_AUTO_TEST_CASE(decay_outside_unit_interval_is_a_config_error) {
  for (double bad : {-0.1, 1.0, 1.5, std::nan("")}) {
    try {
      rl::MovingAverage b(bad);
      BOOST_FAIL("decay " << bad << " accepted");
    } catch (const config_error& e) {
      BOOST_TEST(e.field() == "decay");
    }
  }
  rl::MovingAverage b(0.5);
  try {
    b.update(std::nan(""));
    BOOST_FAIL("a NaN reward accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "reward");
  }
}

BOOST_AUTO_TEST_SUITE_END()
