// The parameter interface: snapshot/restore and virtual steps restore bit-identically; reset(seed)
// is reproducible and seed-dependent; the exact JVP agrees with the finite-difference one.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"
#include "toy_model.hpp"

using namespace denoise;
using denoise::test::to_host;
using denoise::test::toy_recommender;

namespace {
template <class B, class Model>
std::vector<std::vector<typename B::scalar>> values_of(Model& m) {
  std::vector<std::vector<typename B::scalar>> out;
  m.visit_parameters([&](nn::param_ref<B> p) { out.push_back(to_host<B>(p.value)); });
  return out;
}

template <class B>
struct batch : data::pair_batch<B> {
  batch() {
    B::from_host(std::vector<index_t>{0, 3, 3, 7, 2, 5}, this->users);
    B::from_host(std::vector<index_t>{1, 1, 4, 0, 9, 6}, this->items);
  }
};

template <class B>
typename B::vector random_vector(std::size_t n, std::uint64_t seed) {
  auto m = denoise::test::random_matrix<B>(static_cast<index_t>(n), 1, seed);
  typename B::vector v;
  B::copy(m.values(), v);
  return v;
}

template <class B>
void train_step(toy_recommender<B>& model, batch<B>& b, nn::Adam<B>& opt) {
  typename toy_recommender<B>::workspace ws;
  typename B::vector logits;
  nn::zero_grad<B>(model);
  model.forward(b, ws, logits);
  const auto dl = random_vector<B>(logits.size(), 5);
  model.backward(ws, dl);
  opt.step(model);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(nn_params)

DENOISE_TYPED_TEST(snapshot_and_virtual_step_restore_bit_identically, denoise::test::backend_list_float) {
  using B = TestType;
  toy_recommender<B> model(8, 10, 4, 1);
  batch<B> b;
  nn::Adam<B> opt;
  train_step(model, b, opt);
  const auto before = values_of<B>(model);
  nn::snapshot<B> snap(model);
  train_step(model, b, opt);
  BOOST_TEST((values_of<B>(model) != before));
  snap.restore(model);
  BOOST_TEST((values_of<B>(model) == before));

  // A fresh gradient, then the assumed update theta - eta * grad and its undo.
  typename toy_recommender<B>::workspace ws;
  typename B::vector logits;
  nn::zero_grad<B>(model);
  model.forward(b, ws, logits);
  const auto dl = random_vector<B>(logits.size(), 6);
  model.backward(ws, dl);
  nn::param_set<B> grads;
  grads.copy_grads(model);
  {
    nn::virtual_step<B, toy_recommender<B>> assumed(model, 0.5);
    const auto moved = values_of<B>(model);
    for (std::size_t p = 0; p < moved.size(); ++p) {
      const auto g = to_host<B>(grads[p]);
      for (std::size_t i = 0; i < g.size(); ++i) {
        BOOST_REQUIRE_EQUAL(moved[p][i], before[p][i] - typename B::scalar(0.5) * g[i]);
      }
    }
  }
  BOOST_TEST((values_of<B>(model) == before));
  {
    nn::virtual_step<B, toy_recommender<B>> dense_direction(model, 0.25, grads);
    BOOST_TEST((values_of<B>(model) != before));
    dense_direction.undo();
    BOOST_TEST((values_of<B>(model) == before));
  }
  BOOST_TEST((values_of<B>(model) == before));
}

DENOISE_TYPED_TEST(reset_is_reproducible_and_seed_dependent, denoise::test::backend_list_float) {
  using B = TestType;
  toy_recommender<B> a(8, 10, 4, 1), b(8, 10, 4, 1), c(8, 10, 4, 2);
  BOOST_TEST((values_of<B>(a) == values_of<B>(b)));
  BOOST_TEST((values_of<B>(a) != values_of<B>(c)));
  batch<B> data;
  nn::Adam<B> opt;
  train_step(a, data, opt);
  BOOST_TEST((values_of<B>(a) != values_of<B>(b)));
  a.reset(1);
  BOOST_TEST((values_of<B>(a) == values_of<B>(b)));
  c.reset(1);
  BOOST_TEST((values_of<B>(c) == values_of<B>(b)));
  // Every parameter matrix differs between seeds (no stream is shared by two parameters).
  const auto va = values_of<B>(a);
  c.reset(3);
  const auto vc = values_of<B>(c);
  for (std::size_t p = 0; p < va.size(); ++p) {
    if (va[p].size() > 1 && std::count(va[p].begin(), va[p].end(), typename B::scalar(0)) == 0) {
      BOOST_TEST((va[p] != vc[p]), "parameter " << p);
    }
  }
}

DENOISE_TYPED_TEST(exact_jvp_matches_finite_difference, denoise::test::backend_list_double) {
  using B = TestType;
  for (double dropout : {0.0, 0.3}) {
    toy_recommender<B> model(8, 10, 4, 3, dropout);
    batch<B> b;
    typename toy_recommender<B>::workspace ws;
    typename B::vector logits;
    model.forward(b, ws, logits);
    nn::param_set<B> direction;
    direction.zeros_like(model);
    for (std::size_t p = 0; p < direction.size(); ++p) B::fill_normal(direction[p], 100 + p);
    typename B::vector exact, numeric, dispatched;
    model.jvp(ws, direction, exact);
    auto per_sample = [&](typename toy_recommender<B>::workspace& w, typename B::vector& out) { model.forward(b, w, out); };
    const auto before = values_of<B>(model);
    nn::jvp_finite_difference<B>(model, ws, direction, per_sample, numeric, 1e-5);
    BOOST_TEST((values_of<B>(model) == before));  // parameters restored exactly
    BOOST_TEST(!ws.replay);                       // and the replay flag
    const auto he = denoise::test::to_host_vec<B>(exact), hn = denoise::test::to_host_vec<B>(numeric);
    BOOST_REQUIRE_EQUAL(he.size(), 6u);
    for (std::size_t i = 0; i < he.size(); ++i) BOOST_TEST(he[i] == hn[i], boost::test_tools::tolerance(1e-7));
    // nn::jvp picks the exact path when the model has one ...
    static_assert(nn::has_exact_jvp_v<toy_recommender<B>>);
    nn::jvp(model, b, ws, direction, dispatched);
    BOOST_TEST(denoise::test::to_host_vec<B>(dispatched) == he, boost::test_tools::per_element());
    // ... and the finite difference otherwise (or when asked), with the same masks.
    denoise::test::toy_without_jvp<B> plain(model);
    static_assert(!nn::has_exact_jvp_v<denoise::test::toy_without_jvp<B>>);
    nn::jvp(plain, b, ws, direction, dispatched);
    auto hd = denoise::test::to_host_vec<B>(dispatched);
    for (std::size_t i = 0; i < he.size(); ++i) BOOST_TEST(hd[i] == he[i], boost::test_tools::tolerance(1e-6));
    nn::jvp(model, b, ws, direction, dispatched, nn::jvp_mode::finite_difference);
    hd = denoise::test::to_host_vec<B>(dispatched);
    for (std::size_t i = 0; i < he.size(); ++i) BOOST_TEST(hd[i] == he[i], boost::test_tools::tolerance(1e-6));
    BOOST_CHECK_THROW(nn::jvp(plain, b, ws, direction, dispatched, nn::jvp_mode::exact), denoise::config_error);
    // the workspace still holds the forward at theta: its backward is the plain one's
    nn::zero_grad<B>(model);
    model.backward(ws, exact);
    nn::param_set<B> after_fd;
    after_fd.copy_grads(model);
    nn::zero_grad<B>(model);
    ws.replay = true;
    model.forward(b, ws, logits);
    ws.replay = false;
    model.backward(ws, exact);
    nn::param_set<B> replayed;
    replayed.copy_grads(model);
    for (std::size_t p = 0; p < after_fd.size(); ++p) {
      BOOST_TEST(to_host<B>(after_fd[p]) == to_host<B>(replayed[p]), boost::test_tools::per_element());
    }
  }
}

DENOISE_TYPED_TEST(toy_model_gradient_check, denoise::test::backend_list_double) {
  using B = TestType;
  for (double dropout : {0.0, 0.3}) {
    toy_recommender<B> model(8, 10, 4, 3, dropout);
    batch<B> b;
    const auto r = random_vector<B>(6, 9);
    const auto result = nn::check_model_gradients(model, b, r);
    BOOST_TEST(result.passed, result.report());
  }
}

DENOISE_TYPED_TEST(param_set_and_restore_errors, denoise::test::backend_list_double) {
  using B = TestType;
  toy_recommender<B> a(8, 10, 4, 1), other(9, 10, 4, 1);
  nn::snapshot<B> snap(a);
  BOOST_CHECK_THROW(snap.restore(other), denoise::config_error);
  nn::param_set<B> d;
  d.zeros_like(other);
  BOOST_CHECK_THROW((nn::virtual_step<B, toy_recommender<B>>(a, 0.1, d)), denoise::config_error);
  BOOST_TEST(nn::parameter_count<B>(a) == std::size_t(8 * 4 + 10 * 4 + 4 * 8 + 8 + 8 * 1 + 1));
}

BOOST_AUTO_TEST_SUITE_END()
