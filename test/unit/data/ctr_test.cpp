#include <denoise/data/movielens_ctr.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "temp_files.hpp"

namespace dd = denoise::data;
using denoise::index_t;

namespace {
std::string flags(std::initializer_list<int> on) {
  std::string s;
  for (int g = 0; g < 19; ++g) {
    bool set = false;
    for (int k : on) set = set || k == g;
    s += set ? "|1" : "|0";
  }
  return s;
}

std::vector<index_t> column(const dd::Interactions& d, const std::string& name) {
  const std::size_t f = d.find_field(name);
  BOOST_REQUIRE(f < d.n_fields());
  return std::vector<index_t>(d.field(f).begin(), d.field(f).end());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_ctr)

BOOST_AUTO_TEST_CASE(movielens_100k_encoding_is_exact_on_a_small_file) {
  denoise::test::temp_dir dir;
  dir.write("u.data", "1\t10\t5\t100\n2\t10\t3\t101\n1\t20\t4\t102\n3\t30\t1\t103\n");
  dir.write("u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n3|17|M|writer|K1A0A\n");
  dir.write("u.item", "10|A (1995)|01-Jan-1995||u" + flags({1}) + "\n" +  // Action
                          "20|B (1980)|01-Jan-1980||u" + flags({8, 17}) + "\n" +  // Drama|War
                          "30|C|||u" + flags({1}) + "\n" +
                          "40|D|01-Jan-2000||u" + flags({5}) + "\n");  // never rated
  const auto d = dd::load_movielens_100k_ctr(dir.path());
  BOOST_TEST(d.n_fields() == 8u);
  const std::vector<std::string> names{"user", "item", "age", "gender", "occupation", "zip", "genres", "year"};
  for (std::size_t f = 0; f < 8; ++f) BOOST_TEST(d.field_name(f) == names[f]);
  using v = std::vector<index_t>;
  BOOST_TEST(column(d, "user") == (v{0, 1, 0, 2}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "item") == (v{0, 0, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "age") == (v{1, 2, 1, 0}), boost::test_tools::per_element());  // buckets 18, 50, 18, 1
  BOOST_TEST(column(d, "gender") == (v{1, 0, 1, 1}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "occupation") == (v{1, 0, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "zip") == (v{0, 1, 0, 2}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "genres") == (v{0, 0, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "year") == (v{2, 2, 1, 0}), boost::test_tools::per_element());  // "", "1980", "1995"
  BOOST_TEST(d.field_vocabulary(d.find_field("genres"))[1] == "Drama|War");
  BOOST_TEST(d.field_vocabulary(d.find_field("age"))[0] == "1");
  BOOST_TEST(d.field_cardinality(d.find_field("year")) == 3);
  const std::vector<float> labels(d.labels().begin(), d.labels().end());
  BOOST_TEST(labels == (std::vector<float>{1, 0, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(d.noisy()[3] == 1);
  BOOST_TEST(d.noisy()[1] == 0);
}

BOOST_AUTO_TEST_CASE(age_buckets_and_missing_side_rows) {
  BOOST_TEST(dd::movielens_age_bucket(7) == 1);
  BOOST_TEST(dd::movielens_age_bucket(18) == 18);
  BOOST_TEST(dd::movielens_age_bucket(34) == 25);
  BOOST_TEST(dd::movielens_age_bucket(44) == 35);
  BOOST_TEST(dd::movielens_age_bucket(49) == 45);
  BOOST_TEST(dd::movielens_age_bucket(55) == 50);
  BOOST_TEST(dd::movielens_age_bucket(73) == 56);
  denoise::test::temp_dir dir;
  dir.write("u.data", "1\t10\t5\t100\n9\t10\t3\t101\n");
  dir.write("u.user", "1|24|M|technician|85711\n");
  dir.write("u.item", "10|A (1995)|01-Jan-1995||u" + flags({1}) + "\n");
  try {
    dd::load_movielens_100k_ctr(dir.path());
    BOOST_ERROR("no error for a user missing from u.user");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == dir.file("u.user"));
    BOOST_TEST(e.field() == "user id");
  }
}

BOOST_AUTO_TEST_CASE(movielens_1m_layout) {
  denoise::test::temp_dir dir;
  dir.write("ratings.dat", "1::1193::5::978300760\n2::661::2::978302109\n");
  dir.write("users.dat", "1::F::1::10::48067\n2::M::56::16::70072-1234\n");
  dir.write("movies.dat", "1193::One Flew (1975)::Drama\n661::James (1996)::Animation|Children's|Musical\n");
  const auto d = dd::load_movielens_1m_ctr(dir.path());
  using v = std::vector<index_t>;
  BOOST_TEST(column(d, "age") == (v{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(column(d, "zip") == (v{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(d.field_vocabulary(d.find_field("zip"))[1] == "70072");
  BOOST_TEST(column(d, "year") == (v{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(d.labels()[0] == 1.0f);
  BOOST_TEST(d.labels()[1] == 0.0f);
}

BOOST_AUTO_TEST_SUITE_END()
