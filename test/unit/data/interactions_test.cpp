#include <denoise/data/csr_index.hpp>
#include <denoise/data/id_map.hpp>
#include <denoise/data/interactions.hpp>
#include <denoise/data/label_encoder.hpp>

#include <boost/test/unit_test.hpp>

#include <vector>

namespace dd = denoise::data;
using denoise::index_t;
using denoise::offset_t;

namespace {
dd::Interactions small() {
  dd::Interactions d;
  const std::int64_t rows[][3] = {{10, 100, 5}, {10, 200, 1}, {20, 100, 3}, {30, 300, 4}, {20, 300, 2}, {10, 100, 4}};
  for (const auto& r : rows)
    d.push_back(d.add_user(r[0]), d.add_item(r[1]), 1.0f, static_cast<float>(r[2]), r[0] * 1000 + r[1]);
  d.set_has_ratings(true);
  d.set_has_timestamps(true);
  return d;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_interactions)

BOOST_AUTO_TEST_CASE(id_map_round_trips_and_orders_by_first_sight) {
  dd::IdMap m;
  BOOST_TEST(m.insert(42) == 0);
  BOOST_TEST(m.insert(7) == 1);
  BOOST_TEST(m.insert(42) == 0);
  BOOST_TEST(m.find(7) == 1);
  BOOST_TEST(m.find(8) == -1);
  BOOST_TEST(m.raw_of(1) == 7);
  BOOST_TEST(m.size() == 2u);
}

BOOST_AUTO_TEST_CASE(counts_columns_and_instance_ids) {
  const auto d = small();
  BOOST_TEST(d.size() == 6u);
  BOOST_TEST(d.n_users() == 3);
  BOOST_TEST(d.n_items() == 3);
  BOOST_TEST(d.user_ids().raw_of(d.users()[3]) == 30);
  BOOST_TEST(d.item_ids().raw_of(d.items()[3]) == 300);
  for (std::size_t k = 0; k < d.size(); ++k) BOOST_TEST(d.instances()[k] == static_cast<offset_t>(k));
  const auto deg = d.user_degrees();
  BOOST_TEST(deg == (std::vector<offset_t>{3, 2, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(csr_views_are_sorted_and_deduplicated) {
  const auto d = small();
  const auto by_user = d.by_user();
  BOOST_TEST(by_user.rows() == 3u);
  // user 10 (index 0) rated items 100 (0), 200 (1), 100 again.
  BOOST_TEST(by_user.row_size(0) == 2u);
  BOOST_TEST(by_user.row(0)[0] == 0);
  BOOST_TEST(by_user.row(0)[1] == 1);
  BOOST_TEST(by_user.contains(1, 2));
  BOOST_TEST(!by_user.contains(2, 0));
  const auto by_item = d.by_item();
  BOOST_TEST(by_item.rows() == 3u);
  BOOST_TEST(by_item.row_size(0) == 2u);  // item 100: users 10 and 20
  const denoise::csr_view v = by_item.view();
  BOOST_TEST(v.nnz() == 5u);
  BOOST_TEST(v.row(2)[0] == 1);  // item 300: users 20 (1) and 30 (2)
  BOOST_TEST(v.row(2)[1] == 2);
}

BOOST_AUTO_TEST_CASE(subsets_keep_instance_ids_and_maps) {
  const auto d = small();
  const std::vector<std::size_t> rows{4, 1};
  const auto s = d.subset(rows);
  BOOST_TEST(s.size() == 2u);
  BOOST_TEST(s.instances()[0] == 4);
  BOOST_TEST(s.instances()[1] == 1);
  BOOST_TEST(s.n_users() == d.n_users());
  BOOST_TEST(s.ratings()[0] == 2.0f);
  const std::vector<offset_t> ids{5, 0};
  const auto t = d.select_instances(ids);
  BOOST_TEST(t.size() == 2u);
  BOOST_TEST(t.instances()[0] == 0);  // in dataset order
  BOOST_TEST(t.instances()[1] == 5);
  const std::vector<offset_t> bad{6};
  BOOST_CHECK_THROW(d.select_instances(bad), denoise::config_error);
  dd::Interactions e;
  e.add_user(1);
  BOOST_CHECK_THROW(e.push_back(0, 0, 1.0f), denoise::config_error);  // no item 0 yet
  e.add_item(1);
  BOOST_CHECK_THROW(e.push_back(1, 0, 1.0f), denoise::config_error);
  e.push_back(0, 0, 1.0f);
  BOOST_TEST(e.size() == 1u);
}

BOOST_AUTO_TEST_CASE(fields_are_checked) {
  auto d = small();
  d.add_field("genre", {0, 1, 0, 1, 1, 0}, 2);
  BOOST_TEST(d.n_fields() == 1u);
  BOOST_TEST(d.find_field("genre") == 0u);
  BOOST_CHECK_THROW(d.add_field("bad", {0, 1}, 2), denoise::config_error);
  BOOST_CHECK_THROW(d.add_field("bad", {0, 1, 2, 0, 0, 0}, 2), denoise::config_error);
  const std::vector<std::size_t> rows{1, 3};
  const auto s = d.subset(rows);
  BOOST_TEST(s.field(0)[0] == 1);
  BOOST_TEST(s.field(0)[1] == 1);
}

BOOST_AUTO_TEST_CASE(label_encoder_sorts_numbers_numerically_and_strings_bytewise) {
  dd::LabelEncoder nums;
  const auto n = nums.encode({"10", "9", "100", "9"});
  BOOST_TEST(n == (std::vector<index_t>{1, 0, 2, 0}), boost::test_tools::per_element());
  BOOST_TEST(nums.vocabulary() == (std::vector<std::string>{"9", "10", "100"}), boost::test_tools::per_element());
  dd::LabelEncoder words;
  const auto w = words.encode({"b", "B", "a", "b", ""});
  BOOST_TEST(w == (std::vector<index_t>{3, 1, 2, 3, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
