// Seeded fills: the same seed gives the same numbers on every backend; distributions are right.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::host;

namespace {
template <class B>
std::vector<typename B::scalar> draw(int which, std::uint64_t seed) {
  typename B::matrix m(100, 101);
  if (which == 0) B::fill_uniform(m, seed, typename B::scalar(-2), typename B::scalar(3));
  if (which == 1) B::fill_normal(m, seed, typename B::scalar(1), typename B::scalar(2));
  if (which == 2) B::fill_gumbel(m, seed);
  return host<B>(m);
}

template <class B>
void equal_to_eigen() {
  using S = typename B::scalar;
  for (int which = 0; which < 3; ++which) {
    const auto reference = draw<backends::Eigen<S>>(which, 42);
    const auto got = draw<B>(which, 42);
    BOOST_TEST(got == reference, boost::test_tools::per_element());
  }
}
template <class Tuple, std::size_t... I>
void all_equal_to_eigen(std::index_sequence<I...>) {
  (equal_to_eigen<std::tuple_element_t<I, Tuple>>(), ...);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(backends_random_fill)

BOOST_AUTO_TEST_CASE(same_seed_same_bits_on_every_cpu_backend) {
  all_equal_to_eigen<denoise::test::backend_list_float>(
      std::make_index_sequence<std::tuple_size_v<denoise::test::backend_list_float>>{});
  all_equal_to_eigen<denoise::test::backend_list_double>(
      std::make_index_sequence<std::tuple_size_v<denoise::test::backend_list_double>>{});
}

DENOISE_TYPED_TEST(fills_have_the_right_moments_and_depend_on_the_seed, denoise::test::backend_list_double) {
  using B = TestType;
  typename B::matrix m(400, 500);
  auto moments = [&]() {
    const auto h = host<B>(m);
    double s = 0, s2 = 0;
    for (double x : h) {
      s += x;
      s2 += x * x;
    }
    const double mean = s / double(h.size());
    return std::pair<double, double>(mean, s2 / double(h.size()) - mean * mean);
  };
  B::fill_uniform(m, 1, -1.0, 3.0);
  auto [um, uv] = moments();
  BOOST_TEST(std::abs(um - 1.0) < 0.01);
  BOOST_TEST(std::abs(uv - 16.0 / 12.0) < 0.01);
  B::fill_normal(m, 1, 2.0, 0.5);
  auto [nm, nv] = moments();
  BOOST_TEST(std::abs(nm - 2.0) < 0.005);
  BOOST_TEST(std::abs(nv - 0.25) < 0.005);
  B::fill_gumbel(m, 1);
  auto [gm, gv] = moments();
  BOOST_TEST(std::abs(gm - 0.5772156649) < 0.01);              // Euler–Mascheroni
  BOOST_TEST(std::abs(gv - 1.6449340668) < 0.02);              // pi^2 / 6
  const auto a = draw<B>(1, 7), b = draw<B>(1, 8), c = draw<B>(1, 7);
  BOOST_TEST(a == c, boost::test_tools::per_element());
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  BOOST_TEST(same == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
