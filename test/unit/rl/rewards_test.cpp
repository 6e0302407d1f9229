// Rewards: the loss-history FIFO (append, then replace the oldest), LossImprovement through a
// warm-up and two searching epochs by hand, ValidationMetric by name, the timing traits, bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/rl/rewards/rewards.hpp>
#include <denoise/rl/static_checks.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {

template <class B, class V>
auto host_v(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}
template <class B>
typename B::vector dev(const std::vector<typename B::scalar>& v) {
  typename B::vector out;
  B::from_host(v, out);
  return out;
}
template <class B>
typename B::index_vector dev_ids(const std::vector<index_t>& v) {
  typename B::index_vector out;
  B::from_host(v, out);
  return out;
}
template <class V>
void check_close(const V& got, const std::vector<double>& expected, double tol) {
  BOOST_TEST_REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST(double(got[i]) == expected[i], boost::test_tools::tolerance(tol));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rl_rewards)

static_assert(std::is_same<rl::LossImprovement::timing, rl::per_batch>::value, "");
static_assert(std::is_same<rl::ValidationMetric::timing, rl::per_epoch>::value, "");
static_assert(rl::check_reward<rl::ValidationMetric, rl::per_epoch>(), "");
static_assert(rl::check_reward<rl::LossImprovement, rl::per_batch>(), "");

// C = 3 rows over 4 instances. Rows r0 r1 r2 fill it; r3 replaces r0; r4 replaces r1.
DENOISE_TYPED_TEST(loss_history_fifo_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  static_assert(rl::check_reward<rl::LossImprovement, rl::per_batch, B>(), "");
  const double tol = denoise::test::tolerance<B>();
  rl::loss_history<B> history(3, 4);
  BOOST_TEST(history.empty());
  typename B::vector out;
  history.push_row(dev<B>({1, 2, 3, 4}));   // r0
  history.mean(out);
  check_close(host_v<B>(out), {1, 2, 3, 4}, tol);
  history.push_row(dev<B>({3, 2, 1, 0}));   // r1
  history.push_row(dev<B>({2, 2, 2, 8}));   // r2
  BOOST_TEST(history.full());
  history.mean(out);
  check_close(host_v<B>(out), {2, 2, 2, 4}, tol);
  history.push_row(dev<B>({6, 5, 0, 1}));   // r3 replaces r0: rows r1 r2 r3
  BOOST_TEST(history.rows() == 3u);
  history.mean(out);
  check_close(host_v<B>(out), {11.0 / 3, 3, 1, 3}, tol);
  history.row(0, out);  // oldest is now r1
  check_close(host_v<B>(out), {3, 2, 1, 0}, tol);
  history.row(2, out);
  check_close(host_v<B>(out), {6, 5, 0, 1}, tol);
  history.push_row(dev<B>({1, 1, 1, 1}));   // r4 replaces r1: rows r2 r3 r4
  history.mean(dev_ids<B>({3, 0}), out);    // a batch's instances, in batch order
  check_close(host_v<B>(out), {10.0 / 3, 3}, tol);

  // Bad input: a row of the wrong length, an empty history, a zero capacity, ids out of range.
  try {
    history.push_row(dev<B>({1, 2, 3}));
    BOOST_FAIL("short row accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "row");
  }
  rl::loss_history<B> empty(2, 4);
  try {
    empty.mean(out);
    BOOST_FAIL("mean of an empty history");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "history");
  }
  try {
    rl::loss_history<B> none(0, 4);
    BOOST_FAIL("C = 0 accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "history");
  }
  BOOST_CHECK_THROW(history.mean(dev_ids<B>({4}), out), input_error);
}

// C = 2, |D| = 4, current row starting at 1.0, and again after each warm-up epoch (the authors'
// code fills each warm-up row on its own and starts LVec at 1.0 after them).
//   warm-up epoch 1: record all four: 0.8 0.6 0.4 0.2            -> history [e1]
//   warm-up epoch 2: record ids {2, 0}: 0.5 0.9; 1 and 3 at 1.0  -> row e2 = 0.9 1.0 0.5 1.0
//   searching (current row all 1.0 again): batch ids {3, 0} with current losses 0.1 1.0:
//     prev = mean(e1, e2) = (0.85, 0.8, 0.45, 0.6);  r = (0.6 - 0.1, 0.85 - 1.0) = (0.5, -0.15)
//   that epoch records ids {3, 0} = 0.1 1.0 and {1, 2} = 0.3 0.3; end_epoch replaces e1:
//     history (e2, e3 = 1.0 0.3 0.3 0.1); batch ids {1, 2} with losses 0.5 0.0:
//     prev = (0.65, 0.4) at ids 1, 2;  r = (0.15, 0.4)
//   the current row keeps e3 (stale values carry over once the history is full)
DENOISE_TYPED_TEST(loss_improvement_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  const double tol = 1e-12;
  rl::LossImprovement policy(2, 1.0);
  rl::LossImprovement::State<B> state(policy, 4);
  check_close(host_v<B>(state.current()), {1, 1, 1, 1}, tol);
  typename B::vector r;
  try {
    state.reward(dev_ids<B>({0}), dev<B>({0.5}), r);
    BOOST_FAIL("reward before any warm-up epoch");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "history");
  }
  state.record(dev_ids<B>({0, 1}), dev<B>({0.8, 0.6}));
  state.record(dev_ids<B>({2, 3}), dev<B>({0.4, 0.2}));
  state.end_epoch();
  check_close(host_v<B>(state.current()), {1, 1, 1, 1}, tol);
  state.record(dev_ids<B>({2, 0}), dev<B>({0.5, 0.9}));
  state.end_epoch();
  BOOST_TEST(state.history().full());
  check_close(host_v<B>(state.current()), {1, 1, 1, 1}, tol);

  state.reward(dev_ids<B>({3, 0}), dev<B>({0.1, 1.0}), r);
  check_close(host_v<B>(r), {0.5, -0.15}, tol);
  state.record(dev_ids<B>({3, 0}), dev<B>({0.1, 1.0}));
  state.record(dev_ids<B>({1, 2}), dev<B>({0.3, 0.3}));
  state.end_epoch();
  state.reward(dev_ids<B>({1, 2}), dev<B>({0.5, 0.0}), r);
  check_close(host_v<B>(r), {0.15, 0.4}, tol);
  check_close(host_v<B>(state.current()), {1.0, 0.3, 0.3, 0.1}, tol);

  try {
    state.reward(dev_ids<B>({1, 2}), dev<B>({0.5}), r);
    BOOST_FAIL("mismatched losses accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "loss");
  }
  BOOST_CHECK_THROW(state.record(dev_ids<B>({4}), dev<B>({0.5})), input_error);
  try {
    rl::LossImprovement zero(0);
    BOOST_FAIL("C = 0 accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "history");
  }
}

namespace {
struct fake_result {  // any result that lists itself
  metrics::metric_list metrics() const { return {{"auc", 0.75}, {"logloss", 0.5}}; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(validation_metric_reads_by_name) {
  const metrics::metric_list list{{"recall@20", 0.2}, {"ndcg@20", 0.125}, {"auc", 0.8125}};
  BOOST_TEST(rl::ValidationMetric{}.reward(list) == 0.8125);
  BOOST_TEST(rl::ValidationMetric{"ndcg@20"}.reward(list) == 0.125);
  BOOST_TEST(rl::ValidationMetric{"auc"}.reward(fake_result{}) == 0.75);
  try {
    rl::ValidationMetric{"ndcg@10"}.reward(list);
    BOOST_FAIL("a missing metric accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "metric");
    BOOST_TEST(std::string(e.what()).find("ndcg@20") != std::string::npos);  // lists what is there
  }
  try {
    rl::ValidationMetric{"auc"}.reward(metrics::metric_list{{"auc", std::nan("")}});
    BOOST_FAIL("a NaN reward accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "metric");
  }
  BOOST_CHECK_THROW(rl::ValidationMetric{""}, config_error);
}

BOOST_AUTO_TEST_SUITE_END()
