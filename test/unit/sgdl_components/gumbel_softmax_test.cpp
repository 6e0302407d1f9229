// The straight-through Gumbel-softmax sampler of SGDL's scheduler on every CPU backend: the noise
// formula, one-hot rows at the argmax, the straight-through gradient against finite differences
// with the noise held fixed, determinism, the Gumbel-max frequencies, small temperatures, errors.
#include "support/backend_list.hpp"
#include "support/host_device.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/core/threads.hpp>
#include <denoise/methods/sgdl/gumbel_softmax.hpp>

namespace sg = denoise::methods::sgdl;
namespace tt = boost::test_tools;
using denoise::test::backend_list_double;
using denoise::test::backend_list_float;

namespace {

using denoise::test::device;
using denoise::test::host;


// softmax((logits + g[r]) / tau) of one row, on the host in double.
std::vector<double> soft_row(const std::vector<double>& logits, const double* g, double tau) {
  const std::size_t m = logits.size();
  std::vector<double> z(m);
  for (std::size_t j = 0; j < m; ++j) z[j] = (logits[j] + g[j]) / tau;
  double top = -std::numeric_limits<double>::infinity();
  for (double v : z) top = std::max(top, v);
  double total = 0.0;
  for (double& v : z) total += (v = std::exp(v - top));
  for (double& v : z) v /= total;
  return z;
}

const std::vector<double> logits5{0.3, -1.2, 0.8, 0.0, 0.5};

}  // namespace

BOOST_AUTO_TEST_SUITE(sgdl_gumbel_softmax)

DENOISE_TYPED_TEST(forward_rows_are_one_hot_at_the_argmax, backend_list_double) {
  using B = TestType;
  const double tau = 0.7;
  const std::size_t draws = 40, m = logits5.size();
  const std::uint64_t seed = 1234;
  sg::StraightThroughGumbel<B> gumbel;
  typename B::matrix hard;
  gumbel.forward(device<B>(logits5), draws, tau, seed, hard);
  BOOST_TEST(hard.rows() == static_cast<denoise::index_t>(draws));
  BOOST_TEST(hard.cols() == static_cast<denoise::index_t>(m));
  const auto h = host<B>(hard), s = host<B>(gumbel.soft()), g = host<B>(gumbel.noise());
  const denoise::random::counter_stream stream(seed);
  for (std::size_t r = 0; r < draws; ++r) {
    // the noise is the stated formula on the counter stream's number r * m + j
    for (std::size_t j = 0; j < m; ++j) {
      const double u = stream.uniform<double>(r * m + j);
      BOOST_TEST(g[r * m + j] == -std::log(-std::log(u + 1e-20) + 1e-20), tt::tolerance(1e-12));
    }
    const auto expect = soft_row(logits5, g.data() + r * m, tau);
    std::size_t best = 0;
    double ones = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
      BOOST_TEST(s[r * m + j] == expect[j], tt::tolerance(1e-10));
      if ((logits5[j] + g[r * m + j]) / tau > (logits5[best] + g[r * m + best]) / tau) best = j;
      ones += h[r * m + j];
      BOOST_TEST((h[r * m + j] == 0.0 || h[r * m + j] == 1.0));
    }
    BOOST_TEST(ones == 1.0);
    BOOST_TEST(h[r * m + best] == 1.0);
  }
}

// Single precision takes math::fast_log / fast_exp in vectorized loops: the same formula within
// float precision, on rows long enough for the vector loops and their tails, with a temperature
// small enough that most exponentials underflow.
DENOISE_TYPED_TEST(float_rows_follow_the_formula_within_float_precision, backend_list_float) {
  using B = TestType;
  for (const std::size_t m : {std::size_t(1), std::size_t(13), std::size_t(300)}) {
    for (const double tau : {1.0, 0.05}) {
      std::vector<double> logits(m);
      for (std::size_t j = 0; j < m; ++j) logits[j] = std::sin(static_cast<double>(j) * 1.7) * 2.0;
      const std::size_t draws = 25;
      const std::uint64_t seed = 99;
      sg::StraightThroughGumbel<B> gumbel;
      typename B::matrix hard;
      gumbel.forward(device<B>(logits), draws, tau, seed, hard);
      const auto h = host<B>(hard), s = host<B>(gumbel.soft()), g = host<B>(gumbel.noise());
      const denoise::random::counter_stream stream(seed);
      for (std::size_t r = 0; r < draws; ++r) {
        double top = -std::numeric_limits<double>::infinity(), chosen = top, ones = 0.0;
        for (std::size_t j = 0; j < m; ++j) {
          const auto u = static_cast<double>(stream.uniform<float>(r * m + j));
          const double exact = -std::log(-std::log(u + 1e-20) + 1e-20);
          BOOST_TEST(std::fabs(g[r * m + j] - exact) <= 2e-6 * std::max(1.0, std::fabs(exact)));
          const double z = (logits[j] + g[r * m + j]) / tau;
          top = std::max(top, z);
          if (h[r * m + j] == 1.0) chosen = z;
          ones += h[r * m + j];
        }
        BOOST_TEST(ones == 1.0);
        BOOST_TEST(chosen >= top - 1e-5 * std::max(1.0, std::fabs(top)));  // the argmax, up to float rounding
        // z is rounded to float (ulp(140) / 2 = 8e-6 at tau 0.05), hence 5e-5 relative.
        const auto expect = soft_row(logits, g.data() + r * m, tau);
        for (std::size_t j = 0; j < m; ++j) BOOST_TEST(std::fabs(s[r * m + j] - expect[j]) <= 5e-5 * expect[j] + 1e-30);
      }
    }
  }
}

// backward = the gradient of f(logits) = sum(dhard ⊙ soft(logits)) with the noise held fixed,
// checked by central differences of f computed on the host from the forward's noise.
DENOISE_TYPED_TEST(backward_matches_finite_differences_of_the_soft_sample, backend_list_double) {
  using B = TestType;
  const std::size_t draws = 6, m = logits5.size();
  for (double tau : {1.0, 0.3, 0.05}) {
    sg::StraightThroughGumbel<B> gumbel;
    typename B::matrix hard;
    gumbel.forward(device<B>(logits5), draws, tau, 77, hard);
    const auto g = host<B>(gumbel.noise());
    std::vector<double> dhard(draws * m);
    const denoise::random::counter_stream up(5);
    for (std::size_t k = 0; k < dhard.size(); ++k) dhard[k] = 2.0 * up.uniform<double>(k) - 1.0;
    typename B::matrix dh;
    std::vector<typename B::scalar> dh_host(dhard.begin(), dhard.end());
    B::from_host(dh_host, static_cast<denoise::index_t>(draws), static_cast<denoise::index_t>(m), dh);
    typename B::vector dlogits;
    gumbel.backward(dh, dlogits);
    const auto analytic = host<B>(dlogits);
    BOOST_TEST_REQUIRE(analytic.size() == m);

    const auto f = [&](const std::vector<double>& l) {
      double sum = 0.0;
      for (std::size_t r = 0; r < draws; ++r) {
        const auto s = soft_row(l, g.data() + r * m, tau);
        for (std::size_t j = 0; j < m; ++j) sum += dhard[r * m + j] * s[j];
      }
      return sum;
    };
    const double eps = 1e-6 * tau;
    for (std::size_t j = 0; j < m; ++j) {
      auto plus = logits5, minus = logits5;
      plus[j] += eps;
      minus[j] -= eps;
      const double numeric = (f(plus) - f(minus)) / (2.0 * eps);
      // central differences: truncation ~eps^2, rounding ~1e-16 / eps; relative where not tiny
      if (std::abs(numeric) > 1e-3) BOOST_TEST(analytic[j] == numeric, tt::tolerance(1e-6));
      BOOST_TEST(std::abs(analytic[j] - numeric) < 1e-7 / tau);
    }
  }
}

DENOISE_TYPED_TEST(same_seed_same_draws_at_any_thread_count, backend_list_float) {
  using B = TestType;
  const std::vector<double> logits(300, 0.0);
  const auto run = [&](std::uint64_t seed, int threads) {
    const denoise::threads::scoped t(threads);
    sg::StraightThroughGumbel<B> gumbel;
    typename B::matrix hard;
    gumbel.forward(device<B>(logits), 64, 1.0, seed, hard);
    return std::make_pair(host<B>(hard), host<B>(gumbel.soft()));
  };
  denoise::threads::set_grain(64);  // let 64 rows really spread over two threads
  const auto a = run(8, 1), b = run(8, 2), c = run(9, 1);
  denoise::threads::set_grain(0);
  BOOST_TEST((a.first == b.first));
  BOOST_TEST((a.second == b.second));  // bit-identical
  BOOST_TEST((a.first != c.first));
}

// Gumbel-max: the argmax of logits + g is distributed as softmax(logits), whatever tau.
DENOISE_TYPED_TEST(hard_rows_follow_the_softmax_of_the_logits, backend_list_double) {
  using B = TestType;
  const std::vector<double> p{0.5, 0.3, 0.15, 0.05};
  std::vector<double> logits;
  for (double q : p) logits.push_back(std::log(q) + 2.0);  // a shift changes nothing
  const std::size_t draws = 20000;
  for (double tau : {1.0, 0.05}) {
    sg::StraightThroughGumbel<B> gumbel;
    typename B::matrix hard;
    gumbel.forward(device<B>(logits), draws, tau, 31, hard);
    typename B::vector counts;
    B::col_sum(hard, counts);
    const auto c = host<B>(counts);
    for (std::size_t j = 0; j < p.size(); ++j) {
      // binomial sd <= sqrt(0.25 / 20000) = 0.0035: 0.015 is over 4 sd
      BOOST_TEST(std::abs(c[j] / static_cast<double>(draws) - p[j]) < 0.015);
    }
  }
}

DENOISE_TYPED_TEST(small_temperature_makes_soft_close_to_hard, backend_list_double) {
  using B = TestType;
  const std::size_t draws = 200;
  double previous = std::numeric_limits<double>::infinity();
  for (double tau : {1.0, 0.1, 0.01, 1e-4}) {
    sg::StraightThroughGumbel<B> gumbel;
    typename B::matrix hard;
    gumbel.forward(device<B>(logits5), draws, tau, 3, hard);
    const auto h = host<B>(hard), s = host<B>(gumbel.soft());
    double gap = 0.0;
    for (std::size_t k = 0; k < h.size(); ++k) gap += std::abs(h[k] - s[k]);
    gap /= static_cast<double>(draws);
    BOOST_TEST(gap < previous);  // shrinks with tau
    previous = gap;
  }
  BOOST_TEST(previous < 1e-3);  // mean L1 distance per row at tau = 1e-4
}

DENOISE_TYPED_TEST(misuse_is_a_named_error, backend_list_double) {
  using B = TestType;
  const auto field_is = [](const char* f) { return [f](const denoise::error& e) { return e.field() == f; }; };
  sg::StraightThroughGumbel<B> gumbel;
  typename B::matrix hard, dh;
  typename B::vector dlogits;
  BOOST_CHECK_EXCEPTION(gumbel.backward(hard, dlogits), denoise::config_error, field_is("dhard"));
  const auto l = device<B>(logits5);
  BOOST_CHECK_EXCEPTION(gumbel.forward(l, 3, 0.0, 1, hard), denoise::config_error, field_is("tau"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(l, 3, -1.0, 1, hard), denoise::config_error, field_is("tau"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(l, 3, std::nan(""), 1, hard), denoise::config_error, field_is("tau"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(l, 0, 1.0, 1, hard), denoise::config_error, field_is("draws"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(device<B>({}), 3, 1.0, 1, hard), denoise::config_error, field_is("logits"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(device<B>({0.1, std::nan("")}), 3, 1.0, 1, hard), denoise::input_error,
                        field_is("logits"));
  BOOST_CHECK_EXCEPTION(gumbel.forward(device<B>({0.1, std::numeric_limits<double>::infinity()}), 3, 1.0, 1, hard),
                        denoise::input_error, field_is("logits"));
  gumbel.forward(l, 3, 1.0, 1, hard);
  B::from_host(std::vector<typename B::scalar>(10, 0), 2, 5, dh);
  BOOST_CHECK_EXCEPTION(gumbel.backward(dh, dlogits), denoise::config_error, field_is("dhard"));
}

BOOST_AUTO_TEST_SUITE_END()
