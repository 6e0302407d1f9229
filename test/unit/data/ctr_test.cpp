// CTR data: the MovieLens encoding (AutoDenoise's field order and encoding) on hand-made
// ml-100k / ML-1M files, FieldDataset, the AutoDenoise and generic CSV readers with named errors,
// the seeded 80/10/10 split, and the FieldRows batcher (fixed and shuffled order).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/ctr_csv.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/data/movielens_ctr.hpp>
#include <denoise/train/batchers/field_rows.hpp>

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
  // AutoDenoise's order: movie, genre string, release year, user, occupation, age bucket, gender, zip
  const std::vector<std::string> names{"item", "genres", "year", "user", "occupation", "age", "gender", "zip"};
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

  const auto f = dd::load_movielens_100k_ctr_fields(dir.path());
  BOOST_TEST(f.n_fields() == 8u);
  BOOST_TEST(f.size() == 4u);
  BOOST_TEST(f.cardinalities() == (v{3, 2, 3, 3, 3, 3, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(f.positive_rate() == 0.5);
  // row 2: movie 20 (code 1), "Drama|War" (1), 1980 (1), user 1 (0), technician (1), 18 (1), M (1), 85711 (0)
  BOOST_TEST((std::vector<index_t>(f.row(2).begin(), f.row(2).end()) == v{1, 1, 1, 0, 1, 1, 1, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(f.instances()[3] == 3);
  BOOST_TEST(f.noisy()[3] == 1);
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

BOOST_AUTO_TEST_CASE(field_dataset_rejects_bad_rows) {
  dd::FieldDataset d({"a", "b"}, {3, 2});
  const std::vector<index_t> ok{2, 1}, too_big{3, 0}, short_row{1};
  d.push_back(ok, 1.0f);
  try {
    d.push_back(too_big, 0.0f);
    BOOST_ERROR("no error for a code outside its field");
  } catch (const denoise::config_error& e) {
    BOOST_TEST(e.field() == "a");
  }
  BOOST_CHECK_THROW(d.push_back(short_row, 0.0f), denoise::config_error);
  BOOST_CHECK_THROW(d.push_back(ok, 0.5f), denoise::config_error);
  BOOST_CHECK_THROW(dd::FieldDataset({"a"}, {0}), denoise::config_error);
  BOOST_TEST(d.total_cardinality() == 5);
  BOOST_TEST(dd::field_offsets(d.cardinalities()) == (std::vector<index_t>{0, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(autodenoise_csv_shares_cardinalities) {
  denoise::test::temp_dir dir;
  dir.write("train.csv", "0,1,2,3,4,5,6,7,1\n1,0,0,0,0,0,0,9,0\n");
  dir.write("valid.csv", "4,0,0,0,0,0,0,0,1\n");
  const auto parts = dd::read_autodenoise_csv({dir.file("train.csv"), dir.file("valid.csv")});
  BOOST_REQUIRE(parts.size() == 2u);
  using v = std::vector<index_t>;
  BOOST_TEST(parts[0].cardinalities() == (v{5, 2, 3, 4, 5, 6, 7, 10}), boost::test_tools::per_element());
  BOOST_TEST(parts[1].cardinalities() == parts[0].cardinalities(), boost::test_tools::per_element());
  BOOST_TEST(parts[0].code(1, 7) == 9);
  BOOST_TEST(parts[1].labels()[0] == 1.0f);
  BOOST_TEST(parts[0].positive_rate() == 0.5);
  auto expect_error = [&](const std::string& text, std::size_t line, const std::string& field) {
    dir.write("bad.csv", text);
    try {
      dd::read_autodenoise_csv({dir.file("bad.csv")});
      BOOST_ERROR("no error for " << text);
    } catch (const denoise::input_error& e) {
      BOOST_TEST(e.file() == dir.file("bad.csv"));
      BOOST_TEST(e.line() == line);
      BOOST_TEST(e.field() == field, text << ": " << e.what());
    }
  };
  expect_error("0,1,2,3,4,5,6,7,1\n0,1,x,3,4,5,6,7,1\n", 2, "field 2");
  expect_error("0,1,2,3,4,5,6,-7,1\n", 1, "field 7");
  expect_error("0,1,2,3,4,5,6,7,2\n", 1, "label");
  expect_error("0,1,2,3,4,5,6,7\n", 1, "label");
  expect_error("", 0, "");
  // codes whose cardinalities cannot share one index_t-addressed table
  expect_error("0,1,2,3,4,5,6,7,1\n2000000000,0,0,0,0,0,0,0,1\n0,2000000000,0,0,0,0,0,0,0\n", 3, "field 1");
}

BOOST_AUTO_TEST_CASE(cardinalities_that_overflow_one_table_are_refused) {
  BOOST_CHECK_THROW(dd::FieldDataset({"a", "b"}, {2000000000, 2000000000}), denoise::config_error);
  BOOST_CHECK_THROW(dd::field_offsets(std::vector<index_t>{2000000000, 2000000000}), denoise::config_error);
  BOOST_TEST(dd::field_offsets(std::vector<index_t>{5, 7, 1}) == (std::vector<index_t>{0, 5, 12}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(generic_field_csv_encodes_named_columns) {
  denoise::test::temp_dir dir;
  dir.write("clicks.csv", "site,device,hour,clicked\nb.com,phone,10,1\na.com,tablet,3,0\nb.com,phone,3,0\n");
  dd::field_csv_options o;
  o.fields = {"hour", "site"};
  o.label = "clicked";
  const auto d = dd::read_field_csv(dir.file("clicks.csv"), o);
  using v = std::vector<index_t>;
  BOOST_TEST(d.field_names() == (std::vector<std::string>{"hour", "site"}), boost::test_tools::per_element());
  BOOST_TEST(d.cardinalities() == (v{2, 2}), boost::test_tools::per_element());
  BOOST_TEST((v(d.codes().begin(), d.codes().end()) == v{1, 1, 0, 0, 0, 1}), boost::test_tools::per_element());
  BOOST_TEST(d.labels()[0] == 1.0f);
  o.fields = {"hour", "missing"};
  try {
    dd::read_field_csv(dir.file("clicks.csv"), o);
    BOOST_ERROR("no error for a missing column");
  } catch (const denoise::config_error& e) {
    BOOST_TEST(e.field() == "missing");
    BOOST_TEST(e.line() == 1u);
  }
  dir.write("bad.csv", "site,clicked\na.com,1\n,0\n");
  o.fields = {"site"};
  try {
    dd::read_field_csv(dir.file("bad.csv"), o);
    BOOST_ERROR("no error for an empty value");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.field() == "site");
    BOOST_TEST(e.line() == 3u);
  }
}

BOOST_AUTO_TEST_CASE(split_is_seeded_and_keeps_instances) {
  dd::FieldDataset d({"a"}, {1000});
  for (index_t k = 0; k < 1000; ++k) d.push_back(std::vector<index_t>{k}, k % 3 == 0 ? 1.0f : 0.0f);
  const auto s = dd::split_fields(d, 9);
  BOOST_TEST(s.train.size() == 800u);
  BOOST_TEST(s.validation.size() == 100u);
  BOOST_TEST(s.test.size() == 100u);
  std::vector<int> seen(1000, 0);
  for (const auto* part : {&s.train, &s.validation, &s.test}) {
    for (std::size_t r = 0; r < part->size(); ++r) {
      ++seen[static_cast<std::size_t>(part->instances()[r])];
      BOOST_REQUIRE(part->code(r, 0) == static_cast<index_t>(part->instances()[r]));  // row kept with its id
      if (r > 0) BOOST_REQUIRE(part->instances()[r] > part->instances()[r - 1]);     // dataset order
    }
    BOOST_TEST(part->instance_capacity() == 1000);
  }
  for (int c : seen) BOOST_REQUIRE(c == 1);
  const auto again = dd::split_fields(d, 9);
  const auto other = dd::split_fields(d, 10);
  BOOST_TEST((std::vector<denoise::offset_t>(again.test.instances().begin(), again.test.instances().end()) ==
              std::vector<denoise::offset_t>(s.test.instances().begin(), s.test.instances().end())));
  BOOST_TEST((std::vector<denoise::offset_t>(other.test.instances().begin(), other.test.instances().end()) !=
              std::vector<denoise::offset_t>(s.test.instances().begin(), s.test.instances().end())));
}

BOOST_AUTO_TEST_CASE(field_rows_batcher_serves_offset_ids_in_stable_order) {
  using B = denoise::backends::Eigen<float>;
  dd::FieldDataset d({"a", "b"}, {3, 4});
  for (index_t k = 0; k < 7; ++k) d.push_back(std::vector<index_t>{k % 3, k % 4}, k % 2 ? 1.0f : 0.0f);
  denoise::train::trainer_options o;
  o.batch_size = 3;
  for (auto order : {dd::Order::fixed, dd::Order::shuffled}) {
    const denoise::train::batchers::FieldRows policy(d, order);
    denoise::train::batchers::FieldRows::State<B> state(policy, o, 4);
    BOOST_TEST(state.instances() == 7u);
    std::vector<std::vector<denoise::offset_t>> epochs;
    for (std::size_t e = 0; e < 2; ++e) {
      state.start_epoch(e);
      denoise::train::batch<B, dd::field_batch<B>> b;
      std::vector<denoise::offset_t> ids;
      std::size_t batches = 0;
      while (state.next(b)) {
        ++batches;
        BOOST_TEST(b.layout.groups == b.rows());
        std::vector<index_t> idx;
        std::vector<float> labels;
        B::to_host(b.input.index, idx);
        B::to_host(b.labels, labels);
        for (std::size_t r = 0; r < b.rows(); ++r) {
          const auto id = static_cast<index_t>(b.instance[r]);
          BOOST_TEST(idx[2 * r] == id % 3);            // field a: offset 0
          BOOST_TEST(idx[2 * r + 1] == 3 + id % 4);    // field b: offset 3
          BOOST_TEST(labels[r] == (id % 2 ? 1.0f : 0.0f));
          ids.push_back(b.instance[r]);
        }
      }
      BOOST_TEST(batches == 3u);
      epochs.push_back(ids);
    }
    if (order == dd::Order::fixed) {
      BOOST_TEST((epochs[0] == std::vector<denoise::offset_t>{0, 1, 2, 3, 4, 5, 6}));
      BOOST_TEST((epochs[1] == epochs[0]));
    } else {
      BOOST_TEST((epochs[1] != epochs[0]));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
