// The soft (Gaussian) head of AutoDenoise-S: log-density by hand, its gradient w.r.t. (μ, s)
// against finite differences in both parametrisations, advantage scaling, sampling (mean and
// variance within bounds, weight = softplus(w), the same on every backend), bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/rl/selection/gaussian_weight.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {

template <class B, class V>
auto host_v(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(rl_gaussian_weight)

// head (μ, s) = (0.5, 1.2), w = 1.3:   variance: σ² = softplus(1.2);   stddev: σ = softplus(1.2).
DENOISE_TYPED_TEST(log_density_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  typename B::matrix head;
  typename B::vector w, out;
  B::from_host(std::vector<double>{0.5, 1.2}, 1, 2, head);
  B::from_host(std::vector<double>{1.3}, w);
  const double v = softplus(1.2), d = 0.8;
  const double pi = 3.14159265358979323846;
  rl::GaussianWeight::State<B> var(rl::GaussianWeight(rl::gaussian_scale::variance), 0);
  var.log_density(head, w, out);
  BOOST_TEST(host_v<B>(out)[0] == -0.5 * std::log(2 * pi * v) - d * d / (2 * v), boost::test_tools::tolerance(1e-12));
  rl::GaussianWeight::State<B> sd(rl::GaussianWeight(rl::gaussian_scale::stddev), 0);
  sd.log_density(head, w, out);
  BOOST_TEST(host_v<B>(out)[0] == -0.5 * std::log(2 * pi * v * v) - d * d / (2 * v * v),
             boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(gradient_matches_finite_differences, denoise::test::backend_list_double) {
  using B = TestType;
  const std::vector<double> h{0.5, 1.2, -1.0, -2.0, 2.0, 0.3, 0.0, 4.0};  // (μ, s) per row
  const std::vector<double> wv{1.3, -0.2, 1.1, -3.0};
  const std::vector<double> adv{1.0, -2.0, 0.5, 3.0};
  for (auto scale : {rl::gaussian_scale::variance, rl::gaussian_scale::stddev}) {
    rl::GaussianWeight::State<B> state(rl::GaussianWeight(scale), 0);
    typename B::matrix head, dhead, dhead_adv;
    typename B::vector w, a;
    B::from_host(h, 4, 2, head);
    B::from_host(wv, w);
    B::from_host(adv, a);
    state.score_dhead(head, w, 1.0, dhead);
    state.score_dhead(head, w, a, dhead_adv);
    std::vector<double> g, ga;
    B::to_host(dhead, g);
    B::to_host(dhead_adv, ga);
    const double eps = 1e-6;
    for (std::size_t i = 0; i < h.size(); ++i) {
      auto hp = h, hm = h;
      hp[i] += eps;
      hm[i] -= eps;
      typename B::matrix mp, mm;
      typename B::vector lp, lm;
      B::from_host(hp, 4, 2, mp);
      B::from_host(hm, 4, 2, mm);
      state.log_density(mp, w, lp);
      state.log_density(mm, w, lm);
      const std::size_t r = i / 2;
      const double fd = (host_v<B>(lp)[r] - host_v<B>(lm)[r]) / (2 * eps);
      BOOST_TEST(g[i] == fd, boost::test_tools::tolerance(1e-6));
      BOOST_TEST(ga[i] == adv[r] * g[i], boost::test_tools::tolerance(1e-12));
    }
  }
}

// w = μ + σ ε with ε standard normal: over 50,000 rows the sample mean lies within 5 standard
// errors of μ and the sample variance within 5 of its standard errors (2σ⁴/n) of σ².
DENOISE_TYPED_TEST(sampling_moments_and_determinism, denoise::test::backend_list_double) {
  using B = TestType;
  const std::size_t n = 50000;
  const double mu = 0.7, s = -0.4;
  std::vector<double> h;
  std::vector<index_t> id(n);
  for (std::size_t r = 0; r < n; ++r) {
    h.push_back(mu);
    h.push_back(s);
    id[r] = static_cast<index_t>(r);
  }
  typename B::matrix head;
  typename B::index_vector ids;
  typename B::vector w, weight;
  B::from_host(h, static_cast<index_t>(n), 2, head);
  B::from_host(id, ids);
  rl::GaussianWeight::State<B> state(rl::GaussianWeight{}, 11);
  state.sample(head, ids, w, weight);
  const auto wh = host_v<B>(w);
  const auto weights = host_v<B>(weight);
  double sum = 0, sq = 0;
  for (std::size_t r = 0; r < n; ++r) {
    sum += wh[r];
    BOOST_TEST(weights[r] == softplus(wh[r]), boost::test_tools::tolerance(1e-12));
  }
  const double mean = sum / double(n);
  for (double x : wh) sq += (x - mean) * (x - mean);
  const double var = sq / double(n - 1);
  const double v = softplus(s);  // σ² (variance parametrisation, the default)
  BOOST_TEST(std::fabs(mean - mu) <= 5 * std::sqrt(v / double(n)));
  BOOST_TEST(std::fabs(var - v) <= 5 * std::sqrt(2 * v * v / double(n)));

  // The same draw on the reference backend gives the same numbers.
  using Ref = backends::Eigen<double>;
  typename Ref::matrix rhead;
  typename Ref::index_vector rids;
  typename Ref::vector rw, rweight;
  Ref::from_host(h, static_cast<index_t>(n), 2, rhead);
  Ref::from_host(id, rids);
  rl::GaussianWeight::State<Ref> ref(rl::GaussianWeight{}, 11);
  ref.sample_at(rhead, rids, 0, rw, rweight);
  BOOST_TEST(wh == rw, boost::test_tools::per_element());
  state.sample(head, ids, w, weight);  // the next draw differs
  BOOST_TEST(host_v<B>(w)[0] != wh[0]);
}

DENOISE_TYPED_TEST(bad_input, denoise::test::backend_list_float) {
  using B = TestType;
  rl::GaussianWeight::State<B> state(rl::GaussianWeight{}, 0);
  typename B::matrix head(3, 1), dhead;
  typename B::vector w(3), weight;
  typename B::index_vector ids(3);
  try {
    state.sample(head, ids, w, weight);
    BOOST_FAIL("a 1-column head accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "head");
  }
  head.resize(3, 2);
  B::fill(head, 0.f);
  typename B::vector shortw(2);
  try {
    state.score_dhead(head, shortw, 1.f, dhead);
    BOOST_FAIL("mismatched w accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "w");
  }
  typename B::index_vector short_ids(2);
  try {
    state.sample(head, short_ids, w, weight);
    BOOST_FAIL("mismatched ids accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "ids");
  }
}

BOOST_AUTO_TEST_SUITE_END()
