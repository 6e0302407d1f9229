#include <denoise/data/implicit.hpp>
#include <denoise/data/split.hpp>
#include <denoise/data/synthetic.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <vector>

namespace dd = denoise::data;
using denoise::offset_t;

namespace {

dd::Interactions dataset() {
  dd::SyntheticConfig c;
  c.n_users = 120;
  c.n_items = 300;
  c.mean_positives = 20;
  c.seed = 3;
  return dd::make_synthetic(c).interactions;
}

/// Disjoint, complete (with the dropped ones), and no cold user or item in validation/test.
void check_partition(const dd::Interactions& all, const dd::Split& s) {
  std::vector<int> seen(static_cast<std::size_t>(all.instance_capacity()), 0);
  for (const dd::Interactions* part : {&s.train, &s.validation, &s.test})
    for (offset_t id : part->instances()) ++seen[static_cast<std::size_t>(id)];
  for (offset_t id : s.report.dropped) ++seen[static_cast<std::size_t>(id)];
  for (offset_t id : all.instances()) BOOST_REQUIRE_EQUAL(seen[static_cast<std::size_t>(id)], 1);
  BOOST_TEST(s.train.size() + s.validation.size() + s.test.size() + s.report.dropped.size() == all.size());
  const auto train_users = s.train.user_degrees();
  const auto train_items = s.train.item_degrees();
  for (const dd::Interactions* part : {&s.validation, &s.test})
    for (std::size_t k = 0; k < part->size(); ++k) {
      BOOST_REQUIRE(train_users[static_cast<std::size_t>(part->users()[k])] > 0);
      BOOST_REQUIRE(train_items[static_cast<std::size_t>(part->items()[k])] > 0);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_split)

BOOST_AUTO_TEST_CASE(random_split_is_disjoint_complete_seeded_and_8_1_1) {
  const auto d = dataset();
  const auto s = dd::random_split(d, 11);
  check_partition(d, s);
  const double n = static_cast<double>(d.size());
  BOOST_TEST(std::abs(static_cast<double>(s.train.size()) - 0.8 * n) <= 1.0);
  BOOST_TEST(std::abs(static_cast<double>(s.validation.size() + s.report.cold_validation) - 0.1 * n) <= 1.0);
  const auto again = dd::random_split(d, 11);
  BOOST_TEST((again.test == s.test));
  const auto other = dd::random_split(d, 12);
  BOOST_TEST((!(other.test == s.test)));
  BOOST_TEST(s.train.n_users() == d.n_users());  // same index space
}

BOOST_AUTO_TEST_CASE(cold_rows_are_dropped_and_reported_or_moved) {
  dd::Interactions d;
  // User 9 and item 99 occur once: wherever that row lands outside train, it is cold.
  for (int u = 0; u < 5; ++u)
    for (int i = 0; i < 6; ++i) d.push_back(d.add_user(u), d.add_item(i), 1.0f);
  d.push_back(d.add_user(9), d.add_item(99), 1.0f);
  std::size_t drops = 0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto s = dd::random_split(d, seed, {1, 1, 1});
    check_partition(d, s);
    drops += s.report.dropped.size();
    const auto m = dd::random_split(d, seed, {1, 1, 1}, dd::ColdStart::move_to_train);
    BOOST_TEST(m.train.size() + m.validation.size() + m.test.size() == d.size());
    BOOST_TEST(m.report.moved.size() == m.report.cold_validation + m.report.cold_test);
    const auto k = dd::random_split(d, seed, {1, 1, 1}, dd::ColdStart::keep);
    BOOST_TEST(k.train.size() + k.validation.size() + k.test.size() == d.size());
  }
  BOOST_TEST(drops > 0u);
}

BOOST_AUTO_TEST_CASE(chronological_split_orders_each_user_by_time) {
  const auto d = dataset();
  const auto s = dd::chronological_split(d);
  check_partition(d, s);
  // For every user: all train timestamps <= all validation <= all test timestamps.
  const auto nu = static_cast<std::size_t>(d.n_users());
  std::vector<std::int64_t> train_max(nu, INT64_MIN), valid_min(nu, INT64_MAX), valid_max(nu, INT64_MIN), test_min(nu, INT64_MAX);
  for (std::size_t k = 0; k < s.train.size(); ++k) {
    auto& m = train_max[static_cast<std::size_t>(s.train.users()[k])];
    m = std::max(m, s.train.timestamps()[k]);
  }
  for (std::size_t k = 0; k < s.validation.size(); ++k) {
    const auto u = static_cast<std::size_t>(s.validation.users()[k]);
    valid_min[u] = std::min(valid_min[u], s.validation.timestamps()[k]);
    valid_max[u] = std::max(valid_max[u], s.validation.timestamps()[k]);
  }
  for (std::size_t k = 0; k < s.test.size(); ++k) {
    const auto u = static_cast<std::size_t>(s.test.users()[k]);
    test_min[u] = std::min(test_min[u], s.test.timestamps()[k]);
  }
  for (std::size_t u = 0; u < nu; ++u) {
    BOOST_REQUIRE(train_max[u] <= valid_min[u]);
    BOOST_REQUIRE(train_max[u] <= test_min[u]);
    BOOST_REQUIRE(valid_max[u] == INT64_MIN || valid_max[u] <= test_min[u]);
  }
  // About 4:1:1 overall.
  const double share = static_cast<double>(s.train.size()) / static_cast<double>(d.size());
  BOOST_TEST(std::abs(share - 4.0 / 6.0) < 0.03);
}

BOOST_AUTO_TEST_CASE(leave_last_k_takes_the_latest_rows) {
  dd::Interactions d;
  d.set_has_timestamps(true);
  // User 0: 5 rows at times 50,40,30,20,10; user 1: 2 rows; user 2: 1 row. Items shared.
  const int times[] = {50, 40, 30, 20, 10};
  for (int k = 0; k < 5; ++k) d.push_back(d.add_user(0), d.add_item(k), 1.0f, 0.0f, times[k]);
  d.push_back(d.add_user(1), d.add_item(0), 1.0f, 0.0f, 1);
  d.push_back(d.add_user(1), d.add_item(4), 1.0f, 0.0f, 2);
  d.push_back(d.add_user(2), d.add_item(1), 1.0f, 0.0f, 1);
  const auto s = dd::leave_last_k(d, 1, 1, dd::ColdStart::keep);
  BOOST_TEST(s.test.size() == 2u);  // user 0's time 50 and user 1's time 2
  BOOST_TEST(s.validation.size() == 1u);  // user 0's time 40; user 1 keeps one training row
  BOOST_TEST(s.validation.timestamps()[0] == 40);
  std::set<std::int64_t> test_times(s.test.timestamps().begin(), s.test.timestamps().end());
  BOOST_TEST((test_times == std::set<std::int64_t>{2, 50}));
  BOOST_TEST(s.train.size() == 5u);
}

BOOST_AUTO_TEST_CASE(clean_view_keeps_only_true_positives) {
  const auto d = dataset();
  const auto s = dd::random_split(d, 5);
  const auto clean = dd::clean_view(s.test);
  BOOST_TEST(clean.size() == s.test.size() - dd::count_noisy(s.test));
  for (std::size_t k = 0; k < clean.size(); ++k) {
    BOOST_REQUIRE(clean.noisy()[k] == 0);
    BOOST_REQUIRE(clean.labels()[k] > 0.0f);
  }
  BOOST_TEST(dd::count_noisy(s.test) > 0u);
}

BOOST_AUTO_TEST_CASE(bad_ratios_are_config_errors) {
  const auto d = dataset();
  BOOST_CHECK_THROW(dd::random_split(d, 1, {0, 1, 1}), denoise::config_error);
  BOOST_CHECK_THROW(dd::random_split(d, 1, {1, -1, 1}), denoise::config_error);
  dd::Interactions no_time;
  no_time.push_back(no_time.add_user(1), no_time.add_item(1), 1.0f);
  BOOST_CHECK_THROW(dd::chronological_split(no_time), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
