#include <denoise/core/random.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rnd = denoise::random;

BOOST_AUTO_TEST_SUITE(core_random)

BOOST_AUTO_TEST_CASE(same_seed_same_sequence_and_streams_differ) {
  rnd::rng a(7, "negatives"), b(7, "negatives"), c(7, "dropout"), d(8, "negatives");
  int equal_c = 0, equal_d = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    BOOST_REQUIRE_EQUAL(x, b());
    equal_c += x == c();
    equal_d += x == d();
  }
  BOOST_TEST(equal_c == 0);
  BOOST_TEST(equal_d == 0);
}

BOOST_AUTO_TEST_CASE(counter_stream_is_position_addressed) {
  // Element n must not depend on which other elements were drawn: the property parallel fills need.
  const rnd::counter_stream s(123);
  std::vector<float> forward(100), backward(100);
  for (std::uint64_t n = 0; n < 100; ++n) forward[n] = s.uniform<float>(n);
  for (std::uint64_t n = 100; n-- > 0;) backward[n] = s.uniform<float>(n);
  BOOST_TEST(forward == backward, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(uniform_is_open_interval_with_right_moments) {
  const rnd::counter_stream s(1);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform<double>(static_cast<std::uint64_t>(i));
    BOOST_REQUIRE(u > 0.0);
    BOOST_REQUIRE(u < 1.0);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n, var = sum_sq / n - mean * mean;
  BOOST_TEST(std::abs(mean - 0.5) < 0.005);
  BOOST_TEST(std::abs(var - 1.0 / 12.0) < 0.002);
  // The smallest float uniform is 2^-24 and the largest 1 - 2^-24, so log() is always finite.
  BOOST_TEST(rnd::to_unit_open<float>(0) > 0.0f);
  BOOST_TEST(rnd::to_unit_open<float>(~0ull) < 1.0f);
}

BOOST_AUTO_TEST_CASE(normal_and_gumbel_moments) {
  const rnd::counter_stream s(99);
  const int n = 200000;
  double sum = 0, sum_sq = 0, gsum = 0;
  for (int i = 0; i < n; ++i) {
    const double z = s.normal<double>(static_cast<std::uint64_t>(i));
    sum += z;
    sum_sq += z * z;
    gsum += s.gumbel<double>(static_cast<std::uint64_t>(i));
  }
  BOOST_TEST(std::abs(sum / n) < 0.01);
  BOOST_TEST(std::abs(sum_sq / n - 1.0) < 0.02);
  BOOST_TEST(std::abs(gsum / n - 0.5772156649) < 0.02);  // Euler–Mascheroni constant
}

BOOST_AUTO_TEST_CASE(uniform_index_is_unbiased) {
  // Chi-square over 7 buckets: n = 70000, 6 degrees of freedom, p = 0.001 critical value 22.46.
  rnd::rng r(2024);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const auto k = r.uniform_index(7);
    BOOST_REQUIRE(k < 7u);
    ++counts[k];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - 10000.0) * (c - 10000.0) / 10000.0;
  BOOST_TEST(chi2 < 22.46);
  BOOST_TEST(r.uniform_index(1) == 0u);
}

BOOST_AUTO_TEST_CASE(rng_works_with_standard_algorithms) {
  std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, w = v;
  rnd::rng a(5), b(5);
  std::shuffle(v.begin(), v.end(), a);
  std::shuffle(w.begin(), w.end(), b);
  BOOST_TEST(v == w, boost::test_tools::per_element());
  std::sort(w.begin(), w.end());
  BOOST_TEST(w == (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
