// SGDL's noise-rate estimate: the two-component 1-D Gaussian mixture (EM) against hand-computed
// steps, its convergence on a sample from a known mixture, noise_rate, the loss normalisations
// and the errors they raise.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/methods/sgdl/gaussian_mixture.hpp>

namespace sg = denoise::methods::sgdl;
namespace tt = boost::test_tools;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double normal_pdf(double x, double mean, double variance) {
  return std::exp(-(x - mean) * (x - mean) / (2.0 * variance)) / std::sqrt(2.0 * 3.14159265358979323846 * variance);
}

// n draws of weight0 N(mean0, sd0^2) + (1 - weight0) N(mean1, sd1^2) from the library's counter stream.
std::vector<double> mixture_sample(std::size_t n, double weight0, double mean0, double sd0, double mean1, double sd1,
                                   std::uint64_t seed, std::vector<std::uint8_t>* from_second = nullptr) {
  const denoise::random::counter_stream pick(denoise::random::derive_seed(seed, "pick"));
  const denoise::random::counter_stream noise(denoise::random::derive_seed(seed, "noise"));
  std::vector<double> out(n);
  if (from_second) from_second->assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const bool second = pick.uniform<double>(k) >= weight0;
    out[k] = second ? mean1 + sd1 * noise.normal<double>(k) : mean0 + sd0 * noise.normal<double>(k);
    if (from_second) (*from_second)[k] = second ? 1 : 0;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gaussian_mixture)

// X = {0, 2, 3, 4, 5, 7}, one EM iteration from the 2-means start, worked by hand:
//  2-means from the min 0 and the max 7: split 3.5 -> {0, 2, 3} (mean 5/3) and {4, 5, 7} (mean 16/3);
//    new split (5/3 + 16/3) / 2 = 3.5, stable. Variances [(5/3)^2 + (1/3)^2 + (4/3)^2] / 3 = 14/9 for
//    both (the set is symmetric about 3.5), weights 1/2.
//  E-step: equal weights and variances, so r1(x) = sigmoid(((x - mu0)^2 - (x - mu1)^2) / (2v))
//    = sigmoid((mu1 - mu0)(2x - mu0 - mu1) / (2v)) = sigmoid((11/3)(2x - 7) / (28/9))
//    = sigmoid((33/28)(2x - 7)): with a = sigmoid(-8.25), b = sigmoid(-99/28), c = sigmoid(-33/28)
//    (0.000261190, 0.0283130, 0.235309) r1 = (a, b, c, 1-c, 1-b, 1-a).
//  M-step: the masses are 3 and 3 (r1(7 - x) = 1 - r1(x)), so the weights stay 1/2;
//    mu1 = [2b + 3c + 4(1-c) + 5(1-b) + 7(1-a)] / 3 = (16 - 3b - c - 7a) / 3 = 5.225975,
//    mu0 = 7 - mu1 = 1.774025 (symmetry), v1 = sum r1 (x - mu1)^2 / 3 = 1.937679 = v0.
//  The mean log-likelihood at the start, L0 = mean log(N(x|5/3,14/9)/2 + N(x|16/3,14/9)/2) = -2.233913,
//    and at the new parameters -2.209665 (it must not drop).
BOOST_AUTO_TEST_CASE(one_em_iteration_matches_the_hand_computation) {
  const std::vector<double> x{0, 2, 3, 4, 5, 7};
  sg::gaussian_mixture_options o;
  o.max_iterations = 1;
  const sg::gaussian_mixture_fit fit = sg::GaussianMixture(o).fit(x);

  const double a = sigmoid(-8.25), b = sigmoid(-99.0 / 28.0), c = sigmoid(-33.0 / 28.0);
  const double r1[6] = {a, b, c, 1 - c, 1 - b, 1 - a};
  const double mu1 = (16.0 - 3.0 * b - c - 7.0 * a) / 3.0;
  double v1 = 0.0;
  for (int k = 0; k < 6; ++k) v1 += r1[k] * (x[static_cast<std::size_t>(k)] - mu1) * (x[static_cast<std::size_t>(k)] - mu1);
  v1 /= 3.0;
  BOOST_TEST(mu1 == 5.225975, tt::tolerance(1e-6));
  BOOST_TEST(v1 == 1.937679, tt::tolerance(1e-6));

  BOOST_TEST(fit.iterations == 1u);
  BOOST_TEST(!fit.converged);  // a first iteration has no previous likelihood to compare with
  BOOST_TEST(fit.weight[0] == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(fit.weight[1] == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(fit.mean[1] == mu1, tt::tolerance(1e-12));
  BOOST_TEST(fit.mean[0] == 7.0 - mu1, tt::tolerance(1e-12));
  BOOST_TEST(fit.variance[1] == v1, tt::tolerance(1e-12));
  BOOST_TEST(fit.variance[0] == v1, tt::tolerance(1e-12));
  double ll = 0.0;
  for (double xi : x) ll += std::log(0.5 * normal_pdf(xi, 7.0 - mu1, v1) + 0.5 * normal_pdf(xi, mu1, v1));
  BOOST_TEST(fit.log_likelihood == ll / 6.0, tt::tolerance(1e-12));
  BOOST_TEST(fit.log_likelihood == -2.209665, tt::tolerance(1e-6));
  // At the start (zero iterations are not allowed; the start is the 2-means statistics):
  sg::gaussian_mixture_fit start;
  start.mean[0] = 5.0 / 3.0;
  start.mean[1] = 16.0 / 3.0;
  start.variance[0] = start.variance[1] = 14.0 / 9.0;
  BOOST_TEST(sg::GaussianMixture::mean_log_likelihood(start, x) == -2.233913, tt::tolerance(1e-6));
  // The midpoint of a symmetric mixture is equally likely under both components.
  BOOST_TEST(sg::posterior_of_larger_mean(fit, 3.5) == 0.5, tt::tolerance(1e-12));
}

// X = {0, 1, 2, 3, 17, 18}: 2-means split 9 -> {0,1,2,3} (mean 1.5, var 1.25) and {17, 18} (mean
// 17.5, var 0.25), split 9.5 stable. Across the gap the responsibilities vanish: for x = 3 under
// component 1, log(r1/r0) = log(1/2) - log(sqrt(0.25/1.25)) - 14.5^2/0.5 + 1.5^2/2.5 = -419.5; for
// x = 17 under component 0, log(r0/r1) = log 2 + log(sqrt(0.25/1.25)) - 15.5^2/2.5 + 0.5^2/0.5 = -95.7.
// So one EM step keeps the hard statistics: weights 2/3 and 1/3, means 1.5 and 17.5, variances
// 1.25 and 0.25.
BOOST_AUTO_TEST_CASE(unequal_clusters_keep_their_weights_and_order) {
  const std::vector<double> x{18, 0, 3, 17, 1, 2};  // any order
  sg::gaussian_mixture_options o;
  o.max_iterations = 1;
  const auto fit = sg::GaussianMixture(o).fit(x);
  BOOST_TEST(fit.weight[0] == 2.0 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(fit.weight[1] == 1.0 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(fit.mean[0] == 1.5, tt::tolerance(1e-12));
  BOOST_TEST(fit.mean[1] == 17.5, tt::tolerance(1e-12));
  BOOST_TEST(fit.variance[0] == 1.25, tt::tolerance(1e-12));
  BOOST_TEST(fit.variance[1] == 0.25, tt::tolerance(1e-12));
  // The noise rate is the mean posterior of the larger-mean component: 2 of 6 points.
  BOOST_TEST(sg::noise_rate(fit, x) == 1.0 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(sg::posterior_of_larger_mean(fit, 17.5) == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(sg::posterior_of_larger_mean(fit, 1.5) < 1e-15);
}

// Clusters without spread: {0,0,0,1,1,1} gives zero variances, floored to 5e-4 (or, with sklearn's
// rule, 0 + 5e-4 as well; {0,0,1,1,2,2}-style spread shows the difference below).
BOOST_AUTO_TEST_CASE(variance_floor_and_sklearn_addend) {
  const std::vector<double> flat{0, 0, 0, 1, 1, 1};
  sg::gaussian_mixture_options o;
  const auto fit = sg::GaussianMixture(o).fit(flat);
  BOOST_TEST(fit.variance[0] == 5e-4, tt::tolerance(1e-9));
  BOOST_TEST(fit.variance[1] == 5e-4, tt::tolerance(1e-9));
  BOOST_TEST(fit.mean[0] == 0.0, tt::tolerance(1e-12));
  BOOST_TEST(fit.mean[1] == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(fit.converged);
  BOOST_TEST(fit.iterations == 2u);  // the second iteration gains nothing

  // {0, 0.1, 0.9, 1}: clusters with variance 0.0025 each. Floor: 0.0025; sklearn's add: 0.003.
  const std::vector<double> spread{0, 0.1, 0.9, 1.0};
  o.max_iterations = 1;
  const auto floor_fit = sg::GaussianMixture(o).fit(spread);
  o.regularization = sg::variance_regularization::add;
  const auto add_fit = sg::GaussianMixture(o).fit(spread);
  BOOST_TEST(floor_fit.variance[0] == 0.0025, tt::tolerance(1e-6));
  BOOST_TEST(add_fit.variance[0] == 0.0030, tt::tolerance(1e-6));
}

// A well-separated sample from 0.7 N(0.2, 0.05^2) + 0.3 N(0.8, 0.1^2): EM recovers it.
BOOST_AUTO_TEST_CASE(converges_to_a_known_mixture) {
  std::vector<std::uint8_t> truth;
  const auto x = mixture_sample(4000, 0.7, 0.2, 0.05, 0.8, 0.1, 17, &truth);
  sg::gaussian_mixture_options o;
  o.tolerance = 1e-6;  // run to the fixed point, not sklearn's coarse stop
  const auto fit = sg::GaussianMixture(o).fit(x);
  BOOST_TEST(fit.converged);
  BOOST_TEST(fit.iterations < 100u);
  BOOST_TEST(fit.mean[0] == 0.2, tt::tolerance(0.03));
  BOOST_TEST(fit.mean[1] == 0.8, tt::tolerance(0.03));
  BOOST_TEST(fit.variance[0] == 0.0025, tt::tolerance(0.15));
  BOOST_TEST(fit.variance[1] == 0.01, tt::tolerance(0.15));
  BOOST_TEST(fit.weight[0] == 0.7, tt::tolerance(0.04));
  BOOST_TEST(fit.weight[1] == 0.3, tt::tolerance(0.1));
  double planted = 0.0;
  for (auto t : truth) planted += t;
  planted /= static_cast<double>(truth.size());
  BOOST_TEST(sg::noise_rate(fit, x) == planted, tt::tolerance(0.05));
  // The log-likelihood only grows: more iterations never give a lower one.
  o.max_iterations = 2;
  const auto early = sg::GaussianMixture(o).fit(x);
  BOOST_TEST(early.log_likelihood <= fit.log_likelihood + 1e-12);
  // sklearn's stopping rule (gain < 1e-2) stops earlier but near the same answer.
  const auto coarse = sg::GaussianMixture().fit(x);
  BOOST_TEST(coarse.converged);
  BOOST_TEST(coarse.iterations <= fit.iterations);
  BOOST_TEST(coarse.mean[1] == fit.mean[1], tt::tolerance(0.05));
}

BOOST_AUTO_TEST_CASE(constant_input_has_no_noisy_mass) {
  const std::vector<double> x(5, 0.25);
  const auto fit = sg::GaussianMixture().fit(x);
  BOOST_TEST(fit.weight[1] == 0.0);
  BOOST_TEST(fit.mean[0] == 0.25);
  BOOST_TEST(fit.converged);
  BOOST_TEST(sg::noise_rate(fit, x) == 0.0);
  BOOST_TEST(std::isfinite(fit.log_likelihood));
}

BOOST_AUTO_TEST_CASE(bad_input_and_options_are_named_errors) {
  const std::vector<double> empty;
  const std::vector<double> with_nan{0.1, std::nan(""), 0.3};
  const std::vector<double> with_inf{0.1, std::numeric_limits<double>::infinity()};
  const sg::GaussianMixture gmm;
  const auto field_is = [](const char* f) { return [f](const denoise::error& e) { return e.field() == f; }; };
  BOOST_CHECK_EXCEPTION(gmm.fit(empty), denoise::input_error, field_is("values"));
  BOOST_CHECK_EXCEPTION(gmm.fit(with_nan), denoise::input_error, field_is("values"));
  BOOST_CHECK_EXCEPTION(gmm.fit(with_inf), denoise::input_error, field_is("values"));
  const auto fit = gmm.fit(std::vector<double>{0, 1});
  BOOST_CHECK_EXCEPTION(sg::noise_rate(fit, empty), denoise::input_error, field_is("values"));
  BOOST_CHECK_EXCEPTION(sg::noise_rate(fit, with_nan), denoise::input_error, field_is("values"));
  BOOST_CHECK_EXCEPTION(sg::posterior_of_larger_mean(fit, std::nan("")), denoise::input_error, field_is("x"));

  sg::gaussian_mixture_options o;
  o.variance_floor = 0.0;
  BOOST_CHECK_EXCEPTION(sg::GaussianMixture{o}, denoise::config_error, field_is("variance_floor"));
  o = {};
  o.variance_floor = std::nan("");
  BOOST_CHECK_EXCEPTION(sg::GaussianMixture{o}, denoise::config_error, field_is("variance_floor"));
  o = {};
  o.max_iterations = 0;
  BOOST_CHECK_EXCEPTION(sg::GaussianMixture{o}, denoise::config_error, field_is("max_iterations"));
  o = {};
  o.tolerance = -1.0;
  BOOST_CHECK_EXCEPTION(sg::GaussianMixture{o}, denoise::config_error, field_is("tolerance"));
  o = {};
  o.max_init_iterations = 0;
  BOOST_CHECK_EXCEPTION(sg::GaussianMixture{o}, denoise::config_error, field_is("max_init_iterations"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(loss_normalization)

BOOST_AUTO_TEST_CASE(min_max_over_all) {
  std::vector<double> v{2.0, 4.0, 3.0, 6.0};
  sg::normalize_min_max(v);  // (x - 2) / 4
  const std::vector<double> expect{0.0, 0.5, 0.25, 1.0};
  BOOST_TEST(v == expect, tt::per_element());
  std::vector<double> constant(3, 7.5);
  sg::normalize_min_max(constant);
  BOOST_TEST(constant == std::vector<double>(3, 0.0), tt::per_element());
}

BOOST_AUTO_TEST_CASE(min_max_within_each_user) {
  // user 0: {1, 3, 2} -> {0, 1, 0.5}; user 2: {5} alone -> raw 5; user 1: {4, 4} constant -> 0;
  // user 3: {-1, 1} -> {0, 1}.
  std::vector<double> v{1.0, 4.0, 5.0, 3.0, -1.0, 4.0, 2.0, 1.0};
  const std::vector<denoise::index_t> users{0, 1, 2, 0, 3, 1, 0, 3};
  sg::normalize_min_max_per_user(v, users);
  const std::vector<double> expect{0.0, 0.0, 5.0, 1.0, 0.0, 0.0, 0.5, 1.0};
  BOOST_TEST(v == expect, tt::per_element());
}

BOOST_AUTO_TEST_CASE(normalization_errors_name_the_field) {
  const auto field_is = [](const char* f) { return [f](const denoise::error& e) { return e.field() == f; }; };
  std::vector<double> empty;
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max(empty), denoise::input_error, field_is("values"));
  std::vector<double> nan{1.0, std::nan("")};
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max(nan), denoise::input_error, field_is("values"));
  const std::vector<denoise::index_t> two{0, 1}, one{0}, negative{0, -1};
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max_per_user(nan, two), denoise::input_error, field_is("values"));
  std::vector<double> ok{1.0, 2.0};
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max_per_user(ok, one), denoise::input_error, field_is("users"));
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max_per_user(ok, negative), denoise::input_error, field_is("users"));
  BOOST_CHECK_EXCEPTION(sg::normalize_min_max_per_user(empty, {}), denoise::input_error, field_is("values"));
}

BOOST_AUTO_TEST_SUITE_END()
