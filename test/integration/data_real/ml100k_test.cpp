// MovieLens 100K from ../shared/data: the documented counts, splits, samplers and CTR encoding.
#include <denoise/data/data.hpp>

#include <boost/test/unit_test.hpp>

#include <set>
#include <vector>

#include "support/data_dir.hpp"

using denoise::test::require_data_dir;
BOOST_TEST_GLOBAL_FIXTURE(require_data_dir);

namespace dd = denoise::data;
using denoise::index_t;
using denoise::offset_t;

namespace {
std::string ml100k() { return denoise::test::data_dir() + "/ml-100k"; }
}  // namespace

BOOST_AUTO_TEST_SUITE(data_real_ml100k)

BOOST_AUTO_TEST_CASE(documented_counts) {
  dd::LoadReport report;
  const auto d = dd::load_movielens_100k(ml100k() + "/u.data", &report);
  BOOST_TEST(d.size() == 100000u);
  BOOST_TEST(d.n_users() == 943);
  BOOST_TEST(d.n_items() == 1682);
  BOOST_TEST(report.bytes == 1979173u);
  BOOST_TEST(report.skipped == 0u);
  std::size_t below4 = 0, hist[6] = {0, 0, 0, 0, 0, 0};
  for (float r : d.ratings()) {
    below4 += r < 4.0f;
    ++hist[static_cast<int>(r)];
  }
  BOOST_TEST(below4 == 44625u);
  BOOST_TEST(hist[1] == 6110u);
  BOOST_TEST(hist[2] == 11370u);
  BOOST_TEST(hist[3] == 27145u);
  BOOST_TEST(hist[4] == 34174u);
  BOOST_TEST(hist[5] == 21201u);
  const auto implicit = dd::to_implicit(d);
  BOOST_TEST(dd::count_noisy(implicit) == 17480u);
  // Raw ids are 1..943 and 1..1682.
  const auto& users = d.user_ids().raw_ids();
  BOOST_TEST(*std::min_element(users.begin(), users.end()) == 1);
  BOOST_TEST(*std::max_element(users.begin(), users.end()) == 943);
  BOOST_TEST(d.by_user().nnz() == 100000u);  // no duplicate (user, item) pair
}

BOOST_AUTO_TEST_CASE(splits_are_disjoint_and_complete) {
  const auto d = dd::to_implicit(dd::load_movielens_100k(ml100k() + "/u.data"));
  for (const auto& s : {dd::random_split(d, 2023), dd::chronological_split(d), dd::leave_last_k(d, 1, 1)}) {
    std::vector<int> seen(d.size(), 0);
    for (const dd::Interactions* part : {&s.train, &s.validation, &s.test})
      for (offset_t id : part->instances()) ++seen[static_cast<std::size_t>(id)];
    for (offset_t id : s.report.dropped) ++seen[static_cast<std::size_t>(id)];
    for (int c : seen) BOOST_REQUIRE_EQUAL(c, 1);
    BOOST_TEST(s.validation.size() > 0u);
    BOOST_TEST(s.test.size() > 0u);
    const auto clean = dd::clean_view(s.test);
    for (std::size_t k = 0; k < clean.size(); ++k) BOOST_REQUIRE(clean.ratings()[k] >= 3.0f);
  }
  const auto s = dd::random_split(d, 2023);
  BOOST_TEST(s.train.size() == 80000u);
  BOOST_TEST(s.validation.size() + s.report.cold_validation == 10000u);
  BOOST_TEST(s.test.size() + s.report.cold_test == 10000u);
  const auto loo = dd::leave_last_k(d, 1, 1);
  BOOST_TEST(loo.test.size() + loo.report.cold_test == 943u);
}

BOOST_AUTO_TEST_CASE(samplers_never_return_positives) {
  const auto d = dd::load_movielens_100k(ml100k() + "/u.data");
  const auto pos = d.by_user();
  const dd::UniformNegativeSampler uniform(d);
  const dd::PopularityNegativeSampler popular(d);
  denoise::random::rng g(5, "ml100k");
  for (int k = 0; k < 200000; ++k) {
    const auto u = static_cast<index_t>(g.uniform_index(943));
    BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(u), uniform.sample(u, g)));
    BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(u), popular.sample(u, g)));
  }
}

BOOST_AUTO_TEST_CASE(ctr_encoding_of_ml100k) {
  const auto d = dd::load_movielens_100k_ctr(ml100k());
  BOOST_TEST(d.size() == 100000u);
  BOOST_TEST(d.n_fields() == 8u);
  BOOST_TEST(d.field_cardinality(d.find_field("user")) == 943);
  BOOST_TEST(d.field_cardinality(d.find_field("item")) == 1682);
  BOOST_TEST(d.field_cardinality(d.find_field("gender")) == 2);
  BOOST_TEST(d.field_cardinality(d.find_field("occupation")) == 21);
  BOOST_TEST(d.field_cardinality(d.find_field("age")) == 7);
  std::size_t positives = 0;
  for (float l : d.labels()) positives += l > 0;
  BOOST_TEST(positives == 55375u);  // rating > 3
  // Raw user id r -> code r - 1 (ids 1..943, sorted numerically).
  const auto users = d.field(d.find_field("user"));
  for (std::size_t k = 0; k < d.size(); ++k)
    BOOST_REQUIRE_EQUAL(users[k], static_cast<index_t>(d.user_ids().raw_of(d.users()[k]) - 1));
  const auto movies = dd::load_movielens_100k_items(ml100k() + "/u.item");
  BOOST_TEST(movies.size() == 1682u);
  BOOST_TEST(dd::load_movielens_100k_users(ml100k() + "/u.user").size() == 943u);
}

BOOST_AUTO_TEST_SUITE_END()
