#include <denoise/core/atomic_file.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/split.hpp>
#include <denoise/data/synthetic.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <vector>

#include "temp_files.hpp"

namespace dd = denoise::data;
using denoise::offset_t;

namespace {
dd::Interactions sample_data() {
  dd::SyntheticConfig c;
  c.n_users = 40;
  c.n_items = 90;
  c.negatives_per_user = 1;
  auto d = dd::make_synthetic(c).interactions;
  std::vector<denoise::index_t> f(d.size());
  for (std::size_t k = 0; k < f.size(); ++k) f[k] = static_cast<denoise::index_t>(k % 7);
  d.add_field("bucket", f, 7);
  return d;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_exchange)

BOOST_AUTO_TEST_CASE(csv_round_trip_of_a_dataset_and_a_split_part) {
  denoise::test::temp_dir dir;
  const auto d = sample_data();
  dd::write_csv(d, dir.file("all.csv"));
  const auto back = dd::read_csv(dir.file("all.csv"));
  BOOST_TEST((back == d));
  BOOST_TEST(back.field_name(0) == "bucket");
  const auto s = dd::random_split(d, 1);
  dd::write_csv(s.test, dir.file("test.csv"));
  const auto t = dd::read_csv(dir.file("test.csv"));
  BOOST_TEST((t == s.test));  // sizes, dense ids and instance ids survive
  for (std::size_t k = 0; k < t.size(); ++k)
    BOOST_REQUIRE_EQUAL(t.user_ids().raw_of(t.users()[k]), d.user_ids().raw_of(s.test.users()[k]));
}

BOOST_AUTO_TEST_CASE(csv_keeps_raw_ids_of_loaded_data) {
  denoise::test::temp_dir dir;
  dd::Interactions d;
  d.set_has_ratings(true);
  d.push_back(d.add_user(1000000007), d.add_item(42), 1.0f, 3.5f, 17);
  d.push_back(d.add_user(5), d.add_item(42), 0.0f, 0.25f, -3, true);
  dd::write_csv(d, dir.file("x.csv"));
  const auto back = dd::read_csv(dir.file("x.csv"));
  BOOST_TEST((back == d));
  BOOST_TEST(back.user_ids().find(1000000007) == 0);
  BOOST_TEST(back.item_ids().raw_of(0) == 42);
}

BOOST_AUTO_TEST_CASE(subset_round_trips) {
  denoise::test::temp_dir dir;
  const std::vector<offset_t> ids{3, 1, 4, 1, 5, 9, 2, 6};
  dd::write_subset_csv(ids, dir.file("s.csv"));
  BOOST_TEST(dd::read_subset_csv(dir.file("s.csv")) == ids, boost::test_tools::per_element());
  const auto d = sample_data();
  const std::vector<offset_t> chosen{0, 5, 7};
  const auto sub = d.select_instances(chosen);
  BOOST_TEST(sub.size() == 3u);
  dd::write_subset_npy(ids, dir.file("s.npy"));
  BOOST_TEST(dd::read_subset_npy(dir.file("s.npy")) == ids, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(npy_round_trip) {
  denoise::test::temp_dir dir;
  const auto d = sample_data();
  dd::write_npy(d, dir.file("all.npy"));
  const auto back = dd::read_npy(dir.file("all.npy"), static_cast<std::size_t>(d.n_users()),
                                 static_cast<std::size_t>(d.n_items()), {"bucket"}, {7});
  BOOST_TEST((back == d));
  const auto inferred = dd::read_npy(dir.file("all.npy"));
  BOOST_TEST(inferred.size() == d.size());
  BOOST_TEST(inferred.field_name(0) == "f0");
  BOOST_CHECK_THROW(dd::read_npy(dir.write("bad.npy", "not an npy file")), denoise::input_error);
  // Truncated data and a wrong dtype are input errors naming the file.
  const std::string bytes = denoise::test::read_all(dir.file("all.npy"));
  const auto cut = dir.write("cut.npy", bytes.substr(0, bytes.size() - 3));
  try {
    dd::read_npy(cut);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == cut);
  }
  dd::write_subset_npy(std::vector<offset_t>{1, 2}, dir.file("ids.npy"));
  BOOST_CHECK_THROW(dd::read_npy(dir.file("ids.npy")), denoise::input_error);  // int64, not float64
}

BOOST_AUTO_TEST_CASE(failed_atomic_write_leaves_the_old_file) {
  denoise::test::temp_dir dir;
  const auto path = dir.write("keep.csv", "old content\n");
  BOOST_CHECK_THROW(denoise::atomic_write(path, [](std::FILE* f) {
                      std::fputs("partial", f);
                      throw std::runtime_error("writer failed");
                    }),
                    std::runtime_error);
  BOOST_TEST(denoise::test::read_all(path) == "old content\n");
  BOOST_TEST(dir.entries() == 1u);  // no temporary left behind
  // A directory that does not exist: io_error naming the path.
  const auto missing = dir.file("nope/x.csv");
  try {
    dd::write_csv(sample_data(), missing);
    BOOST_ERROR("no error");
  } catch (const denoise::io_error& e) {
    BOOST_TEST(e.file() == missing);
  }
  // A successful write replaces the file.
  denoise::atomic_write_bytes(path, "new\n");
  BOOST_TEST(denoise::test::read_all(path) == "new\n");
  BOOST_TEST(dir.entries() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
