// CDAE on every CPU backend: gradients (corruption off, and on in eval mode), score() against
// forward(), reset, features, errors, seeded corruption, and the hidden code against a host loop.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/models/cdae.hpp>
#include <denoise/models/static_checks.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
// 6 users x 9 items; user 4 has no items, item 8 has no users
struct training_items {
  std::vector<offset_t> offsets{0, 3, 5, 9, 11, 11, 14};
  std::vector<index_t> items{0, 2, 5, 1, 2, 0, 3, 4, 7, 2, 6, 1, 5, 7};
  csr_view view() const { return {{offsets.data(), offsets.size()}, {items.data(), items.size()}}; }
};

template <class B>
models::CDAE<B> small_cdae(const training_items& t, double corruption = 0.0, std::uint64_t seed = 3) {
  models::cdae_options o;
  o.hidden = 5;
  o.corruption = corruption;
  o.user_init = nn::init::normal(0.0, 0.5);
  o.weight_init = nn::init::uniform(-0.8, 0.8);
  models::CDAE<B> m(6, 9, t.view(), o, seed);
  m.visit_parameters([](nn::param_ref<B> p) {
    if (p.value.cols() == 1 || p.value.rows() == 1) B::fill_uniform(p.value, 5, typename B::scalar(-0.5), typename B::scalar(0.5));
  });
  return m;
}
}  // namespace

static_assert(models::check_model<models::CDAE<backends::Eigen<double>>>(), "");

BOOST_AUTO_TEST_SUITE(models_cdae)

DENOISE_TYPED_TEST(gradients, backend_list_double) {
  const training_items t;
  auto m = small_cdae<TestType>(t);
  check_model_gradients(m, 30, 1);
  auto c = small_cdae<TestType>(t, 0.5, 4);
  c.eval();
  check_model_gradients(c, 30, 2);
}

DENOISE_TYPED_TEST(gradients_under_corruption, backend_list_double) {
  // the same corruption for every forward of the check: forward and backward agree on the mask
  using B = TestType;
  const training_items t;
  auto m = small_cdae<B>(t, 0.4, 6);
  std::vector<index_t> hu, hi;
  random_pairs(6, 9, 30, 5, hu, hi);
  const auto u = to_index<B>(hu);
  const auto i = to_index<B>(hi);
  std::vector<double> hc(30);
  for (std::size_t k = 0; k < hc.size(); ++k) hc[k] = std::cos(static_cast<double>(k));
  const auto c = to_vector<B>(hc);
  typename B::vector logits, eval_logits;
  auto loss = [&] {
    m.set_corruptions(3);
    m.forward(u, i, logits);
    return static_cast<double>(B::dot(logits, c));
  };
  auto grad = [&] {
    loss();
    m.backward(c);
  };
  const auto result = nn::check_gradients<B>(m, loss, grad);
  BOOST_TEST(result.passed, result.report());
  loss();
  m.eval();
  m.forward(u, i, eval_logits);
  BOOST_TEST((host_of<B>(logits) != host_of<B>(eval_logits)), "no item was dropped");
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  const training_items t;
  auto m = small_cdae<TestType>(t, 0.5);
  check_score_matches_forward(m);
}

DENOISE_TYPED_TEST(reset_is_reproducible, backend_list_double) {
  const training_items t;
  auto m = small_cdae<TestType>(t);
  check_reset(m);
}

DENOISE_TYPED_TEST(hidden_code_matches_the_paper, backend_list_double) {
  using B = TestType;
  const training_items t;
  auto m = small_cdae<B>(t, 0.5);
  const auto u = to_index<B>({3, 4});
  const auto i = to_index<B>({8, 1});
  typename B::matrix f;
  m.features(u, i, f);
  const auto hf = host_of<B>(f.values());
  const auto w = host_of<B>(m.input_weights().values());
  const auto v = host_of<B>(m.user_node().table().values());
  const auto b = host_of<B>(m.hidden_bias().values());
  const std::vector<index_t> users{3, 4};
  for (std::size_t r = 0; r < 2; ++r) {
    const auto user = static_cast<std::size_t>(users[r]);
    for (std::size_t c = 0; c < 5; ++c) {
      double z = v[user * 5 + c] + b[c];
      for (auto k = t.offsets[user]; k < t.offsets[user + 1]; ++k) z += w[static_cast<std::size_t>(t.items[static_cast<std::size_t>(k)]) * 5 + c];
      BOOST_TEST(hf[r * 10 + c] == 1.0 / (1.0 + std::exp(-z)), boost::test_tools::tolerance(1e-12));
    }
  }
  const auto wo = host_row<B>(m.output_items().table(), 8);
  for (std::size_t c = 0; c < 5; ++c) BOOST_TEST(hf[5 + c] == wo[c]);
  check_feature_shape(m);
}

DENOISE_TYPED_TEST(corruption_is_seeded_and_shared_by_a_users_pairs, backend_list_double) {
  using B = TestType;
  const training_items t;
  auto a = small_cdae<B>(t, 0.5, 9);
  auto b = small_cdae<B>(t, 0.5, 9);
  // user 2 (4 items) appears twice with the same item: both pairs see the same corruption
  const auto u = to_index<B>({2, 0, 2, 5, 1, 3});
  const auto i = to_index<B>({6, 1, 6, 0, 8, 3});
  typename B::vector la, lb, le;
  bool changed = false;
  for (int step = 0; step < 4; ++step) {
    a.forward(u, i, la);
    b.forward(u, i, lb);
    const auto ha = host_of<B>(la);
    BOOST_TEST((ha == host_of<B>(lb)));
    BOOST_TEST(ha[0] == ha[2]);
    a.eval();
    a.forward(u, i, le);
    a.train();
    changed = changed || ha != host_of<B>(le);
  }
  BOOST_TEST(changed, "corruption had no effect in training mode");
  BOOST_TEST(a.corruptions() == 4u);
}

DENOISE_TYPED_TEST(bad_input_throws, backend_list_double) {
  using B = TestType;
  const training_items t;
  auto m = small_cdae<B>(t);
  check_errors(m);
  BOOST_CHECK_THROW(models::CDAE<B>(6, 9), config_error);  // no training items
  BOOST_CHECK_THROW(models::CDAE<B>(5, 9, t.view()), config_error);  // 6 rows for 5 users
  BOOST_CHECK_THROW(models::CDAE<B>(6, 7, t.view()), input_error);  // item 7 out of range
  models::cdae_options o;
  o.corruption = 1.0;
  BOOST_CHECK_THROW(models::CDAE<B>(6, 9, t.view(), o), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
