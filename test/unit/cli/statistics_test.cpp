// Multi-seed statistics of the CLI: hand-computed mean/std, the incomplete beta function at
// known values, and the paired t-test against a worked example.
#include "cli/harness/statistics.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

namespace dr = denoise_cli;

BOOST_AUTO_TEST_SUITE(cli_statistics)

BOOST_AUTO_TEST_CASE(mean_and_sample_std) {
  const auto s = dr::summarize({2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0});
  BOOST_TEST(s.mean == 5.0);
  BOOST_TEST(s.std == std::sqrt(32.0 / 7.0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(dr::summarize({3.0}).std == 0.0);
}

BOOST_AUTO_TEST_CASE(incomplete_beta_known_values) {
  BOOST_TEST(dr::incomplete_beta(1.0, 1.0, 0.3) == 0.3, boost::test_tools::tolerance(1e-12));    // uniform CDF
  BOOST_TEST(dr::incomplete_beta(2.0, 1.0, 0.5) == 0.25, boost::test_tools::tolerance(1e-12));   // x^2
  BOOST_TEST(dr::incomplete_beta(0.5, 0.5, 0.5) == 0.5, boost::test_tools::tolerance(1e-12));    // symmetry
  // Student t with 1 dof is Cauchy: P(|T| > 1) = 0.5.
  BOOST_TEST(dr::t_two_sided_p(1.0, 1.0) == 0.5, boost::test_tools::tolerance(1e-10));
  // t = 2.776 with 4 dof is the two-sided 5% critical value.
  BOOST_TEST(dr::t_two_sided_p(2.7764451, 4.0) == 0.05, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(paired_t_test_worked_example) {
  // Differences 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t = 3 / (sqrt(2.5)/sqrt(5)) = 4.2426, dof 4.
  const std::vector<double> a{2, 4, 6, 8, 10}, b{1, 2, 3, 4, 5};
  const auto t = dr::paired_t_test(a, b);
  BOOST_TEST(t.mean_difference == 3.0);
  BOOST_TEST(t.t == 3.0 / std::sqrt(0.5), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(t.p == 0.013236, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(undefined_tests_are_nan_not_significant) {
  const double nan = std::nan("");
  BOOST_TEST(std::isnan(dr::paired_t_test({1, 2, 3}, {nan, nan, nan}).p));  // a metric one side lacks
  BOOST_TEST(std::isnan(dr::paired_t_test({1, 2, 3}, {0, 1, 2}).p));        // zero variance
  BOOST_TEST(std::isnan(dr::paired_t_test({1}, {0}).p));                    // one pair
  BOOST_CHECK_THROW(dr::paired_t_test({1, 2}, {1}), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
