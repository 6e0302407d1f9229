// nn::per_sample over the built-in models and losses, on every CPU backend (double):
//   (b) the weighted gradient equals the sum of explicit per-sample gradients;
//   (c) direction products: exact (model jvp + Loss::tangent) against finite differences with
//       mask replay (NeuMF with dropout in training mode), and against explicit gradients;
//   (d) per-sample gradient cosines against a brute-force computation, 1 at identical points,
//       and a hand-checkable MF case; the model's values, gradients and workspace are left intact;
//       the factored path (Model::logit_gradients) against the brute-force path on MF, GMF,
//       NeuMF (dropout, train and eval), LightGCN and CDAE (corruption, train and eval) with BCE, BPR and sampled softmax, at far-apart and
//       identical points and where a sample's gradient is zero at one point or both; the MLP's
//       row-wise backward (mlp_logit_gradients) against MLP::backward; forced paths that cannot
//       run are errors.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/losses/losses.hpp>
#include <denoise/models/cdae.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/lightgcn.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/nn/mlp_logit_gradients.hpp>
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


template <class B>
models::GMF<B> gmf(std::uint64_t seed) {
  models::gmf_options o;
  o.factor = 3;
  o.embedding_init = nn::init::normal(0.0, 0.7);
  models::GMF<B> m(7, 10, o, seed);
  B::fill(m.output_layer().bias(), typename B::scalar(0.3));
  return m;
}

/// theta_a + scale * N(0, 1) noise, part by part.
template <class B, class Model>
nn::param_set<B> moved_values(Model& model, double scale, std::uint64_t seed) {
  nn::param_set<B> theta;
  theta.copy_values(model);
  for (std::size_t p = 0; p < theta.size(); ++p) {
    typename B::matrix r(theta[p].rows(), theta[p].cols());
    B::fill_normal(r, seed + p);
    B::axpy(static_cast<typename B::scalar>(scale), r, theta[p]);
  }
  return theta;
}

/// The factored and the brute-force cosines at theta_b, each from its own per_sample object on the
/// same masks (reset_masks() restarts the model's mask streams before each forward). Also checks
/// that the factored path leaves the values, the pending gradients and the workspace (a forward at
/// theta_a: its backward gives the same gradient again) as it found them.
template <class Loss, class Model, class ResetMasks>
void check_factored_cosines(Model& model, const labelled_batch<typename Model::backend>& batch,
                            const nn::param_set<typename Model::backend>& theta_b, ResetMasks reset_masks,
                            std::vector<double>* factored_out = nullptr) {
  using B = typename Model::backend;
  static_assert(nn::per_sample<Model, Loss>::factored_available);
  nn::per_sample_options fast_options, slow_options;
  fast_options.cosines = nn::gradient_cosine_mode::factored;
  slow_options.cosines = nn::gradient_cosine_mode::brute_force;
  nn::per_sample<Model, Loss> fast(model, fast_options), slow(model, slow_options);
  reset_masks();
  fast.forward(batch.pairs, batch.labels, batch.layout);
  reset_masks();
  slow.forward(batch.pairs, batch.labels, batch.layout);
  BOOST_REQUIRE((host_of<B>(fast.logits()) == host_of<B>(slow.logits())));
  const std::size_t n = fast.samples();
  std::vector<typename B::scalar> w(n);
  for (std::size_t s = 0; s < n; ++s) w[s] = static_cast<typename B::scalar>(0.5 + 0.25 * static_cast<double>(s % 3));
  nn::zero_grad<B>(model);
  fast.backward(to_vector<B>(w));
  const auto pending = flat_grads<B>(model);
  const auto values_a = flat_values<B>(model);
  typename B::vector f, b;
  fast.gradient_cosines(theta_b, f);
  BOOST_TEST((flat_values<B>(model) == values_a), "theta_a not restored");
  BOOST_TEST((flat_grads<B>(model) == pending), "the pending gradients changed");
  fast.backward(to_vector<B>(w));  // on the workspace: a forward at theta_a again, so 2 x pending
  {
    const auto twice = flat_grads<B>(model);
    for (std::size_t p = 0; p < twice.size(); ++p) {
      for (std::size_t i = 0; i < twice[p].size(); ++i) {
        BOOST_TEST(twice[p][i] == 2 * pending[p][i], boost::test_tools::tolerance(1e-12));
      }
    }
  }
  slow.gradient_cosines(theta_b, b);
  const auto hf = host_of<B>(f), hb = host_of<B>(b);
  BOOST_REQUIRE_EQUAL(hf.size(), n);
  BOOST_REQUIRE_EQUAL(hb.size(), n);
  for (std::size_t s = 0; s < n; ++s) {
    BOOST_TEST(static_cast<double>(hf[s]) == static_cast<double>(hb[s]), boost::test_tools::tolerance(1e-9));
    BOOST_TEST(std::abs(static_cast<double>(hf[s])) <= 1.0 + 1e-12);
  }
  if (factored_out != nullptr) factored_out->assign(hf.begin(), hf.end());
}

/// check_factored_cosines for every built-in loss (BCE, BPR with two negatives, sampled softmax),
/// at a far point, at a near one and at theta_a itself (every cosine 1).
template <class Model, class ResetMasks>
void check_factored_cosines_all_losses(Model& model, ResetMasks reset_masks) {
  using B = typename Model::backend;
  const labelled_batch<B> bce_batch(model.users(), model.items(), 6, 2, 91);
  const labelled_batch<B> group_batch(model.users(), model.items(), 4, 3, 92);
  const auto far = moved_values<B>(model, 0.5, 1000);
  const auto near = moved_values<B>(model, 0.01, 2000);
  nn::param_set<B> same;
  same.copy_values(model);
  for (const auto* theta_b : {&far, &near}) {
    check_factored_cosines<losses::BCE>(model, bce_batch, *theta_b, reset_masks);
    check_factored_cosines<losses::BPR>(model, group_batch, *theta_b, reset_masks);
    check_factored_cosines<losses::SampledSoftmax>(model, group_batch, *theta_b, reset_masks);
  }
  std::vector<double> ones;
  check_factored_cosines<losses::BPR>(model, group_batch, same, reset_masks, &ones);
  for (double c : ones) BOOST_TEST(c == 1.0, boost::test_tools::tolerance(1e-12));
}

/// A loss that is not declared group-local: the factored path must not be taken.
struct UndeclaredBCE : losses::BCE {};

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


DENOISE_TYPED_TEST(factored_cosines_match_brute_force_mf_gmf, backend_list_double) {
  using B = TestType;
  const auto no_masks = [] {};
  {
    auto m = mf<B>(21);  // all three biases
    check_factored_cosines_all_losses(m, no_masks);
  }
  {
    auto m = mf<B>(22, false);
    check_factored_cosines_all_losses(m, no_masks);
  }
  {
    auto m = gmf<B>(23);
    check_factored_cosines_all_losses(m, no_masks);
  }
}

// LightGCN's gradients pass through its propagation: the factored path takes the dot products
// through the kernels P_T P_T^T, the brute-force path forms every sample's dense gradient.
DENOISE_TYPED_TEST(factored_cosines_match_brute_force_lightgcn, backend_list_double) {
  using B = TestType;
  const std::vector<offset_t> offsets{0, 3, 5, 9, 10, 12, 15, 17};
  const std::vector<index_t> items{0, 2, 5, 1, 3, 0, 4, 6, 8, 7, 2, 3, 1, 5, 8, 6, 9};
  for (const index_t layers : {index_t(0), index_t(1), index_t(3)}) {
    models::lightgcn_options o;
    o.factor = 4;
    o.layers = layers;
    o.embedding_init = nn::init::normal(0.0, 0.5);
    models::LightGCN<B> m(7, 10, csr_view{offsets, items}, o, 31 + static_cast<std::uint64_t>(layers));
    BOOST_TEST(m.logit_gradients_available());
    check_factored_cosines_all_losses(m, [] {});
  }
  // With L2 outside the logits the hook is unavailable: automatic falls back, forced is an error.
  models::lightgcn_options o;
  o.factor = 4;
  o.l2 = 1e-3;
  models::LightGCN<B> m(7, 10, csr_view{offsets, items}, o, 39);
  BOOST_TEST(!m.logit_gradients_available());
  const labelled_batch<B> batch(7, 10, 3, 2, 93);
  nn::per_sample_options forced;
  forced.cosines = nn::gradient_cosine_mode::factored;
  nn::per_sample<models::LightGCN<B>, losses::BCE> strict(m, forced), automatic(m);
  strict.forward(batch.pairs, batch.labels, batch.layout);
  typename B::vector out;
  BOOST_CHECK_THROW(strict.gradient_cosines(moved_values<B>(m, 0.3, 7000), out), config_error);
  automatic.forward(batch.pairs, batch.labels, batch.layout);
  automatic.gradient_cosines(moved_values<B>(m, 0.3, 7000), out);
  BOOST_TEST(out.size() == automatic.samples());
}

// CDAE: a dense input-weight entry as wide as the item set (the corrupted input row), the same
// corruption at both points (the stream rewound before each forward), and without corruption.
DENOISE_TYPED_TEST(factored_cosines_match_brute_force_cdae, backend_list_double) {
  using B = TestType;
  const std::vector<offset_t> offsets{0, 3, 5, 9, 10, 12, 15, 17};
  const std::vector<index_t> items{0, 2, 5, 1, 3, 0, 4, 6, 8, 7, 2, 3, 1, 5, 8, 6, 9};
  for (const double q : {0.4, 0.0}) {
    models::cdae_options o;
    o.hidden = 4;
    o.corruption = q;
    o.user_init = nn::init::normal(0.0, 0.5);
    models::CDAE<B> m(7, 10, csr_view{offsets, items}, o, 25);
    check_factored_cosines_all_losses(m, [&m] { m.set_corruptions(0); });
    m.eval();
    check_factored_cosines_all_losses(m, [] {});
  }
}

DENOISE_TYPED_TEST(factored_cosines_match_brute_force_neumf, backend_list_double) {
  using B = TestType;
  auto m = neumf<B>(0.3, 24);
  const auto same_masks = [&m] { m.mlp().reset_dropout(77); };
  m.train();
  check_factored_cosines_all_losses(m, same_masks);
  m.eval();
  check_factored_cosines_all_losses(m, same_masks);
}

DENOISE_TYPED_TEST(factored_cosines_with_zero_gradients, backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  const auto no_masks = [] {};
  // MF without biases, all embeddings zero at theta_b: every gradient there is zero, cosine 0.
  {
    auto m = mf<B>(31, false);
    const labelled_batch<B> batch(7, 10, 4, 3, 93);
    nn::param_set<B> zero;
    zero.zeros_like(m);
    std::vector<double> c;
    check_factored_cosines<losses::BPR>(m, batch, zero, no_masks, &c);
    for (double x : c) BOOST_TEST(x == 0.0);
    // zero at theta_a as well (theta_b the old values): 0 again, from the theta_a side
    auto values = moved_values<B>(m, 0.0, 0);
    m.visit_parameters([](nn::param_ref<B> p) { B::fill(p.value, S(0)); });
    check_factored_cosines<losses::BCE>(m, labelled_batch<B>(7, 10, 6, 2, 94), values, no_masks, &c);
    for (double x : c) BOOST_TEST(x == 0.0);
  }
  // One table zero at theta_b: dz/dq_i = p_u vanishes but dz/dp_u = q_i does not (MF); GMF with
  // h = 0: both embedding gradients vanish, dz/dh = p ⊙ q and dz/db = 1 remain. Partly zero
  // gradients must still match the brute force.
  {
    auto m = mf<B>(32, false);
    auto theta_b = moved_values<B>(m, 0.3, 3000);
    B::fill(theta_b[0], S(0));
    check_factored_cosines<losses::BPR>(m, labelled_batch<B>(7, 10, 4, 3, 95), theta_b, no_masks);
  }
  {
    auto m = gmf<B>(33);
    auto theta_b = moved_values<B>(m, 0.3, 4000);
    B::fill(theta_b[2], S(0));
    check_factored_cosines<losses::SampledSoftmax>(m, labelled_batch<B>(7, 10, 4, 3, 96), theta_b, no_masks);
  }
  // BPR with the negative equal to its positive: the sample's gradient is exactly zero on both
  // paths (its two logits' gradients cancel row by row), so its cosine is 0.
  {
    auto m = mf<B>(34, false);
    labelled_batch<B> batch(7, 10, 3, 2, 97);
    std::vector<index_t> users{1, 1, 2, 2, 3, 3}, items{4, 4, 5, 6, 7, 7};
    B::from_host(users, batch.pairs.users);
    B::from_host(items, batch.pairs.items);
    std::vector<double> c;
    check_factored_cosines<losses::BPR>(m, batch, moved_values<B>(m, 0.4, 5000), no_masks, &c);
    BOOST_TEST(c[0] == 0.0);
    BOOST_TEST(c[2] == 0.0);
    BOOST_TEST(c[1] != 0.0);
  }
}

DENOISE_TYPED_TEST(mlp_row_backward_matches_mlp_backward, backend_list_double) {
  // Summed over rows, the per-row factors x_l^T delta_l and delta_l are the MLP's own parameter
  // gradients, and the per-row input gradient its dx, for dropout in training mode, with and
  // without an activated last layer.
  using B = TestType;
  using S = typename B::scalar;
  for (bool activate_last : {false, true}) {
    nn::MLP<B> mlp({5, 4, 3, 2}, 11, nn::mlp_options{0.3, nn::init::xavier_uniform(), activate_last});
    mlp.visit_parameters([](nn::param_ref<B> p) {
      if (p.value.rows() == 1) B::fill_uniform(p.value, 19, S(-0.2), S(0.3));
    });
    typename B::matrix x(6, 5), y, dy(6, 2), dx;
    B::fill_normal(x, 12);
    B::fill_normal(dy, 13);
    typename nn::MLP<B>::cache c;
    mlp.forward(x, y, c);
    nn::zero_grad<B>(mlp);
    mlp.backward(c, dy, dx);
    nn::mlp_logit_gradients<B> rows;
    rows.compute(mlp, c, dy);
    nn::logit_gradients<B> out;
    out.start(6);
    rows.append(mlp, c, out);
    out.require_matches(mlp, "test");
    std::size_t i = 0;
    mlp.visit_parameters([&](nn::param_ref<B> p) {
      const auto& e = out[i++];
      typename B::matrix summed;
      if (e.left_ones) {
        B::col_sum(e.right, summed);
      } else {
        B::gemm(true, false, S(1), e.left, e.right, S(0), summed);
      }
      const auto hs = host_of<B>(summed.values()), hg = host_of<B>(p.grad.values());
      BOOST_REQUIRE_EQUAL(hs.size(), hg.size());
      for (std::size_t k = 0; k < hs.size(); ++k) BOOST_TEST(hs[k] == hg[k], boost::test_tools::tolerance(1e-12));
    });
    const auto hx = host_of<B>(rows.input_gradient().values()), hd = host_of<B>(dx.values());
    BOOST_REQUIRE_EQUAL(hx.size(), hd.size());
    for (std::size_t k = 0; k < hx.size(); ++k) BOOST_TEST(hx[k] == hd[k], boost::test_tools::tolerance(1e-12));
  }
}

DENOISE_TYPED_TEST(factored_path_availability_and_errors, backend_list_double) {
  using B = TestType;
  static_assert(nn::per_sample<models::MF<B>, losses::BPR>::factored_available);
  static_assert(nn::per_sample<models::GMF<B>, losses::BCE>::factored_available);
  static_assert(nn::per_sample<models::NeuMF<B>, losses::SampledSoftmax>::factored_available);
  static_assert(nn::per_sample<models::CDAE<B>, losses::BCE>::factored_available);
  static_assert(nn::per_sample<models::LightGCN<B>, losses::BPR>::factored_available,
                "LightGCN's hook goes through its propagation kernels");
  static_assert(!nn::per_sample<models::MF<B>, UndeclaredBCE>::factored_available);
  auto m = mf<B>(41);
  const labelled_batch<B> batch(7, 10, 3, 2, 98);
  nn::param_set<B> theta_b;
  theta_b.copy_values(m);
  typename B::vector out, reference;
  nn::per_sample_options forced;
  forced.cosines = nn::gradient_cosine_mode::factored;
  {
    nn::per_sample<models::MF<B>, UndeclaredBCE> ps(m, forced);
    ps.forward(batch.pairs, batch.labels, batch.layout);
    BOOST_CHECK_THROW(ps.gradient_cosines(theta_b, out), config_error);
    nn::per_sample<models::MF<B>, UndeclaredBCE> fallback(m);  // automatic: brute force, still right
    fallback.forward(batch.pairs, batch.labels, batch.layout);
    fallback.gradient_cosines(moved_values<B>(m, 0.3, 6000), out);
    nn::per_sample<models::MF<B>, losses::BCE> factored(m, forced);
    factored.forward(batch.pairs, batch.labels, batch.layout);
    factored.gradient_cosines(moved_values<B>(m, 0.3, 6000), reference);
    const auto ho = host_of<B>(out), hr = host_of<B>(reference);
    for (std::size_t s = 0; s < ho.size(); ++s) {
      BOOST_TEST(static_cast<double>(ho[s]) == static_cast<double>(hr[s]), boost::test_tools::tolerance(1e-9));
    }
  }
  // a logit_gradients fill that does not match the parameters is an error, not garbage
  {
    nn::per_sample<models::MF<B>, losses::BCE> ps(m);
    ps.forward(batch.pairs, batch.labels, batch.layout);
    nn::logit_gradients<B> g;
    m.logit_gradients(ps.ws(), g);
    BOOST_CHECK_NO_THROW(g.require_matches(m, "test"));
    g.start(batch.pairs.size());
    g.rows(batch.pairs.users, nullptr);  // width 1 for a table of width 3
    BOOST_CHECK_THROW(g.require_matches(m, "test"), config_error);
    g.start(batch.pairs.size());
    BOOST_CHECK_THROW(g.require_matches(m, "test"), config_error);  // no entries
    typename B::matrix wrong_rows(2, 3);
    BOOST_CHECK_THROW(g.dense(&wrong_rows, nullptr), config_error);
    // a shared factor must name an earlier entry of the right kind
    using same_as = typename nn::logit_gradients<B>::same_as;
    g.start(batch.pairs.size());
    BOOST_CHECK_THROW(g.rows(batch.pairs.users, same_as{0}), config_error);  // itself
    g.start(batch.pairs.size());
    g.dense(nullptr, nullptr);
    typename B::matrix square(2, 2);
    BOOST_CHECK_THROW(g.propagated_rows(same_as{0}, square), config_error);  // not a propagated table
    BOOST_CHECK_THROW(g.propagated_rows(same_as{3}, square), config_error);  // not filled yet
    // a propagated table's right factor has `terms` rows per logit: a one-term entry cannot share it
    const std::size_t n = batch.pairs.size();
    typename B::index_vector two_terms;
    B::from_host(std::vector<index_t>(2 * n, 0), two_terms);
    typename B::matrix right_two(static_cast<index_t>(2 * n), 3);
    g.start(n);
    g.propagated_rows(two_terms, right_two, 2, square);
    BOOST_CHECK_THROW(g.rows(batch.pairs.users, same_as{0}), config_error);
    BOOST_CHECK_THROW(g.dense(nullptr, same_as{0}), config_error);
    BOOST_CHECK_EQUAL(g.size(), 1u);  // a refused share adds no entry
    // an accepted share takes the source's right factor without a copy
    typename B::matrix right_one(static_cast<index_t>(n), 3);
    g.start(n);
    g.rows(batch.pairs.users, &right_one);
    g.dense(nullptr, same_as{0});
    BOOST_CHECK_EQUAL(g[1].right_at, 0u);
    BOOST_CHECK_EQUAL(g[1].right_cols, 3);
    BOOST_CHECK(g[1].right_ones == false);
  }
}

BOOST_AUTO_TEST_SUITE_END()
