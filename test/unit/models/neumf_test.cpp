// NeuMF on every CPU backend: gradients (dropout off, and dropout on in eval mode), score()
// against forward(), reset, features, errors, deterministic dropout in training mode; the split
// first tower layer (Eigen) against the one product over concatenated embeddings.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <denoise/core/threads.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/models/static_checks.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
template <class B>
models::NeuMF<B> small_neumf(double dropout = 0.0, std::uint64_t seed = 3, index_t score_pairs = 32768,
                             bool split_first_layer = true) {
  models::neumf_options o;
  o.split_first_layer = split_first_layer;
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
  auto whole = small_neumf<TestType>(0.0, 3, 32768, false);  // the first layer as one product
  check_model_gradients(whole, 30, 3);
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  auto m = small_neumf<TestType>(0.4);
  check_score_matches_forward(m);
  auto blocks = small_neumf<TestType>(0.0, 3, 23);  // blocks of 23 pairs: they end inside users' rows
  check_score_matches_forward(blocks);
}

// Training's first tower layer by input halves over distinct users and items (the default on
// Eigen) is the same function as one product over every pair's [p || q], with the same gradients
// and touched rows: batches with repeated users and items, dropout on in training mode (the same
// masks on both sides), two batches in turn through one workspace (the grouping's marks reset).
BOOST_AUTO_TEST_CASE(split_first_layer_is_the_one_product) {
  using B = backends::Eigen<double>;
  const auto far_apart = [](const std::vector<double>& a, const std::vector<double>& b) {
    std::size_t bad = a.size() == b.size() ? 0 : 1;
    for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) bad += std::abs(a[k] - b[k]) <= 1e-12 * std::max(1.0, std::abs(b[k])) ? 0u : 1u;
    return bad;
  };
  for (const double dropout : {0.0, 0.3}) {
    auto split = small_neumf<B>(dropout, 11, 32768, true);
    auto whole = small_neumf<B>(dropout, 11, 32768, false);
    typename models::NeuMF<B>::workspace ws_split, ws_whole;
    for (const std::size_t pairs : {std::size_t(40), std::size_t(9)}) {
      const auto batch = random_batch<B>(split.users(), split.items(), pairs, 5 + pairs);
      const auto c = random_coefficients<B>(pairs, 77 + pairs);
      nn::zero_grad<B>(split);
      nn::zero_grad<B>(whole);
      typename B::vector ls, lw;
      split.forward(batch, ws_split, ls);
      whole.forward(batch, ws_whole, lw);
      BOOST_TEST(far_apart(host_of<B>(ls), host_of<B>(lw)) == 0u);
      split.backward(ws_split, c);
      whole.backward(ws_whole, c);
      std::vector<std::vector<double>> grads;
      std::vector<std::vector<index_t>> touched;
      split.visit_parameters([&](nn::param_ref<B> p) {
        grads.push_back(host_of<B>(p.grad.values()));
        if (p.sparse()) touched.push_back(host_of<B>(*p.touched));
      });
      std::size_t part = 0, sparse = 0;
      whole.visit_parameters([&](nn::param_ref<B> p) {
        BOOST_TEST_CONTEXT(p.name << ", dropout " << dropout << ", " << pairs << " pairs") {
          BOOST_TEST(far_apart(grads[part], host_of<B>(p.grad.values())) == 0u);
          if (p.sparse()) BOOST_TEST(touched[sparse++] == host_of<B>(*p.touched), boost::test_tools::per_element());
        }
        ++part;
      });
      BOOST_TEST(part == grads.size());
    }
  }
}

// The split first layer's bits do not depend on the thread count: one thread, and two threads
// with a grain of one unit (every loop of the backend in a parallel region: the per-row sums of
// the scatter-add, the GEMM's row blocks).
BOOST_AUTO_TEST_CASE(split_first_layer_is_the_same_at_any_thread_count) {
  using B = backends::Eigen<double>;
  const auto run = [](int team) {
    auto m = small_neumf<B>(0.0, 13);
    const auto batch = random_batch<B>(m.users(), m.items(), 300, 21);
    const auto c = random_coefficients<B>(300, 22);
    typename models::NeuMF<B>::workspace ws;
    typename B::vector logits;
    std::vector<std::vector<double>> out;
    {
      const threads::scoped scope(team);
      m.forward(batch, ws, logits);
      m.backward(ws, c);
    }
    out.push_back(host_of<B>(logits));
    m.visit_parameters([&](nn::param_ref<B> p) { out.push_back(host_of<B>(p.grad.values())); });
    return out;
  };
  const auto one = run(1);
  threads::set_adaptive(false);  // a loaded test machine must not take the serial path instead
  threads::set_grain(1);
  const auto two = run(2);
  threads::set_grain(0);
  threads::set_adaptive(true);
  BOOST_TEST_REQUIRE(one.size() == two.size());
  for (std::size_t k = 0; k < one.size(); ++k) BOOST_TEST(one[k] == two[k], "part " << k);
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
