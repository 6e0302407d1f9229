// NeuMF on every CPU backend: gradients (dropout off, and dropout on in eval mode), score()
// against forward(), reset, features, errors, deterministic dropout in training mode.
#include <boost/test/unit_test.hpp>

#include <vector>

#include <denoise/models/neumf.hpp>
#include <denoise/models/static_checks.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
template <class B>
models::NeuMF<B> small_neumf(double dropout = 0.0, std::uint64_t seed = 3, index_t score_pairs = 32768) {
  models::neumf_options o;
  o.factor = 4;
  o.layers = 3;  // embeddings 16 + 16, tower 32 -> 16 -> 8 -> 4
  o.dropout = dropout;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  o.score_pairs = score_pairs;
  models::NeuMF<B> m(7, 10, o, seed);
  // non-zero biases everywhere, so every term of score() is exercised
  m.visit_parameters([](nn::param_ref<B> p) {
    if (p.value.rows() == 1) B::fill_uniform(p.value, 17, typename B::scalar(-0.2), typename B::scalar(0.3));
  });
  return m;
}
}  // namespace

static_assert(models::check_model<models::NeuMF<backends::Eigen<double>>>(), "");

BOOST_AUTO_TEST_SUITE(models_neumf)

BOOST_AUTO_TEST_CASE(default_shape_follows_the_reference_code) {
  models::NeuMF<backends::Eigen<float>> m(5, 6);
  BOOST_TEST(m.tower() == (std::vector<index_t>{256, 128, 64, 32}), boost::test_tools::per_element());
  BOOST_TEST(m.feature_dim() == 2 * (32 + 128));
  models::neumf_options o;
  o.mlp_embedding = 32;  // the NCF paper's own example: 64 -> 32 -> 16 -> 8
  o.factor = 8;
  models::NeuMF<backends::Eigen<float>> p(5, 6, o);
  BOOST_TEST(p.tower() == (std::vector<index_t>{64, 32, 16, 8}), boost::test_tools::per_element());
  o.mlp_embedding = 2;
  BOOST_CHECK_THROW((models::NeuMF<backends::Eigen<float>>(5, 6, o)), config_error);
}

DENOISE_TYPED_TEST(gradients, backend_list_double) {
  auto m = small_neumf<TestType>();
  check_model_gradients(m, 30, 1);
  auto d = small_neumf<TestType>(0.5, 4);
  d.eval();
  check_model_gradients(d, 30, 2);
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  auto m = small_neumf<TestType>(0.4);
  check_score_matches_forward(m);
  auto blocks = small_neumf<TestType>(0.0, 3, 23);  // blocks of 2 users, a ragged last block
  check_score_matches_forward(blocks);
}

DENOISE_TYPED_TEST(reset_is_reproducible, backend_list_double) {
  auto m = small_neumf<TestType>();
  check_reset(m);
}

DENOISE_TYPED_TEST(dropout_is_seeded, backend_list_double) {
  using B = TestType;
  auto a = small_neumf<B>(0.5, 9);
  auto b = small_neumf<B>(0.5, 9);
  const auto u = to_index<B>({0, 1, 2, 3, 4, 5, 6});
  const auto i = to_index<B>({9, 8, 7, 6, 5, 4, 3});
  typename B::vector la, lb, le;
  a.forward(u, i, la);
  b.forward(u, i, lb);
  BOOST_TEST((host_of<B>(la) == host_of<B>(lb)));
  a.forward(u, i, la);
  b.forward(u, i, lb);
  BOOST_TEST((host_of<B>(la) == host_of<B>(lb)));
  a.eval();
  a.forward(u, i, le);
  BOOST_TEST((host_of<B>(la) != host_of<B>(le)), "dropout had no effect in training mode");
}

DENOISE_TYPED_TEST(features_are_the_embeddings, backend_list_double) {
  using B = TestType;
  auto m = small_neumf<B>();
  check_feature_shape(m);
  const auto u = to_index<B>({5});
  const auto i = to_index<B>({2});
  typename B::matrix f;
  m.features(u, i, f);
  std::vector<double> expect;
  for (auto x : host_row<B>(m.gmf_user_embedding().table(), 5)) expect.push_back(x);
  for (auto x : host_row<B>(m.mlp_user_embedding().table(), 5)) expect.push_back(x);
  for (auto x : host_row<B>(m.gmf_item_embedding().table(), 2)) expect.push_back(x);
  for (auto x : host_row<B>(m.mlp_item_embedding().table(), 2)) expect.push_back(x);
  const auto hf = host_of<B>(f.values());
  BOOST_TEST(std::vector<double>(hf.begin(), hf.end()) == expect, boost::test_tools::per_element());
}

DENOISE_TYPED_TEST(bad_input_throws, backend_list_double) {
  auto m = small_neumf<TestType>();
  check_errors(m);
}

BOOST_AUTO_TEST_SUITE_END()
