// Losses: hand-computed values, gradients against central finite differences on every CPU
// backend (double), numerical stability, the sample -> anchor mapping and run-time errors.
#include "support/backend_list.hpp"

#include <denoise/losses/losses.hpp>
#include <denoise/losses/static_checks.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dl = denoise::losses;
using denoise::test::backend_list_double;

namespace {

template <class B>
typename B::vector device(const std::vector<typename B::scalar>& host) {
  typename B::vector v;
  B::from_host(host, v);
  return v;
}
template <class B>
std::vector<typename B::scalar> host(const typename B::vector& v) {
  std::vector<typename B::scalar> out;
  B::to_host(v, out);
  return out;
}

// Weighted loss sum_s w_s l_s for given logits.
template <class Loss, class B>
double weighted_loss(const std::vector<double>& z, const std::vector<double>& y, const std::vector<double>& w,
                     const dl::layout& l) {
  typename B::vector loss, pred, pos;
  Loss::template forward<B>(device<B>(z), device<B>(y), l, loss, pred, pos);
  const auto h = host<B>(loss);
  double total = 0;
  for (std::size_t s = 0; s < h.size(); ++s) total += w[s] * h[s];
  return total;
}

template <class Loss, class B>
void check_gradient(const dl::layout& l) {
  denoise::random::counter_stream rs(17);
  std::vector<double> z(l.logits()), y(l.logits()), w(Loss::sample_count(l));
  for (std::size_t i = 0; i < z.size(); ++i) {
    z[i] = 3.0 * (rs.uniform<double>(i) - 0.5);
    y[i] = i % l.group_size == 0 ? 1.0 : 0.0;
  }
  for (std::size_t s = 0; s < w.size(); ++s) w[s] = rs.uniform<double>(1000 + s) * 2.0;
  const double scale = 0.7;
  typename B::vector dz;
  Loss::template backward<B>(device<B>(z), device<B>(y), l, device<B>(w), scale, dz);
  const auto analytic = host<B>(dz);
  BOOST_REQUIRE_EQUAL(analytic.size(), z.size());
  const double h = 1e-6;
  for (std::size_t i = 0; i < z.size(); ++i) {
    auto zp = z, zm = z;
    zp[i] += h;
    zm[i] -= h;
    const double numeric =
        scale * (weighted_loss<Loss, B>(zp, y, w, l) - weighted_loss<Loss, B>(zm, y, w, l)) / (2 * h);
    BOOST_TEST(analytic[i] == numeric, boost::test_tools::tolerance(1e-6));
  }
}

// tangent(): loss_dot_s against central differences of l_s(z + t z_dot) in t.
template <class Loss, class B>
void check_tangent(const dl::layout& l) {
  static_assert(dl::has_tangent_v<Loss, B>);
  denoise::random::counter_stream rs(29);
  std::vector<double> z(l.logits()), y(l.logits()), zdot(l.logits());
  for (std::size_t i = 0; i < z.size(); ++i) {
    z[i] = 3.0 * (rs.uniform<double>(i) - 0.5);
    zdot[i] = 2.0 * (rs.uniform<double>(500 + i) - 0.5);
    y[i] = i % l.group_size == 0 ? 1.0 : 0.0;
  }
  typename B::vector out;
  Loss::template tangent<B>(device<B>(z), device<B>(y), l, device<B>(zdot), out);
  const auto analytic = host<B>(out);
  BOOST_REQUIRE_EQUAL(analytic.size(), Loss::sample_count(l));
  const double h = 1e-6;
  std::vector<double> zp(z), zm(z);
  for (std::size_t i = 0; i < z.size(); ++i) {
    zp[i] = z[i] + h * zdot[i];
    zm[i] = z[i] - h * zdot[i];
  }
  typename B::vector lp, lm, pred, pos;
  Loss::template forward<B>(device<B>(zp), device<B>(y), l, lp, pred, pos);
  Loss::template forward<B>(device<B>(zm), device<B>(y), l, lm, pred, pos);
  const auto hp = host<B>(lp), hm = host<B>(lm);
  for (std::size_t s = 0; s < analytic.size(); ++s) {
    BOOST_TEST(analytic[s] == (hp[s] - hm[s]) / (2 * h), boost::test_tools::tolerance(1e-6));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(losses)

DENOISE_TYPED_TEST(tangents_match_finite_differences, backend_list_double) {
  using B = TestType;
  check_tangent<dl::BCE, B>(dl::layout{4, 3});
  check_tangent<dl::BPR, B>(dl::layout{4, 3});
  check_tangent<dl::SampledSoftmax, B>(dl::layout{4, 3});
  check_tangent<dl::BPR, B>(dl::layout{5, 2});
  // by hand: BCE at z = 0, y = 1: (1/2 - 1) * 2 = -1
  typename B::vector out;
  dl::BCE::tangent<B>(device<B>({0.0}), device<B>({1.0}), dl::layout{1, 1}, device<B>({2.0}), out);
  BOOST_TEST(host<B>(out)[0] == -1.0, boost::test_tools::tolerance(1e-12));
  BOOST_CHECK_THROW(dl::BCE::tangent<B>(device<B>({0.0, 1.0}), device<B>({1.0, 0.0}), dl::layout{2, 1},
                                        device<B>({1.0}), out),
                    denoise::config_error);
}

DENOISE_TYPED_TEST(bce_hand_values, backend_list_double) {
  using B = TestType;
  typename B::vector loss, pred, pos;
  dl::BCE::forward<B>(device<B>({0.0, 2.0, -1.0}), device<B>({1.0, 0.0, 1.0}), dl::layout{3, 1}, loss, pred, pos);
  const auto l = host<B>(loss);
  BOOST_TEST(l[0] == std::log(2.0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(l[1] == std::log1p(std::exp(2.0)), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(l[2] == std::log1p(std::exp(1.0)), boost::test_tools::tolerance(1e-12));
  const auto p = host<B>(pred);
  BOOST_TEST(p[1] == 1.0 / (1.0 + std::exp(-2.0)), boost::test_tools::tolerance(1e-12));
  const auto f = host<B>(pos);
  BOOST_TEST(f[0] == 1.0);
  BOOST_TEST(f[1] == 0.0);
}

DENOISE_TYPED_TEST(bpr_and_softmax_hand_values, backend_list_double) {
  using B = TestType;
  typename B::vector loss, pred, pos;
  // One group: positive logit 1, negatives -1 and 0.
  const auto z = device<B>({1.0, -1.0, 0.0});
  const auto y = device<B>({1.0, 0.0, 0.0});
  dl::BPR::forward<B>(z, y, dl::layout{1, 3}, loss, pred, pos);
  auto l = host<B>(loss);
  BOOST_REQUIRE_EQUAL(l.size(), 2u);
  BOOST_TEST(l[0] == std::log1p(std::exp(-2.0)), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(l[1] == std::log1p(std::exp(-1.0)), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(host<B>(pred)[0] == 1.0 / (1.0 + std::exp(-2.0)), boost::test_tools::tolerance(1e-12));
  dl::SampledSoftmax::forward<B>(z, y, dl::layout{1, 3}, loss, pred, pos);
  l = host<B>(loss);
  BOOST_REQUIRE_EQUAL(l.size(), 1u);
  const double total = std::exp(1.0) + std::exp(-1.0) + 1.0;
  BOOST_TEST(l[0] == std::log(total) - 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(host<B>(pred)[0] == std::exp(1.0) / total, boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(gradients_match_finite_differences, backend_list_double) {
  using B = TestType;
  check_gradient<dl::BCE, B>(dl::layout{4, 3});
  check_gradient<dl::BPR, B>(dl::layout{4, 3});
  check_gradient<dl::SampledSoftmax, B>(dl::layout{4, 3});
  check_gradient<dl::BPR, B>(dl::layout{5, 2});
}

DENOISE_TYPED_TEST(extreme_logits_stay_finite, backend_list_double) {
  using B = TestType;
  typename B::vector loss, pred, pos, dz;
  const auto z = device<B>({1000.0, -1000.0, -1000.0, 1000.0});
  const auto y = device<B>({1.0, 0.0, 1.0, 0.0});
  const auto w = device<B>({1.0, 1.0, 1.0, 1.0});
  dl::BCE::forward<B>(z, y, dl::layout{4, 1}, loss, pred, pos);
  const auto l = host<B>(loss);
  BOOST_TEST(l[0] == 0.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(l[2] == 1000.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(l[3] == 1000.0, boost::test_tools::tolerance(1e-12));
  dl::BCE::backward<B>(z, y, dl::layout{4, 1}, w, 1.0, dz);
  for (double d : host<B>(dz)) BOOST_TEST(std::isfinite(d));
  dl::SampledSoftmax::forward<B>(z, y, dl::layout{2, 2}, loss, pred, pos);
  for (double v : host<B>(loss)) BOOST_TEST(std::isfinite(v));
}

// Float BCE takes the vectorizable exp/log1p of core/fast_math.hpp: loss, prediction and gradient
// against double-precision libm values over logits from -100 to 100 (and +-1000), both labels.
DENOISE_TYPED_TEST(float_bce_matches_double_precision_libm, denoise::test::backend_list_float) {
  using B = TestType;
  std::vector<float> zs, ys, ws;
  for (int k = -10000; k <= 10000; ++k) {
    for (float label : {0.0f, 1.0f}) {
      zs.push_back(static_cast<float>(k) * 0.01f);
      ys.push_back(label);
      ws.push_back(1.0f);
    }
  }
  for (float z : {1000.0f, -1000.0f}) {
    for (float label : {0.0f, 1.0f}) {
      zs.push_back(z);
      ys.push_back(label);
      ws.push_back(1.0f);
    }
  }
  const dl::layout l{zs.size(), 1};
  typename B::vector loss, pred, pos, dz;
  const auto z = device<B>(zs), y = device<B>(ys);
  dl::BCE::forward<B>(z, y, l, loss, pred, pos);
  dl::BCE::backward<B>(z, y, l, device<B>(ws), 1.0f, dz);
  const auto got_loss = host<B>(loss), got_pred = host<B>(pred), got_dz = host<B>(dz);
  // Error relative to `scale` where that is a normal float, absolute below (denormals are flushed).
  // The loss softplus(z) - y z and the gradient sigmoid(z) - y cancel in float (libm's too), so
  // their scale is the larger of the two terms.
  const auto error = [](float got, double exact, double scale) {
    const double a = std::fabs(static_cast<double>(got) - exact);
    return scale > 1e-37 ? a / scale : a;
  };
  double worst_loss = 0, worst_pred = 0, worst_dz = 0;
  for (std::size_t i = 0; i < zs.size(); ++i) {
    const double zi = zs[i], yi = ys[i];
    const double sigmoid = zi >= 0 ? 1.0 / (1.0 + std::exp(-zi)) : std::exp(zi) / (1.0 + std::exp(zi));
    const double softplus = std::max(zi, 0.0) + std::log1p(std::exp(-std::fabs(zi)));
    worst_loss = std::max(worst_loss, error(got_loss[i], softplus - yi * zi, std::max(softplus, std::fabs(yi * zi))));
    worst_pred = std::max(worst_pred, error(got_pred[i], sigmoid, sigmoid));
    worst_dz = std::max(worst_dz, error(got_dz[i], sigmoid - yi, std::max(sigmoid, yi)));
  }
  BOOST_TEST_MESSAGE("float BCE worst relative errors: loss " << worst_loss << ", prediction " << worst_pred
                                                              << ", gradient " << worst_dz);
  BOOST_TEST(worst_loss < 1e-6);
  BOOST_TEST(worst_pred < 1e-6);
  BOOST_TEST(worst_dz < 1e-6);
}

BOOST_AUTO_TEST_CASE(anchors_point_at_the_positive_of_each_sample) {
  const dl::layout l{3, 4};  // 3 positives, 3 negatives each
  BOOST_TEST(dl::BCE::anchor(5, l) == 5u);
  BOOST_TEST(dl::BPR::sample_count(l) == 9u);
  BOOST_TEST(dl::BPR::anchor(0, l) == 0u);
  BOOST_TEST(dl::BPR::anchor(4, l) == 4u);  // second positive's second pair -> logit 4
  BOOST_TEST(dl::BPR::anchor(8, l) == 8u);
  BOOST_TEST(dl::SampledSoftmax::anchor(2, l) == 8u);
}

BOOST_AUTO_TEST_CASE(shape_errors_are_config_errors) {
  using B = denoise::backends::Eigen<double>;
  typename B::vector loss, pred, pos;
  BOOST_CHECK_THROW(dl::BCE::forward<B>(device<B>({0.0, 1.0, 2.0}), device<B>({1.0, 0.0, 0.0}), dl::layout{2, 2}, loss,
                                        pred, pos),
                    denoise::config_error);
  BOOST_CHECK_THROW(dl::BPR::forward<B>(device<B>({0.0, 1.0}), device<B>({1.0, 1.0}), dl::layout{2, 1}, loss, pred, pos),
                    denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
