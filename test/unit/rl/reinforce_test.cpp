// REINFORCE: the score-function dlogits against a hand-computed two-sample case and against
// finite differences of log π; accumulation, normalisation and the descent gradient through a
// tiny linear policy written here (no nn layers); sparse-row union; bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/nn/parameter.hpp>
#include <denoise/rl/reinforce.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {

template <class B>
std::vector<typename B::scalar> host_m(const typename B::matrix& m) {
  std::vector<typename B::scalar> out;
  B::to_host(m, out);
  return out;
}
template <class B, class V>
auto host_v(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

/// logits = x W + b: the smallest policy network with backward(dlogits) and visit_parameters.
template <class B>
struct linear_policy {
  using matrix = typename B::matrix;
  matrix w, b, dw, db, x;

  linear_policy(const std::vector<typename B::scalar>& weights, index_t features, index_t actions) {
    B::from_host(weights, features, actions, w);
    b.resize(1, actions);
    B::fill(b, typename B::scalar(0));
    dw.resize(features, actions);
    db.resize(1, actions);
  }
  void forward(const matrix& input, matrix& logits) {
    B::copy(input, x);
    B::gemm(false, false, typename B::scalar(1), x, w, typename B::scalar(0), logits);
    B::add_row_broadcast(logits, b);
  }
  void backward(const matrix& dlogits) {
    B::gemm(true, false, typename B::scalar(1), x, dlogits, typename B::scalar(0), dw);
    B::col_sum(dlogits, db);
  }
  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"w", w, dw, nullptr});
    f(nn::param_ref<B>{"b", b, db, nullptr});
  }
};

/// One sparse-row parameter (an embedding-like table): backward writes the given rows.
template <class B>
struct table_policy {
  using matrix = typename B::matrix;
  matrix table, grad;
  typename B::index_vector touched;
  std::vector<index_t> next_rows;

  table_policy() {
    table.resize(4, 1);
    grad.resize(4, 1);
    B::fill(table, typename B::scalar(0));
    B::fill(grad, typename B::scalar(0));
  }
  void backward(const matrix& /*dlogits*/) {
    std::vector<typename B::scalar> g(4, 0);
    for (index_t r : next_rows) g[std::size_t(r)] = typename B::scalar(r + 1);
    B::from_host(g, 4, 1, grad);
    B::from_host(next_rows, touched);
  }
  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"table", table, grad, &touched});
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(rl_reinforce)

// Two samples, two actions, a linear policy logits = x W:
//   x1 = (1, 0), W row 0 = (0, ln 3)  -> logits (0, ln 3), p = (1/4, 3/4), a1 = 1, adv 2
//   x2 = (0, 2), W row 1 = (0, 0)     -> logits (0, 0),    p = (1/2, 1/2), a2 = 0, adv -3
//   dlogits1 = 2 ((0,1) - (1/4,3/4)) = (-1/2, 1/2);  dlogits2 = -3 ((1,0) - (1/2,1/2)) = (-3/2, 3/2)
//   G_W = x1ᵀ dlogits1 + x2ᵀ dlogits2 = [[-1/2, 1/2], [-3, 3]];  G_b = (-2, 2)
DENOISE_TYPED_TEST(two_sample_case_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  const double tol = denoise::test::tolerance<B>();
  linear_policy<B> policy({0, std::log(3.0), 0, 0}, 2, 2);
  typename B::matrix x, logits, dlogits;
  B::from_host(std::vector<S>{1, 0, 0, 2}, 2, 2, x);
  policy.forward(x, logits);
  typename B::index_vector actions;
  typename B::vector advantage;
  B::from_host(std::vector<index_t>{1, 0}, actions);
  B::from_host(std::vector<S>{2, -3}, advantage);

  rl::Reinforce<B>::score_dlogits(logits, actions, advantage, dlogits);
  const std::vector<double> expected_dlogits{-0.5, 0.5, -1.5, 1.5};
  const auto got = host_m<B>(dlogits);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(got[i] == expected_dlogits[i], boost::test_tools::tolerance(tol));

  rl::Reinforce<B> reinforce;
  reinforce.reset(policy);
  reinforce.accumulate(policy, dlogits, 2);
  BOOST_TEST(reinforce.samples() == 2u);
  const auto gw = host_m<B>(reinforce.gradient()[0]);
  const auto gb = host_m<B>(reinforce.gradient()[1]);
  const std::vector<double> expected_w{-0.5, 0.5, -3, 3};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(gw[i] == expected_w[i], boost::test_tools::tolerance(tol));
  BOOST_TEST(gb[0] == -2.0, boost::test_tools::tolerance(tol));
  BOOST_TEST(gb[1] == 2.0, boost::test_tools::tolerance(tol));

  // A second accumulation of the same batch doubles G; normalise() divides by the 4 samples seen.
  reinforce.accumulate(policy, dlogits, 2);
  reinforce.normalise();
  const auto nw = host_m<B>(reinforce.gradient()[0]);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(nw[i] == expected_w[i] / 2, boost::test_tools::tolerance(tol));

  // Descent form: the network's gradients become -G.
  reinforce.write_descent(policy);
  const auto dw = host_m<B>(policy.dw);
  const auto db = host_m<B>(policy.db);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(dw[i] == -expected_w[i] / 2, boost::test_tools::tolerance(tol));
  BOOST_TEST(db[0] == 1.0, boost::test_tools::tolerance(tol));
  BOOST_TEST(db[1] == -1.0, boost::test_tools::tolerance(tol));

  // Scalar advantage: accumulate the plain score, then scale by (R - b) once (Ge et al.).
  typename B::matrix plain;
  rl::Reinforce<B>::score_dlogits(logits, actions, S(1), plain);
  rl::Reinforce<B> epoch;
  epoch.reset(policy);
  epoch.accumulate(policy, plain, 2, [&policy](const typename B::matrix& d) { policy.backward(d); });
  epoch.scale(S(0.5));
  epoch.normalise(2);
  // G_W(adv 1) = x1ᵀ (-1/4, 1/4) + x2ᵀ (1/2, -1/2) = [[-1/4, 1/4], [1, -1]]; x 0.5 / 2
  const std::vector<double> expected_epoch{-1.0 / 16, 1.0 / 16, 0.25, -0.25};
  const auto ew = host_m<B>(epoch.gradient()[0]);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(ew[i] == expected_epoch[i], boost::test_tools::tolerance(tol));
}

// d log π(a|z) / dz against central differences, softmax over 3 actions and Bernoulli (1 column).
DENOISE_TYPED_TEST(score_matches_finite_differences, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  for (index_t cols : {1, 3}) {
    const index_t rows = 5;
    std::vector<S> z(std::size_t(rows * cols));
    random::counter_stream stream(42);
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = S(4) * stream.uniform<S>(i) - S(2);
    std::vector<index_t> a{0, 1, cols == 1 ? 1 : 2, 0, 1};
    typename B::matrix logits, dlogits;
    typename B::index_vector actions;
    B::from_host(z, rows, cols, logits);
    B::from_host(a, actions);
    rl::Reinforce<B>::score_dlogits(logits, actions, S(1), dlogits);
    const auto analytic = host_m<B>(dlogits);
    const S eps = S(1e-6);
    for (std::size_t i = 0; i < z.size(); ++i) {
      auto zp = z, zm = z;
      zp[i] += eps;
      zm[i] -= eps;
      typename B::matrix lp_m, lm_m;
      typename B::vector lp, lm;
      B::from_host(zp, rows, cols, lp_m);
      B::from_host(zm, rows, cols, lm_m);
      rl::Reinforce<B>::log_prob(lp_m, actions, lp);
      rl::Reinforce<B>::log_prob(lm_m, actions, lm);
      const std::size_t r = i / std::size_t(cols);
      const double fd = (double(host_v<B>(lp)[r]) - double(host_v<B>(lm)[r])) / (2 * double(eps));
      BOOST_TEST(double(analytic[i]) == fd, boost::test_tools::tolerance(1e-6));
    }
  }
}

// log π against the definition: softmax probabilities and σ(z).
DENOISE_TYPED_TEST(log_prob_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  typename B::matrix logits;
  typename B::index_vector actions;
  typename B::vector out;
  B::from_host(std::vector<S>{0, std::log(S(3)), 0, 0}, 2, 2, logits);
  B::from_host(std::vector<index_t>{1, 0}, actions);
  rl::Reinforce<B>::log_prob(logits, actions, out);
  BOOST_TEST(host_v<B>(out)[0] == std::log(0.75), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(host_v<B>(out)[1] == std::log(0.5), boost::test_tools::tolerance(1e-12));
  B::from_host(std::vector<S>{std::log(S(3)), std::log(S(3))}, 2, 1, logits);  // σ = 3/4
  rl::Reinforce<B>::log_prob(logits, actions, out);
  BOOST_TEST(host_v<B>(out)[0] == std::log(0.75), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(host_v<B>(out)[1] == std::log(0.25), boost::test_tools::tolerance(1e-12));
}

// Sparse-row parameters: G sums the rows of every accumulation, and write_descent hands the
// network the union of the touched rows.
DENOISE_TYPED_TEST(sparse_rows_union, denoise::test::backend_list_double) {
  using B = TestType;
  table_policy<B> net;
  typename B::matrix dummy(1, 1);
  rl::Reinforce<B> reinforce;
  reinforce.reset(net);
  net.next_rows = {1, 3};
  reinforce.accumulate(net, dummy, 1);
  net.next_rows = {0, 3};
  reinforce.accumulate(net, dummy, 1);
  const auto g = host_m<B>(reinforce.gradient()[0]);
  BOOST_TEST(g == (std::vector<typename B::scalar>{1, 2, 0, 8}), boost::test_tools::per_element());
  net.next_rows = {2};
  net.backward(dummy);  // the network's own state changes; write_descent overrides it
  reinforce.write_descent(net);
  BOOST_TEST(host_m<B>(net.grad) == (std::vector<typename B::scalar>{-1, -2, 0, -8}), boost::test_tools::per_element());
  BOOST_TEST(host_v<B>(net.touched) == (std::vector<index_t>{0, 1, 3}), boost::test_tools::per_element());
}

DENOISE_TYPED_TEST(bad_input_is_a_config_error_with_a_field, denoise::test::backend_list_float) {
  using B = TestType;
  using S = typename B::scalar;
  typename B::matrix logits, dlogits;
  typename B::index_vector actions;
  typename B::vector advantage;
  B::from_host(std::vector<S>{0, 1, 2, 3}, 2, 2, logits);
  B::from_host(std::vector<index_t>{0, 1, 1}, actions);
  B::from_host(std::vector<S>{1, 1}, advantage);
  try {
    rl::Reinforce<B>::score_dlogits(logits, actions, advantage, dlogits);
    BOOST_FAIL("mismatched actions accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "actions");
  }
  B::from_host(std::vector<index_t>{0, 1}, actions);
  B::from_host(std::vector<S>{1, 1, 1}, advantage);
  try {
    rl::Reinforce<B>::score_dlogits(logits, actions, advantage, dlogits);
    BOOST_FAIL("mismatched advantages accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "advantage");
  }
  B::from_host(std::vector<index_t>{0, 2}, actions);  // action 2 of a 2-action policy
  BOOST_CHECK_THROW(rl::Reinforce<B>::score_dlogits(logits, actions, S(1), dlogits), input_error);

  linear_policy<B> small({0, 0, 0, 0}, 2, 2);
  linear_policy<B> other({0, 0, 0, 0, 0, 0}, 3, 2);
  rl::Reinforce<B> reinforce;
  reinforce.reset(small);
  try {
    reinforce.add_gradients(other, 1);
    BOOST_FAIL("a differently shaped network accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "net");
  }
  try {
    reinforce.normalise(0);
    BOOST_FAIL("normalise(0) accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "count");
  }
}

BOOST_AUTO_TEST_SUITE_END()
