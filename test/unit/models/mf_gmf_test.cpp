// MF and GMF on every CPU backend: gradients, score() against forward(), reset, features, errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include <denoise/models/gmf.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/parameter.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
template <class B>
models::GMF<B> small_gmf(std::uint64_t seed = 3, index_t factor = 5) {
  models::gmf_options o;
  o.factor = factor;
  o.embedding_init = nn::init::normal(0.0, 0.5);  // large enough that products matter
  return models::GMF<B>(7, 11, o, seed);
}
template <class B>
models::MF<B> small_mf(std::uint64_t seed = 3, bool biases = true) {
  models::mf_options o;
  o.factor = 4;
  o.user_bias = o.item_bias = o.global_bias = biases;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  models::MF<B> m(6, 9, o, seed);
  // non-zero biases, so score() and forward() really add them
  m.visit_parameters([](nn::param_ref<B> p) {
    if (p.value.cols() == 1) B::fill_uniform(p.value, 11, typename B::scalar(-1), typename B::scalar(1));
  });
  return m;
}
}  // namespace

static_assert(models::check_model<models::GMF<backends::Eigen<double>>>(), "");

namespace {
// A backend without the optional scatter_add_rows_from (hidden by a deleted one): GMF's
// Embedding::backward_rows then writes the gradient rows first and scatter-adds them.
struct eigen_without_row_functors : backends::Eigen<double> {
  template <class Rows>
  static void scatter_add_rows_from(matrix&, const index_vector&, const Rows&, index_vector&,
                                    scatter_workspace&) = delete;
};
static_assert(!backends::has_scatter_add_rows_from_v<eigen_without_row_functors,
                                                      backends::kernels::matrix_rows<double>>,
              "the deleted member hides the backend's: the fallback path is what the test runs");
}  // namespace
static_assert(models::check_model<models::MF<backends::Eigen<float>>>(), "");

BOOST_AUTO_TEST_SUITE(models_mf_gmf)

DENOISE_TYPED_TEST(gmf_gradients, backend_list_double) {
  auto m = small_gmf<TestType>();
  check_model_gradients(m, 40, 1);
  // 37 = two full groups of the forward kernel's 16 partial sums and a remainder of 5.
  auto wide = small_gmf<TestType>(4, 37);
  check_model_gradients(wide, 40, 2);
}

// The fallback path of Embedding::backward_rows: finite differences, and the same gradients and
// touched rows as the fused path (to rounding: the fused add may be contracted to an FMA).
BOOST_AUTO_TEST_CASE(gmf_gradients_on_a_backend_without_row_functors) {
  using Plain = eigen_without_row_functors;
  auto plain = small_gmf<Plain>(4, 37);
  check_model_gradients(plain, 40, 2);
  auto fused = small_gmf<backends::Eigen<double>>(4, 37);
  const std::vector<index_t> users{3, 0, 3, 6}, items{10, 2, 2, 10};
  std::vector<double> grads[2];
  std::vector<index_t> touched[2];
  const auto run = [&](auto& model, int k) {
    using B = typename std::decay_t<decltype(model)>::backend;
    const auto u = to_index<B>(users), i = to_index<B>(items);
    typename B::vector logits, dlogits;
    B::from_host(std::vector<double>{0.5, -1.0, 0.25, 2.0}, dlogits);
    nn::zero_grad<B>(model);
    model.forward(u, i, logits);
    model.backward(dlogits);
    for (auto* emb : {&model.user_embedding(), &model.item_embedding()}) {
      for (double g : host_of<B>(emb->gradient().values())) grads[k].push_back(g);
      for (index_t r : host_of<B>(emb->touched())) touched[k].push_back(r);
    }
  };
  run(plain, 0);
  run(fused, 1);
  BOOST_TEST(touched[0] == touched[1], boost::test_tools::per_element());
  BOOST_TEST(touched[0] == (std::vector<index_t>{0, 3, 6, 2, 10}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(grads[0].size(), grads[1].size());
  double largest = 0.0;
  for (double g : grads[1]) largest = std::max(largest, std::abs(g));
  BOOST_TEST(largest > 0.0);
  for (std::size_t k = 0; k < grads[0].size(); ++k) BOOST_TEST(std::abs(grads[0][k] - grads[1][k]) <= 1e-14 * largest);
}

DENOISE_TYPED_TEST(mf_gradients_with_and_without_biases, backend_list_double) {
  auto m = small_mf<TestType>();
  check_model_gradients(m, 40, 2);
  auto plain = small_mf<TestType>(4, false);
  check_model_gradients(plain, 40, 3);
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  auto g = small_gmf<TestType>();
  check_score_matches_forward(g);
  auto wide = small_gmf<TestType>(4, 37);
  check_score_matches_forward(wide);
  auto m = small_mf<TestType>();
  check_score_matches_forward(m);
}

DENOISE_TYPED_TEST(reset_is_reproducible, backend_list_double) {
  auto g = small_gmf<TestType>();
  check_reset(g);
  auto m = small_mf<TestType>();
  check_reset(m);
}

DENOISE_TYPED_TEST(features_are_the_embeddings, backend_list_double) {
  using B = TestType;
  auto g = small_gmf<B>();
  check_feature_shape(g);
  const auto u = to_index<B>({3, 0});
  const auto i = to_index<B>({10, 2});
  typename B::matrix f;
  g.features(u, i, f);
  const auto hf = host_of<B>(f.values());
  std::vector<double> expect;
  for (auto x : host_row<B>(g.user_embedding().table(), 3)) expect.push_back(x);
  for (auto x : host_row<B>(g.item_embedding().table(), 10)) expect.push_back(x);
  for (auto x : host_row<B>(g.user_embedding().table(), 0)) expect.push_back(x);
  for (auto x : host_row<B>(g.item_embedding().table(), 2)) expect.push_back(x);
  BOOST_TEST(std::vector<double>(hf.begin(), hf.end()) == expect, boost::test_tools::per_element());
  auto m = small_mf<B>();
  check_feature_shape(m);
  BOOST_TEST(m.feature_dim() == 8);
}

DENOISE_TYPED_TEST(bad_input_throws, backend_list_double) {
  auto g = small_gmf<TestType>();
  check_errors(g);
  auto m = small_mf<TestType>();
  check_errors(m);
  BOOST_CHECK_THROW(models::GMF<TestType>(0, 3), config_error);
  models::mf_options o;
  o.factor = 0;
  BOOST_CHECK_THROW(models::MF<TestType>(3, 3, o), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
