// NGCF on every CPU backend: the forward against a host loop of the reference's formulas,
// gradients against finite differences (evaluation mode, and training mode with message and
// node dropout, whose masks are replayed), the batch L2 term, dropout streams and replay,
// score() against forward(), reset and errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <denoise/models/ngcf.hpp>
#include <denoise/models/static_checks.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {
// 6 users x 9 items, user 4 without items, item 8 without users
struct small_graph {
  std::vector<offset_t> offsets{0, 3, 5, 9, 11, 11, 14};
  std::vector<index_t> items{0, 2, 5, 1, 2, 0, 3, 4, 7, 2, 6, 1, 5, 7};
  csr_view view() const { return {{offsets.data(), offsets.size()}, {items.data(), items.size()}}; }
};

template <class B>
models::NGCF<B> small_ngcf(const small_graph& g, index_t layers = 2, double message = 0.0, double node = 0.0,
                           double l2 = 0.0, std::uint64_t seed = 3) {
  models::ngcf_options o;
  o.factor = 3;
  o.layers = layers;
  o.message_dropout = message;
  o.node_dropout = node;
  o.l2 = l2;
  o.init = nn::init::uniform(-0.8, 0.8);
  return models::NGCF<B>(6, 9, g.view(), o, seed);
}

template <class B>
std::vector<std::vector<double>> parameter_values(models::NGCF<B>& m) {
  std::vector<std::vector<double>> out;
  m.visit_parameters([&](nn::param_ref<B> p) {
    const auto h = host_of<B>(p.value.values());
    out.emplace_back(h.begin(), h.end());
  });
  return out;
}
}  // namespace

static_assert(models::check_model<models::NGCF<backends::Eigen<double>>>(), "");

BOOST_AUTO_TEST_SUITE(models_ngcf)

DENOISE_TYPED_TEST(forward_matches_the_reference_formulas, backend_list_double) {
  using B = TestType;
  const small_graph g;
  auto m = small_ngcf<B>(g, 2);
  m.eval();
  const auto p = parameter_values(m);
  const auto& a = m.adjacency();
  const std::size_t n = 15, d = 3;
  std::vector<double> h(n * d);
  std::copy(p[0].begin(), p[0].end(), h.begin());
  std::copy(p[1].begin(), p[1].end(), h.begin() + 6 * d);
  std::vector<std::vector<double>> blocks{h};
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& wgc = p[2 + 4 * k];
    const auto& bgc = p[3 + 4 * k];
    const auto& wbi = p[4 + 4 * k];
    const auto& bbi = p[5 + 4 * k];
    std::vector<double> side(n * d, 0.0), next(n * d), normed(n * d);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t c = 0; c < d; ++c) side[r * d + c] += a.at(static_cast<index_t>(r), static_cast<index_t>(j)) * h[j * d + c];
    for (std::size_t r = 0; r < n; ++r) {
      double ss = 0.0;
      for (std::size_t c = 0; c < d; ++c) {
        double z = bgc[c] + bbi[c];
        for (std::size_t q = 0; q < d; ++q) z += side[r * d + q] * wgc[q * d + c] + h[r * d + q] * side[r * d + q] * wbi[q * d + c];
        next[r * d + c] = z > 0 ? z : 0.2 * z;
        ss += next[r * d + c] * next[r * d + c];
      }
      for (std::size_t c = 0; c < d; ++c) normed[r * d + c] = next[r * d + c] / std::max(std::sqrt(ss), 1e-12);
    }
    blocks.push_back(normed);
    h = next;
  }
  const auto u = to_index<B>({0, 3, 5, 4});
  const auto it = to_index<B>({8, 1, 4, 2});
  typename B::vector logits;
  m.forward(u, it, logits);
  const auto hl = host_of<B>(logits);
  const std::vector<std::size_t> us{0, 3, 5, 4}, is{8, 1, 4, 2};
  for (std::size_t k = 0; k < us.size(); ++k) {
    double want = 0.0;
    for (const auto& b : blocks)
      for (std::size_t c = 0; c < d; ++c) want += b[us[k] * d + c] * b[(6 + is[k]) * d + c];
    BOOST_TEST(hl[k] == want, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(m.feature_dim() == 2 * 3 * 3);
}

DENOISE_TYPED_TEST(gradients, backend_list_double) {
  const small_graph g;
  for (index_t layers : {0, 1, 2}) {
    auto m = small_ngcf<TestType>(g, layers);
    m.eval();
    check_model_gradients(m, 30, 1 + static_cast<std::uint64_t>(layers));
  }
}

DENOISE_TYPED_TEST(gradients_with_dropout_replayed, backend_list_double) {
  const small_graph g;
  auto m = small_ngcf<TestType>(g, 2, 0.3, 0.2);
  m.train();
  check_model_gradients(m, 30, 7);
}

DENOISE_TYPED_TEST(gradients_with_l2, backend_list_double) {
  // the L2 term is not in the logits: check it alone with dlogits = 0 against its closed form,
  // (l2 / pairs) e_row per occurrence of a row, sent back through the layers by backward()
  using B = TestType;
  const small_graph g;
  auto with = small_ngcf<B>(g, 0, 0.0, 0.0, 0.6);
  with.eval();
  const auto u = to_index<B>({1, 3, 1});
  const auto i = to_index<B>({0, 8, 2});
  typename B::vector logits;
  with.forward(u, i, logits);
  with.backward(to_vector<B>({0, 0, 0}));
  std::vector<std::vector<double>> grad, value;
  with.visit_parameters([&](nn::param_ref<B> p) {
    const auto hg = host_of<B>(p.grad.values());
    const auto hv = host_of<B>(p.value.values());
    grad.emplace_back(hg.begin(), hg.end());
    value.emplace_back(hv.begin(), hv.end());
  });
  // L = 0: the final table is E^(0) itself
  const std::vector<double> user_count{0, 2, 0, 1, 0, 0}, item_count{1, 0, 1, 0, 0, 0, 0, 0, 1};
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      BOOST_TEST(grad[0][r * 3 + c] == 0.2 * user_count[r] * value[0][r * 3 + c], boost::test_tools::tolerance(1e-12));
  for (std::size_t r = 0; r < 9; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      BOOST_TEST(grad[1][r * 3 + c] == 0.2 * item_count[r] * value[1][r * 3 + c], boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(dropout_streams_and_replay, backend_list_double) {
  using B = TestType;
  const small_graph g;
  auto m = small_ngcf<B>(g, 2, 0.4, 0.3);
  const auto batch = random_batch<B>(6, 9, 20, 3);
  typename models::NGCF<B>::workspace ws;
  typename B::vector first, again, replayed, evaluated;
  m.forward(batch, ws, first);
  m.forward(batch, ws, again);  // a new mask
  ws.replay = true;
  m.forward(batch, ws, replayed);  // the second mask again
  BOOST_TEST((host_of<B>(first) != host_of<B>(again)));
  BOOST_TEST((host_of<B>(again) == host_of<B>(replayed)));
  BOOST_TEST(m.dropouts() == 2u);
  m.set_dropouts(0);
  typename models::NGCF<B>::workspace fresh;
  m.forward(batch, fresh, evaluated);
  BOOST_TEST((host_of<B>(first) == host_of<B>(evaluated)));  // the same stream from the same count
  typename models::NGCF<B>::workspace empty;
  empty.replay = true;
  BOOST_CHECK_THROW(m.forward(batch, empty, evaluated), denoise::config_error);
  m.eval();
  m.forward(batch, fresh, evaluated);
  BOOST_TEST((host_of<B>(first) != host_of<B>(evaluated)));
}

DENOISE_TYPED_TEST(score_matches_forward, backend_list_double) {
  const small_graph g;
  auto m = small_ngcf<TestType>(g, 2, 0.3, 0.2);
  check_score_matches_forward(m);
  check_feature_shape(m);
}

DENOISE_TYPED_TEST(reset_and_errors, backend_list_double) {
  using B = TestType;
  const small_graph g;
  auto m = small_ngcf<B>(g);
  check_reset(m);
  check_errors(m);
  models::ngcf_options o;
  o.message_dropout = 1.0;
  BOOST_CHECK_THROW(models::NGCF<B>(6, 9, g.view(), o), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
