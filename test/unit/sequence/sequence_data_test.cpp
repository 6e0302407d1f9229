// Sequence data of the sequential task on hand-made fixtures: chronological order (ties by file
// order), the iterated k-core filter, the 4:1:1 and leave-one-out protocols, training windows.
#include <boost/test/unit_test.hpp>

#include <vector>

#include <denoise/data/core_filter.hpp>
#include <denoise/data/interactions.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/data/sequences.hpp>

namespace dd = denoise::data;
using denoise::index_t;
using denoise::offset_t;

namespace {
std::vector<index_t> vec(denoise::span<const index_t> s) { return {s.begin(), s.end()}; }

dd::Interactions with_ids(index_t users, index_t items) {
  dd::Interactions d;
  d.mutable_user_ids().extend_dense(static_cast<std::size_t>(users));
  d.mutable_item_ids().extend_dense(static_cast<std::size_t>(items));
  d.set_has_ratings(true);
  d.set_has_timestamps(true);
  return d;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_data)

BOOST_AUTO_TEST_CASE(chronological_order_ties_keep_file_order) {
  auto d = with_ids(2, 5);
  d.push_back(0, 3, 1, 5, 30);
  d.push_back(1, 0, 1, 4, 10);
  d.push_back(0, 1, 1, 2, 10);
  d.push_back(0, 4, 1, 3, 20);
  d.push_back(0, 2, 1, 1, 20);  // same time as item 4, later in the file
  const auto s = dd::Sequences::from(d);
  BOOST_TEST(s.n_users() == 2);
  BOOST_TEST(vec(s.items_of(0)) == (std::vector<index_t>{1, 4, 2, 3}), boost::test_tools::per_element());
  const auto r = s.ratings_of(0);
  BOOST_TEST(r[1] == 3.0f);
  BOOST_TEST(r[2] == 1.0f);
  BOOST_TEST(vec(s.items_of(1)) == (std::vector<index_t>{0}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(s.items_of(2), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(core_filter_iterates_until_stable) {
  // k = 2. User 2 has two interactions, one with item 3 which only user 2 has: item 3 goes in
  // round 1, then user 2 has one interaction and goes in round 2, then item 2 (only users 2 and
  // 0) drops to one and goes in round 3... a cascade the filter must follow to the end.
  const auto s = dd::Sequences::from_columns({0, 3, 5, 7}, {0, 1, 2, 0, 1, 2, 3}, {5, 5, 5, 5, 5, 5, 5}, 4);
  dd::core_filter_report rep;
  const auto f = dd::core_filter(s, 2, &rep);
  BOOST_TEST(rep.users_before == 3u);
  BOOST_TEST(rep.items_before == 4u);
  BOOST_TEST(rep.interactions_before == 7u);
  BOOST_TEST(rep.users_after == 2u);
  BOOST_TEST(rep.items_after == 2u);
  BOOST_TEST(rep.interactions_after == 4u);
  BOOST_TEST(rep.rounds == 4u);  // item 3; user 2; item 2; then a pass that removes nothing
  BOOST_TEST(vec(f.items_of(0)) == (std::vector<index_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(vec(f.items_of(1)) == (std::vector<index_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(vec(f.user_origin()) == (std::vector<index_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(vec(f.item_origin()) == (std::vector<index_t>{0, 1}), boost::test_tools::per_element());
  // Every survivor has at least k interactions.
  dd::core_filter(s, 1, &rep);
  BOOST_TEST(rep.interactions_after == 7u);
  BOOST_TEST(rep.rounds == 1u);
  BOOST_TEST(dd::core_filter(s, 3).size() == 0u);
  BOOST_CHECK_THROW(dd::core_filter(s, 0), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(chronological_protocol_four_one_one) {
  // One user, 12 interactions: a = 8, b = 10. Ratings below 3 are not held-out targets.
  std::vector<float> ratings{5, 5, 1, 5, 5, 5, 5, 5, 5, 2, 4, 1};
  std::vector<index_t> items{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const auto s = dd::Sequences::from_columns({0, 12}, items, ratings, 12);
  const auto split = dd::split_sequences(s);
  BOOST_TEST(split.train_length[0] == 8);  // train keeps the rating-1 item 2
  BOOST_REQUIRE(split.valid.size() == 1u);
  BOOST_REQUIRE(split.test.size() == 1u);
  BOOST_TEST(split.valid.history[0] == 8);
  BOOST_TEST((std::vector<index_t>(split.valid.targets)) == (std::vector<index_t>{8}), boost::test_tools::per_element());
  BOOST_TEST(split.test.history[0] == 10);
  BOOST_TEST((std::vector<index_t>(split.test.targets)) == (std::vector<index_t>{10}), boost::test_tools::per_element());
  // n = 10: a = round(6.67) = 7, b = round(8.33) = 8.
  const auto s10 = dd::Sequences::from_columns({0, 10}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {}, 10);
  const auto split10 = dd::split_sequences(s10);
  BOOST_TEST(split10.train_length[0] == 7);
  BOOST_TEST(split10.valid.offsets.back() == 1);
  BOOST_TEST(split10.test.offsets.back() == 2);
  // A user without true positives in a part is not in that holdout.
  const auto neg = dd::Sequences::from_columns({0, 6}, {0, 1, 2, 3, 4, 5}, {5, 5, 5, 5, 1, 1}, 6);
  const auto none = dd::split_sequences(neg);
  BOOST_TEST(none.valid.size() == 0u);
  BOOST_TEST(none.test.size() == 0u);
  dd::sequence_protocol_options bad;
  bad.valid_parts = bad.test_parts = 0;
  BOOST_CHECK_THROW(dd::split_sequences(s, bad), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(leave_one_out_protocol) {
  // User 0: last positive at 4 (item 14), the one before at 2 (item 12); item 15 after it unused.
  // User 1: one positive only -> all for training, not evaluated.
  const auto s = dd::Sequences::from_columns({0, 6, 9}, {10, 11, 12, 13, 14, 15, 1, 2, 3}, {4, 5, 3, 2, 5, 1, 1, 5, 1}, 16);
  dd::sequence_protocol_options o;
  o.protocol = dd::sequence_protocol::leave_one_out;
  const auto split = dd::split_sequences(s, o);
  BOOST_TEST(split.train_length[0] == 2);
  BOOST_TEST(split.train_length[1] == 3);
  BOOST_REQUIRE(split.valid.size() == 1u);
  BOOST_REQUIRE(split.test.size() == 1u);
  BOOST_TEST(split.valid.users[0] == 0);
  BOOST_TEST(split.valid.history[0] == 2);
  BOOST_TEST(split.valid.targets[0] == 12);
  BOOST_TEST(split.test.history[0] == 4);
  BOOST_TEST(split.test.targets[0] == 14);
  BOOST_TEST(split.train_size() == 5u);
}

BOOST_AUTO_TEST_CASE(training_windows_left_padded) {
  const auto s = dd::Sequences::from_columns({0, 5, 7}, {1, 2, 3, 4, 0, 3, 1}, {}, 5);
  std::vector<offset_t> train{4, 2};
  dd::SequenceWindows w(s, train, 2);
  BOOST_TEST(w.size() == 4u);  // user 0: positions 1, 2, 3; user 1: position 1
  BOOST_TEST(w.padding() == 5);
  dd::sequence_host_batch b;
  const std::vector<std::size_t> rows{0, 2, 3};
  w.fill(rows, b);
  BOOST_TEST(b.items == (std::vector<index_t>{5, 1, 2, 3, 5, 3}), boost::test_tools::per_element());
  BOOST_TEST(b.targets == (std::vector<index_t>{2, 4, 1}), boost::test_tools::per_element());
  BOOST_TEST(b.users == (std::vector<index_t>{0, 0, 1}), boost::test_tools::per_element());
  // The evaluation input of user 0 before position 4 is the window [3, 4] (no future item 0).
  const std::vector<index_t> users{0};
  const std::vector<offset_t> ends{4};
  w.fill_histories(users, ends, b);
  BOOST_TEST(b.items == (std::vector<index_t>{3, 4}), boost::test_tools::per_element());
  const std::vector<std::size_t> bad{4};
  BOOST_CHECK_THROW(w.fill(bad, b), denoise::config_error);
  std::vector<offset_t> too_long{6, 2};
  BOOST_CHECK_THROW(dd::SequenceWindows(s, too_long, 2), denoise::config_error);
  BOOST_CHECK_THROW(dd::SequenceWindows(s, train, 0), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
