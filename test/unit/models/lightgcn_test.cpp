// LightGCN and the sparse products under it, on every CPU backend: Â's values by hand on a tiny
// graph (both normalizations), Â x and Â^T x (masked too) against a dense host product, the
// model's gradients and jvp against finite differences, the batch L2 term, score() against
// forward(), reset, errors and the propagation against a host loop.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/models/lightgcn.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/graph/sparse_propagation.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
// 3 users x 4 items: u0 {0, 1}, u1 {1, 2, 1 (a repeat)}, u2 {} ; item 3 has no users
struct tiny_graph {
  std::vector<offset_t> offsets{0, 2, 5, 5};
  std::vector<index_t> items{0, 1, 2, 1, 1};
  csr_view view() const { return {{offsets.data(), offsets.size()}, {items.data(), items.size()}}; }
};

// 6 users x 9 items, user 4 without items, item 8 without users
struct small_graph {
  std::vector<offset_t> offsets{0, 3, 5, 9, 11, 11, 14};
  std::vector<index_t> items{0, 2, 5, 1, 2, 0, 3, 4, 7, 2, 6, 1, 5, 7};
  csr_view view() const { return {{offsets.data(), offsets.size()}, {items.data(), items.size()}}; }
};

template <class B>
models::LightGCN<B> small_lightgcn(const small_graph& g, index_t layers = 3, double l2 = 0.0, std::uint64_t seed = 3) {
  models::lightgcn_options o;
  o.factor = 4;
  o.layers = layers;
  o.l2 = l2;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  return models::LightGCN<B>(6, 9, g.view(), o, seed);
}

/// The dense Â of a NormalizedAdjacency, from at().
template <class B>
std::vector<double> dense(const nn::graph::NormalizedAdjacency<B>& a) {
  const auto n = static_cast<std::size_t>(a.nodes());
  std::vector<double> m(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) m[i * n + j] = a.at(static_cast<index_t>(i), static_cast<index_t>(j));
  return m;
}
}  // namespace

static_assert(models::check_model<models::LightGCN<backends::Eigen<double>>>(), "");
static_assert(nn::has_exact_jvp_v<models::LightGCN<backends::Eigen<double>>>, "");

BOOST_AUTO_TEST_SUITE(models_lightgcn)

DENOISE_TYPED_TEST(symmetric_adjacency_by_hand, backend_list_double) {
  // degrees: u0 2, u1 2, u2 0, i0 1, i1 2, i2 1, i3 0; nodes 0-2 users, 3-6 items
  const tiny_graph g;
  const nn::graph::NormalizedAdjacency<TestType> a(g.view(), 3, 4, nn::graph::normalization::symmetric);
  BOOST_TEST(a.nodes() == 7);
  BOOST_TEST(a.nnz() == 8u);  // 4 edges, both directions; the repeat counts once
  const auto m = dense(a);
  auto at = [&](int i, int j) { return m[static_cast<std::size_t>(i) * 7 + static_cast<std::size_t>(j)]; };
  BOOST_TEST(at(0, 3) == 1.0 / std::sqrt(2.0 * 1.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(0, 4) == 1.0 / std::sqrt(2.0 * 2.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(1, 4) == 0.5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(1, 5) == 1.0 / std::sqrt(2.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(0, 0) == 0.0);  // no self loops
  BOOST_TEST(at(0, 5) == 0.0);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 7; ++j) BOOST_TEST(at(i, j) == at(j, i));
  for (int j = 0; j < 7; ++j) BOOST_TEST(at(2, j) == 0.0);  // isolated user: empty row
}

DENOISE_TYPED_TEST(mean_adjacency_with_self_loops_by_hand, backend_list_double) {
  const tiny_graph g;
  const nn::graph::NormalizedAdjacency<TestType> a(g.view(), 3, 4, nn::graph::normalization::mean_with_self_loops);
  BOOST_TEST(a.nnz() == 15u);  // 8 + 7 self loops
  const auto m = dense(a);
  auto at = [&](int i, int j) { return m[static_cast<std::size_t>(i) * 7 + static_cast<std::size_t>(j)]; };
  BOOST_TEST(at(0, 0) == 1.0 / 3.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(0, 3) == 1.0 / 3.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(3, 0) == 0.5, boost::test_tools::tolerance(1e-15));   // item 0: degree 1 + loop
  BOOST_TEST(at(4, 1) == 1.0 / 3.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(at(2, 2) == 1.0);  // isolated user: only its loop
  BOOST_TEST(at(6, 6) == 1.0);
  for (int i = 0; i < 7; ++i) {
    double row = 0.0;
    for (int j = 0; j < 7; ++j) row += at(i, j);
    BOOST_TEST(row == 1.0, boost::test_tools::tolerance(1e-14));  // D^-1 (A + I) is row-stochastic
  }
}

DENOISE_TYPED_TEST(products_match_a_dense_host_product, backend_list_double) {
  using B = TestType;
  const small_graph g;
  for (auto how : {nn::graph::normalization::symmetric, nn::graph::normalization::mean_with_self_loops}) {
    const nn::graph::NormalizedAdjacency<B> a(g.view(), 6, 9, how);
    const auto m = dense(a);
    const std::size_t n = 15, d = 3;
    std::vector<double> hx(n * d), hadd(n * d), hmask(a.nnz());
    for (std::size_t k = 0; k < hx.size(); ++k) hx[k] = std::sin(1.0 + static_cast<double>(k));
    for (std::size_t k = 0; k < hadd.size(); ++k) hadd[k] = std::cos(static_cast<double>(k));
    for (std::size_t k = 0; k < hmask.size(); ++k) hmask[k] = k % 3 == 0 ? 0.0 : 1.5;
    typename B::matrix x, add, y;
    B::from_host(hx, static_cast<index_t>(n), static_cast<index_t>(d), x);
    B::from_host(hadd, static_cast<index_t>(n), static_cast<index_t>(d), add);
    const auto mask = to_vector<B>(hmask);
    // the masked dense matrix: entry k of the CSR (host order) scaled by mask[k]
    std::vector<double> mm(m);
    {
      std::size_t k = 0;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (m[i * n + j] != 0.0) mm[i * n + j] *= hmask[k++];
    }
    for (int variant = 0; variant < 4; ++variant) {
      nn::graph::propagate_options<B> o;
      o.transpose = variant % 2 == 1;
      o.mask = variant >= 2 ? &mask : nullptr;
      o.add = &add;
      nn::graph::propagate(a, x, y, o);
      const auto& dm = variant >= 2 ? mm : m;
      const auto hy = host_of<B>(y.values());
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < d; ++c) {
          double want = hadd[i * d + c];
          for (std::size_t j = 0; j < n; ++j) want += (o.transpose ? dm[j * n + i] : dm[i * n + j]) * hx[j * d + c];
          BOOST_TEST(hy[i * d + c] == want, boost::test_tools::tolerance(1e-12));
        }
      }
    }
  }
}

DENOISE_TYPED_TEST(bad_training_graph_is_named, backend_list_double) {
  using B = TestType;
  std::vector<offset_t> off{0, 1, 2};
  std::vector<index_t> items{0, 9};
  const csr_view bad{{off.data(), off.size()}, {items.data(), items.size()}};
  BOOST_CHECK_THROW(nn::graph::NormalizedAdjacency<B>(bad, 2, 9, nn::graph::normalization::symmetric), denoise::input_error);
  BOOST_CHECK_THROW(nn::graph::NormalizedAdjacency<B>(bad, 3, 10, nn::graph::normalization::symmetric), denoise::config_error);
  models::lightgcn_options o;
  BOOST_CHECK_THROW(models::LightGCN<B>(2, 9, bad, o), denoise::input_error);
  o.layers = -1;
  const small_graph g;
  BOOST_CHECK_THROW(models::LightGCN<B>(6, 9, g.view(), o), denoise::config_error);
}

DENOISE_TYPED_TEST(gradients, backend_list_double) {
  const small_graph g;
  for (index_t layers : {0, 1, 3}) {
    auto m = small_lightgcn<TestType>(g, layers);
    check_model_gradients(m, 30, 1 + static_cast<std::uint64_t>(layers));
  }
}

DENOISE_TYPED_TEST(jvp_matches_finite_differences, backend_list_double) {
  const small_graph g;
  auto m = small_lightgcn<TestType>(g);
  check_jvp_against_finite_differences(m, 25, 4);
}

DENOISE_TYPED_TEST(l2_adds_the_batch_layer0_rows, backend_list_double) {
  // with dlogits = 0 the gradient is the L2 term alone: (l2 / pairs) * E0 row per occurrence
  using B = TestType;
  const small_graph g;
  auto m = small_lightgcn<B>(g, 3, 0.3);
  const auto u = to_index<B>({1, 3, 1});
  const auto i = to_index<B>({0, 8, 2});
  typename B::vector logits;
  m.forward(u, i, logits);
  m.backward(to_vector<B>({0, 0, 0}));
  std::vector<std::vector<double>> value, grad;
  m.visit_parameters([&](nn::param_ref<B> p) {
    value.push_back(host_of<B>(p.value.values()));
    grad.push_back(host_of<B>(p.grad.values()));
  });
  BOOST_REQUIRE(grad.size() == 2u);
  // occurrences: users 1 (twice), 3; items 0, 8, 2
  const std::vector<double> user_count{0, 2, 0, 1, 0, 0}, item_count{1, 0, 1, 0, 0, 0, 0, 0, 1};
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t c = 0; c < 4; ++c)
      BOOST_TEST(grad[0][r * 4 + c] == 0.1 * user_count[r] * value[0][r * 4 + c], boost::test_tools::tolerance(1e-12));
  for (std::size_t r = 0; r < 9; ++r)
    for (std::size_t c = 0; c < 4; ++c)
      BOOST_TEST(grad[1][r * 4 + c] == 0.1 * item_count[r] * value[1][r * 4 + c], boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(propagation_matches_a_host_loop, backend_list_double) {
  using B = TestType;
  const small_graph g;
  auto m = small_lightgcn<B>(g, 2);
  const auto& a = m.adjacency();
  const auto am = dense(a);
  const std::size_t n = 15, d = 4;
  std::vector<double> e0(n * d);
  const auto hu = host_of<B>(m.user_embedding().values());
  const auto hi = host_of<B>(m.item_embedding().values());
  std::copy(hu.begin(), hu.end(), e0.begin());
  std::copy(hi.begin(), hi.end(), e0.begin() + static_cast<std::ptrdiff_t>(6 * d));
  std::vector<double> sum(e0), cur(e0), next(n * d);
  for (int l = 0; l < 2; ++l) {
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < d; ++c) {
        double acc = 0.0;
        for (std::size_t j = 0; j < n; ++j) acc += am[r * n + j] * cur[j * d + c];
        next[r * d + c] = acc;
      }
    cur = next;
    for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += cur[k];
  }
  const auto u = to_index<B>({0, 3, 5});
  const auto it = to_index<B>({8, 1, 4});
  typename B::vector logits;
  m.forward(u, it, logits);
  const auto hl = host_of<B>(logits);
  const std::vector<std::size_t> us{0, 3, 5}, is{8, 1, 4};
  for (std::size_t k = 0; k < 3; ++k) {
    double want = 0.0;
    for (std::size_t c = 0; c < d; ++c) want += sum[us[k] * d + c] / 3.0 * sum[(6 + is[k]) * d + c] / 3.0;
    BOOST_TEST(hl[k] == want, boost::test_tools::tolerance(1e-12));
  }
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  const small_graph g;
  auto m = small_lightgcn<TestType>(g);
  check_score_matches_forward(m);
  check_feature_shape(m);
}

DENOISE_TYPED_TEST(reset_and_errors, backend_list_double) {
  const small_graph g;
  auto m = small_lightgcn<TestType>(g);
  check_reset(m);
  check_errors(m);
}

BOOST_AUTO_TEST_SUITE_END()
