// The Model policy's caller-owned workspace, on every CPU backend:
//   the second-batch probe   a forward of another batch on a second workspace between the
//                            trainer's forward and backward leaves the gradients bit-identical
//                            (and on one shared workspace it does not: the test can fail);
//   mask replay              replay = true reuses the dropout / corruption masks and does not
//                            advance the streams;
//   exact JVP                agrees with finite differences with mask replay, in training mode.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/models/cdae.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/nn/jvp.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {

template <class B>
models::NeuMF<B> neumf_with_dropout(double dropout, std::uint64_t seed = 3) {
  models::neumf_options o;
  o.factor = 4;
  o.layers = 3;
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
models::GMF<B> small_gmf(std::uint64_t seed = 3) {
  models::gmf_options o;
  o.factor = 5;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  return models::GMF<B>(7, 10, o, seed);
}

template <class B>
models::MF<B> small_mf(std::uint64_t seed = 3) {
  models::mf_options o;
  o.factor = 5;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  models::MF<B> m(7, 10, o, seed);
  m.visit_parameters([](nn::param_ref<B> p) {
    if (p.value.cols() == 1) B::fill_uniform(p.value, 23, typename B::scalar(-0.3), typename B::scalar(0.3));
  });
  return m;
}

/// Each user's training items for CDAE (6 users, 9 items).
struct cdae_items {
  std::vector<offset_t> offsets{0, 3, 5, 9, 10, 12, 15};
  std::vector<index_t> items{0, 2, 5, 1, 3, 0, 4, 6, 8, 7, 2, 3, 1, 5, 8};
  csr_view view() const { return {offsets, items}; }
};

template <class B>
models::CDAE<B> small_cdae(const cdae_items& t, double corruption, std::uint64_t seed = 3) {
  models::cdae_options o;
  o.hidden = 5;
  o.corruption = corruption;
  o.user_init = nn::init::normal(0.0, 0.5);
  return models::CDAE<B>(6, 9, t.view(), o, seed);
}

template <class Model>
std::vector<std::vector<typename Model::scalar>> gradients_of(Model& model) {
  using B = typename Model::backend;
  std::vector<std::vector<typename Model::scalar>> out;
  model.visit_parameters([&](nn::param_ref<B> p) { out.push_back(host_of<B>(p.grad.values())); });
  return out;
}

/// The second-batch probe: gradients of (forward A, backward A) with a forward of B in between.
template <class Model>
void check_second_batch_probe(Model& model, std::uint64_t seed) {
  using B = typename Model::backend;
  const std::size_t n = 24;
  const auto a = random_batch<B>(model.users(), model.items(), n, 11);
  const auto b = random_batch<B>(model.users(), model.items(), n, 12);  // same size, other pairs
  const auto c = random_coefficients<B>(n, 13);
  typename B::vector la, lb, la_probed;

  // reference: a plain forward/backward on A (reset: the same parameters and dropout streams)
  model.reset(seed);
  {
    typename Model::workspace ws;
    model.forward(a, ws, la);
    model.backward(ws, c);
  }
  const auto reference = gradients_of(model);

  // the probe on its own workspace: the update is unchanged, bit for bit
  model.reset(seed);
  {
    typename Model::workspace ws1, ws2;
    model.forward(a, ws1, la_probed);
    model.forward(b, ws2, lb);
    model.backward(ws1, c);
  }
  BOOST_TEST((host_of<B>(la_probed) == host_of<B>(la)));
  BOOST_TEST((gradients_of(model) == reference), Model::name() << " on " << B::name() << ": the probe changed the gradients");

  // workspaces are movable: moving the pending one keeps its caches valid
  model.reset(seed);
  {
    typename Model::workspace ws1, ws2;
    model.forward(a, ws1, la_probed);
    typename Model::workspace moved(std::move(ws1));
    model.forward(b, ws2, lb);
    model.backward(moved, c);
  }
  BOOST_TEST((gradients_of(model) == reference), Model::name() << ": a moved workspace lost its forward");

  // the convenience forward()/backward() (the model's own workspace) is not disturbed either
  model.reset(seed);
  {
    typename Model::workspace probe;
    model.forward(a.users, a.items, la_probed);
    model.forward(b, probe, lb);
    model.backward(c);
  }
  BOOST_TEST((gradients_of(model) == reference), Model::name() << ": the probe changed the convenience backward");

  // one shared workspace: the probe overwrites A's caches, so the gradients change
  model.reset(seed);
  {
    typename Model::workspace ws;
    model.forward(a, ws, la_probed);
    model.forward(b, ws, lb);
    model.backward(ws, c);
  }
  BOOST_TEST((gradients_of(model) != reference), Model::name() << ": a shared workspace should be clobbered");
}

/// replay = true gives identical logits and leaves the stream where it was.
template <class Model>
void check_mask_replay(Model& model, Model& twin) {
  using B = typename Model::backend;
  const auto a = random_batch<B>(model.users(), model.items(), 20, 21);
  typename B::vector first, replayed, fresh, twin_first, twin_fresh;
  typename Model::workspace ws, tws;
  model.forward(a, ws, first);
  ws.replay = true;
  model.forward(a, ws, replayed);
  BOOST_TEST((host_of<B>(replayed) == host_of<B>(first)), Model::name() << ": replay changed the logits");
  ws.replay = false;
  model.forward(a, ws, fresh);
  BOOST_TEST((host_of<B>(fresh) != host_of<B>(first)), Model::name() << ": a fresh forward drew the same mask");
  // the replayed forward did not advance the stream: the twin, without it, draws the same next mask
  twin.forward(a, tws, twin_first);
  twin.forward(a, tws, twin_fresh);
  BOOST_TEST((host_of<B>(twin_first) == host_of<B>(first)));
  BOOST_TEST((host_of<B>(twin_fresh) == host_of<B>(fresh)), Model::name() << ": replay advanced the mask stream");
  // a gradient through a replayed forward equals the one through the original forward
  const auto c = random_coefficients<B>(20, 22);
  nn::zero_grad<B>(model);
  model.backward(ws, c);
  const auto direct = gradients_of(model);
  ws.replay = true;
  model.forward(a, ws, replayed);
  nn::zero_grad<B>(model);
  model.backward(ws, c);
  BOOST_TEST((gradients_of(model) == direct));
  // replay without a previous mask is an error
  typename Model::workspace empty;
  empty.replay = true;
  BOOST_CHECK_THROW(model.forward(a, empty, replayed), config_error);
}

/// The exact JVP against central differences with mask replay, at the workspace's forward.
template <class Model>
void check_jvp_agrees(Model& model, double tolerance = 1e-6) {
  using B = typename Model::backend;
  const auto a = random_batch<B>(model.users(), model.items(), 25, 31);
  typename Model::workspace ws;
  typename B::vector logits, exact, numeric, again;
  model.forward(a, ws, logits);
  nn::param_set<B> d;
  d.zeros_like(model);
  for (std::size_t p = 0; p < d.size(); ++p) B::fill_normal(d[p], 500 + p);
  static_assert(nn::has_exact_jvp_v<Model>);
  model.jvp(ws, d, exact);
  nn::jvp(model, a, ws, d, numeric, nn::jvp_mode::finite_difference, 1e-5);
  const auto he = host_of<B>(exact), hn = host_of<B>(numeric);
  BOOST_REQUIRE_EQUAL(he.size(), 25u);
  BOOST_REQUIRE_EQUAL(hn.size(), 25u);
  std::size_t bad = 0;
  double worst = 0;
  for (std::size_t k = 0; k < he.size(); ++k) {
    const double err = std::abs(static_cast<double>(he[k]) - static_cast<double>(hn[k])) /
                       std::max(1.0, std::abs(static_cast<double>(he[k])));
    worst = std::max(worst, err);
    if (!(err <= tolerance)) ++bad;
  }
  BOOST_TEST(bad == 0u, Model::name() << " on " << B::name() << ": " << bad << " JVPs differ, worst " << worst);
  // the finite differences left the workspace at theta with its masks: the exact JVP is unchanged
  model.jvp(ws, d, again);
  BOOST_TEST((host_of<B>(again) == he));
  BOOST_TEST(!ws.replay);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_workspace)

DENOISE_TYPED_TEST(second_batch_probe_leaves_the_update_unchanged, backend_list_double) {
  using B = TestType;
  auto gmf = small_gmf<B>();
  gmf.train();
  check_second_batch_probe(gmf, 5);
  auto neumf = neumf_with_dropout<B>(0.3);
  neumf.train();
  check_second_batch_probe(neumf, 6);
  auto mf = small_mf<B>();
  check_second_batch_probe(mf, 7);
  const cdae_items t;
  auto cdae = small_cdae<B>(t, 0.4);
  check_second_batch_probe(cdae, 8);
}

DENOISE_TYPED_TEST(mask_replay_reuses_dropout_and_corruption, backend_list_double) {
  using B = TestType;
  auto neumf = neumf_with_dropout<B>(0.5, 9);
  auto neumf_twin = neumf_with_dropout<B>(0.5, 9);
  check_mask_replay(neumf, neumf_twin);
  const cdae_items t;
  auto cdae = small_cdae<B>(t, 0.5, 9);
  auto cdae_twin = small_cdae<B>(t, 0.5, 9);
  check_mask_replay(cdae, cdae_twin);
  BOOST_TEST(cdae.corruptions() == 2u);  // the replayed forwards drew nothing
}

DENOISE_TYPED_TEST(gradients_in_training_mode_with_replayed_masks, backend_list_double) {
  using B = TestType;
  auto neumf = neumf_with_dropout<B>(0.3, 4);
  check_model_gradients(neumf, 30, 3);
  const cdae_items t;
  auto cdae = small_cdae<B>(t, 0.4, 4);
  check_model_gradients(cdae, 30, 3);
}

DENOISE_TYPED_TEST(exact_jvp_agrees_with_finite_differences_under_dropout, backend_list_double) {
  using B = TestType;
  auto neumf = neumf_with_dropout<B>(0.2, 11);
  neumf.train();
  check_jvp_agrees(neumf);
  auto gmf = small_gmf<B>(12);
  check_jvp_agrees(gmf);
  auto mf = small_mf<B>(13);
  check_jvp_agrees(mf);
  const cdae_items t;
  auto cdae = small_cdae<B>(t, 0.4, 14);
  check_jvp_agrees(cdae);
}

DENOISE_TYPED_TEST(features_take_the_batch, backend_list_double) {
  using B = TestType;
  auto neumf = neumf_with_dropout<B>(0.0);
  const auto a = random_batch<B>(7, 10, 6, 41);
  typename B::matrix from_batch, from_ids;
  neumf.features(a, from_batch);
  neumf.features(a.users, a.items, from_ids);
  BOOST_TEST(from_batch.rows() == 6);
  BOOST_TEST((host_of<B>(from_batch.values()) == host_of<B>(from_ids.values())));
}

DENOISE_TYPED_TEST(backward_and_jvp_need_a_forward_on_the_workspace, backend_list_double) {
  using B = TestType;
  auto gmf = small_gmf<B>();
  typename models::GMF<B>::workspace ws;
  const auto c = random_coefficients<B>(3, 1);
  BOOST_CHECK_THROW(gmf.backward(ws, c), config_error);
  nn::param_set<B> d;
  d.zeros_like(gmf);
  typename B::vector out;
  BOOST_CHECK_THROW(gmf.jvp(ws, d, out), config_error);
  const cdae_items t;
  auto cdae = small_cdae<B>(t, 0.4);
  typename models::CDAE<B>::workspace cws;
  const auto a = random_batch<B>(6, 9, 3, 2);
  cdae.forward(a, cws, out);
  cdae.set_user_items(t.view());  // the training matrix changed under the pending forward
  BOOST_CHECK_THROW(cdae.backward(cws, c), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
