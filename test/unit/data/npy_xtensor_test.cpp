// The built-in .npy codec is byte-compatible with xtensor's xnpy in both directions.
// <xtensor/xnpy.hpp> compiles std::regex, which trips g++ 12 -Wmaybe-uninitialized false positives
// in sanitizer builds; this file only includes it after silencing that warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <boost/test/unit_test.hpp>

#if defined(DENOISE_HAS_XTENSOR)
#include <denoise/data/exchange.hpp>
#include <denoise/data/synthetic.hpp>

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xnpy.hpp>

#include <vector>

#include "temp_files.hpp"

namespace dd = denoise::data;

BOOST_AUTO_TEST_SUITE(data_npy_xtensor)

BOOST_AUTO_TEST_CASE(xtensor_reads_what_we_write_and_we_read_what_it_writes) {
  denoise::test::temp_dir dir;
  dd::SyntheticConfig c;
  c.n_users = 10;
  c.n_items = 40;
  const auto d = dd::make_synthetic(c).interactions;
  dd::write_npy(d, dir.file("ours.npy"));
  const auto a = xt::load_npy<double>(dir.file("ours.npy"));
  BOOST_REQUIRE(a.dimension() == 2u);
  BOOST_TEST(a.shape()[0] == d.size());
  BOOST_TEST(a.shape()[1] == 9u);
  for (std::size_t r = 0; r < d.size(); ++r) {
    BOOST_REQUIRE_EQUAL(a(r, 1), static_cast<double>(d.users()[r]));
    BOOST_REQUIRE_EQUAL(a(r, 7), static_cast<double>(d.timestamps()[r]));
  }
  // xtensor writes, we read.
  std::vector<double> table(a.begin(), a.end());
  const std::vector<std::size_t> shape{d.size(), 9};
  xt::dump_npy(dir.file("theirs.npy"), xt::adapt(table, shape));
  const auto back = dd::read_npy(dir.file("theirs.npy"), static_cast<std::size_t>(d.n_users()),
                                 static_cast<std::size_t>(d.n_items()));
  BOOST_TEST((back == d));
  const std::vector<std::int64_t> ids{5, 3, 9};
  xt::dump_npy(dir.file("ids.npy"), xt::adapt(ids, std::vector<std::size_t>{3}));
  const auto read_ids = dd::read_subset_npy(dir.file("ids.npy"));
  BOOST_TEST(read_ids == (std::vector<denoise::offset_t>{5, 3, 9}), boost::test_tools::per_element());
  dd::write_subset_npy(read_ids, dir.file("ids2.npy"));
  const auto x = xt::load_npy<std::int64_t>(dir.file("ids2.npy"));
  BOOST_TEST(x.size() == 3u);
  BOOST_TEST(x(1) == 3);
}

BOOST_AUTO_TEST_SUITE_END()
#endif
