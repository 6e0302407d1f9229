// nn::per_sample over the built-in models and losses, on every CPU backend (double):
//   (b) the weighted gradient equals the sum of explicit per-sample gradients;
//   (c) direction products: exact (model jvp + Loss::tangent) against finite differences with
//       mask replay (NeuMF with dropout in training mode), and against explicit gradients;
//   (d) per-sample gradient cosines against a brute-force computation, 1 at identical points,
//       and a hand-checkable MF case; the model's values, gradients and workspace are left intact.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/losses/losses.hpp>
#include <denoise/models/cdae.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/nn/per_sample.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {

template <class B>
models::NeuMF<B> neumf(double dropout, std::uint64_t seed) {
  models::neumf_options o;
  o.factor = 4;
  o.layers = 2;
  o.dropout = dropout;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  models::NeuMF<B> m(7, 10, o, seed);
  // non-zero biases: with zero biases a tower unit whose inputs are all dropped or dead sits
  // exactly on ReLU's kink, where finite differences and the (sub)gradient disagree
  m.visit_parameters([](nn::param_ref<B> p) {
    if (p.value.rows() == 1) B::fill_uniform(p.value, 17, typename B::scalar(-0.2), typename B::scalar(0.3));
  });
  return m;
}

template <class B>
models::MF<B> mf(std::uint64_t seed, bool biases = true) {
  models::mf_options o;
  o.factor = 3;
  o.user_bias = o.item_bias = o.global_bias = biases;
  o.embedding_init = nn::init::normal(0.0, 0.7);
  return models::MF<B>(7, 10, o, seed);
}

/// groups x group_size logits: a positive (label 1) then negatives (label 0) per group.
template <class B>
struct labelled_batch {
  data::pair_batch<B> pairs;
  typename B::vector labels;
  losses::layout layout;
  labelled_batch(index_t users, index_t items, std::size_t groups, std::size_t group_size, std::uint64_t seed)
      : pairs(random_batch<B>(users, items, groups * group_size, seed)), layout{groups, group_size} {
    std::vector<typename B::scalar> y(groups * group_size);
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = k % group_size == 0 ? 1 : 0;
    B::from_host(y, labels);
  }
};

template <class B, class Model>
nn::param_set<B> random_direction(Model& model, std::uint64_t seed) {
  nn::param_set<B> d;
  d.zeros_like(model);
  for (std::size_t p = 0; p < d.size(); ++p) B::fill_normal(d[p], seed + p);
  return d;
}

template <class B, class Model>
std::vector<std::vector<double>> flat_grads(Model& model) {
  std::vector<std::vector<double>> out;
  model.visit_parameters([&](nn::param_ref<B> p) {
    const auto h = host_of<B>(p.grad.values());
    out.emplace_back(h.begin(), h.end());
  });
  return out;
}

template <class B, class Model>
std::vector<std::vector<double>> flat_values(Model& model) {
  std::vector<std::vector<double>> out;
  model.visit_parameters([&](nn::param_ref<B> p) {
    const auto h = host_of<B>(p.value.values());
    out.emplace_back(h.begin(), h.end());
  });
  return out;
}

double dot(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  double acc = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    for (std::size_t i = 0; i < a[p].size(); ++i) acc += a[p][i] * b[p][i];
  }
  return acc;
}

/// Each sample's gradient, explicitly: a one-hot weight vector through Loss::backward and backward().
template <class Loss, class Model, class B = typename Model::backend>
std::vector<std::vector<std::vector<double>>> explicit_sample_gradients(Model& model, typename Model::workspace& ws,
                                                                         const labelled_batch<B>& batch) {
  typename B::vector logits, dlogits;
  model.forward(batch.pairs, ws, logits);
  const std::size_t n = Loss::sample_count(batch.layout);
  std::vector<std::vector<std::vector<double>>> out;
  for (std::size_t s = 0; s < n; ++s) {
    std::vector<typename B::scalar> w(n, 0);
    w[s] = 1;
    Loss::template backward<B>(logits, batch.labels, batch.layout, to_vector<B>(w), typename B::scalar(1), dlogits);
    nn::zero_grad<B>(model);
    model.backward(ws, dlogits);
    out.push_back(flat_grads<B>(model));
  }
  return out;
}

template <class Loss, class Model>
void check_direction_products(Model& model, std::size_t groups, std::size_t group_size) {
  using B = typename Model::backend;
  const labelled_batch<B> batch(model.users(), model.items(), groups, group_size, 51);
  nn::per_sample<Model, Loss> exact(model);
  static_assert(nn::per_sample<Model, Loss>::exact_available);
  nn::per_sample_options fd_options;
  fd_options.mode = nn::jvp_mode::finite_difference;
  fd_options.eps = 1e-5;
  nn::per_sample<Model, Loss> numeric(model, fd_options);
  exact.forward(batch.pairs, batch.labels, batch.layout);
  const auto d = random_direction<B>(model, 700);
  typename B::vector e, f;
  exact.direction_products(d, e);
  const auto he = host_of<B>(e);
  BOOST_REQUIRE_EQUAL(he.size(), Loss::sample_count(batch.layout));
  // explicit gradients at exact's forward (its masks: replay on its own workspace)
  exact.ws().replay = true;
  const auto grads = explicit_sample_gradients<Loss>(model, exact.ws(), batch);
  exact.ws().replay = false;
  const auto hd = [&] {
    std::vector<std::vector<double>> out;
    for (std::size_t p = 0; p < d.size(); ++p) {
      const auto h = host_of<B>(d[p].values());
      out.emplace_back(h.begin(), h.end());
    }
    return out;
  }();
  for (std::size_t s = 0; s < he.size(); ++s) {
    BOOST_TEST(static_cast<double>(he[s]) == dot(grads[s], hd), boost::test_tools::tolerance(1e-9));
  }
  // finite differences with mask replay agree with the exact products at the same forward (the
  // numeric object drew its own masks: the exact product is taken on its workspace)
  numeric.forward(batch.pairs, batch.labels, batch.layout);
  typename B::vector numeric_exact;
  numeric.direction_products(d, f);
  {
    typename B::vector logit_tangent;
    model.jvp(numeric.ws(), d, logit_tangent);
    Loss::template tangent<B>(numeric.logits(), batch.labels, batch.layout, logit_tangent, numeric_exact);
  }
  const auto hf = host_of<B>(f), hn = host_of<B>(numeric_exact);
  BOOST_REQUIRE_EQUAL(hf.size(), hn.size());
  for (std::size_t s = 0; s < hf.size(); ++s) {
    BOOST_TEST(static_cast<double>(hf[s]) == static_cast<double>(hn[s]), boost::test_tools::tolerance(1e-6));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(nn_per_sample)

DENOISE_TYPED_TEST(weighted_gradient_is_the_sum_of_sample_gradients, backend_list_double) {
  using B = TestType;
  auto model = neumf<B>(0.3, 5);
  using Model = decltype(model);
  const labelled_batch<B> batch(7, 10, 4, 3, 61);
  nn::per_sample<Model, losses::BPR> ps(model);
  ps.forward(batch.pairs, batch.labels, batch.layout);
  BOOST_TEST(ps.samples() == 8u);
  std::vector<double> w{0.5, 1.0, 0.0, 2.0, 1.5, 0.25, 1.0, 3.0};
  nn::zero_grad<B>(model);
  ps.backward(to_vector<B>(std::vector<typename B::scalar>(w.begin(), w.end())), 0.5);
  const auto weighted = flat_grads<B>(model);
  ps.ws().replay = true;
  const auto grads = explicit_sample_gradients<losses::BPR>(model, ps.ws(), batch);
  for (std::size_t p = 0; p < weighted.size(); ++p) {
    for (std::size_t i = 0; i < weighted[p].size(); ++i) {
      double expect = 0;
      for (std::size_t s = 0; s < w.size(); ++s) expect += 0.5 * w[s] * grads[s][p][i];
      BOOST_TEST(weighted[p][i] == expect, boost::test_tools::tolerance(1e-9));
    }
  }
}

DENOISE_TYPED_TEST(direction_products_exact_and_finite_differences_agree, backend_list_double) {
  using B = TestType;
  {
    auto m = neumf<B>(0.2, 7);
    m.train();
    check_direction_products<losses::BCE>(m, 6, 2);
    check_direction_products<losses::BPR>(m, 4, 3);
    check_direction_products<losses::SampledSoftmax>(m, 4, 3);
  }
  {
    auto m = mf<B>(8);
    check_direction_products<losses::BCE>(m, 6, 2);
    check_direction_products<losses::BPR>(m, 4, 3);
    check_direction_products<losses::SampledSoftmax>(m, 4, 3);
  }
}

DENOISE_TYPED_TEST(gradient_cosines_against_brute_force, backend_list_double) {
  using B = TestType;
  auto model = neumf<B>(0.3, 9);
  using Model = decltype(model);
  const labelled_batch<B> batch(7, 10, 5, 2, 71);
  nn::per_sample<Model, losses::BCE> ps(model);
  ps.forward(batch.pairs, batch.labels, batch.layout);
  // a pending gradient that must survive, and the values at theta_a
  nn::zero_grad<B>(model);
  ps.backward(to_vector<B>(std::vector<typename B::scalar>(10, 1)));
  const auto grads_before = flat_grads<B>(model);
  const auto values_a = flat_values<B>(model);
  nn::param_set<B> theta_b;
  theta_b.copy_values(model);
  for (std::size_t p = 0; p < theta_b.size(); ++p) {
    typename B::matrix r(theta_b[p].rows(), theta_b[p].cols());
    B::fill_normal(r, 900 + p);
    B::axpy(typename B::scalar(0.2), r, theta_b[p]);
  }
  typename B::vector cosines, same;
  ps.gradient_cosines(theta_b, cosines);
  BOOST_TEST((flat_values<B>(model) == values_a), "theta_a not restored");
  BOOST_TEST((flat_grads<B>(model) == grads_before), "the pending gradients changed");
  // brute force: explicit per-sample gradients at both points with the same masks
  ps.ws().replay = true;
  const auto ga = explicit_sample_gradients<losses::BCE>(model, ps.ws(), batch);
  nn::param_set<B> theta_a;
  theta_a.copy_values(model);
  {
    std::size_t i = 0;
    model.visit_parameters([&](nn::param_ref<B> p) { B::copy(theta_b[i++], p.value); });
  }
  const auto gb = explicit_sample_gradients<losses::BCE>(model, ps.ws(), batch);
  {
    std::size_t i = 0;
    model.visit_parameters([&](nn::param_ref<B> p) { B::copy(theta_a[i++], p.value); });
  }
  ps.ws().replay = false;
  const auto hc = host_of<B>(cosines);
  BOOST_REQUIRE_EQUAL(hc.size(), 10u);
  for (std::size_t s = 0; s < hc.size(); ++s) {
    const double expect = dot(ga[s], gb[s]) / std::sqrt(dot(ga[s], ga[s]) * dot(gb[s], gb[s]));
    BOOST_TEST(static_cast<double>(hc[s]) == expect, boost::test_tools::tolerance(1e-9));
  }
  // identical points: every cosine is 1
  ps.gradient_cosines(theta_a, same);
  for (auto c : host_of<B>(same)) BOOST_TEST(static_cast<double>(c) == 1.0, boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(gradient_cosines_by_hand_for_mf, backend_list_double) {
  // MF without biases, BCE: grad l_s = (sigmoid(p.q) - y) (q in row u, p in row i). At theta_b = -theta_a
  // every logit p.q is unchanged and every gradient flips sign: each cosine is -1. At 2 theta_a the
  // logit is 4 p.q: sigmoid(4z) - y has the sign of sigmoid(z) - y and the gradient is parallel,
  // so each cosine is +1.
  using B = TestType;
  auto model = mf<B>(10, false);
  using Model = decltype(model);
  const labelled_batch<B> batch(7, 10, 6, 1, 81);
  nn::per_sample<Model, losses::BCE> ps(model);
  ps.forward(batch.pairs, batch.labels, batch.layout);
  nn::param_set<B> minus, twice;
  minus.copy_values(model);
  minus.scale(typename B::scalar(-1));
  twice.copy_values(model);
  twice.scale(typename B::scalar(2));
  typename B::vector c;
  ps.gradient_cosines(minus, c);
  for (auto x : host_of<B>(c)) BOOST_TEST(static_cast<double>(x) == -1.0, boost::test_tools::tolerance(1e-12));
  ps.gradient_cosines(twice, c);
  for (auto x : host_of<B>(c)) BOOST_TEST(static_cast<double>(x) == 1.0, boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(cdae_and_forced_modes, backend_list_double) {
  using B = TestType;
  std::vector<offset_t> offsets{0, 3, 5, 9, 10, 12, 15};
  std::vector<index_t> items{0, 2, 5, 1, 3, 0, 4, 6, 8, 7, 2, 3, 1, 5, 8};
  models::cdae_options o;
  o.hidden = 4;
  o.corruption = 0.4;
  o.user_init = nn::init::normal(0.0, 0.5);
  models::CDAE<B> model(6, 9, csr_view{offsets, items}, o, 2);
  check_direction_products<losses::BCE>(model, 6, 2);
  check_direction_products<losses::SampledSoftmax>(model, 3, 3);
  // before forward(): an error, not garbage
  nn::per_sample<models::CDAE<B>, losses::BCE> ps(model);
  nn::param_set<B> d;
  d.zeros_like(model);
  typename B::vector out;
  BOOST_CHECK_THROW(ps.direction_products(d, out), config_error);
  BOOST_CHECK_THROW(ps.gradient_cosines(d, out), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
