// Θ of AutoDenoise (methods::PolicyNetwork): the REINFORCE gradient through its head on a
// hand-computed case, its backward against finite differences of Σ adv_r log π(a_r | x_r), and
// the code profile's epsilon-greedy choice.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/methods/autodenoise_selection/epsilon_greedy.hpp>
#include <denoise/methods/autodenoise_selection/instance_selection.hpp>
#include <denoise/methods/autodenoise_selection/policy_network.hpp>
#include <denoise/nn/gradient_check.hpp>
#include <denoise/rl/reinforce.hpp>

#include "../ctr/ctr_checks.hpp"

using namespace denoise;

namespace {

using Bd = backends::Eigen<double>;

template <class B>
std::vector<typename B::scalar> host(const typename B::matrix& m) {
  std::vector<typename B::scalar> out;
  B::to_host(m, out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(autodenoise_policy)

// With the head's weight at 0 and its bias (0, ln 3), π(select | x) = 3/4 for every row, and
// only the head's bias gets a gradient. Rows: (a1 = 1, r = 2), (a1 = 1, r = -1), (a1 = 0, r = 5).
// The paper's objective Σ_{a1_i = 1} r_i ∇log π(1|x_i) gives, per logit column k,
//   d/db_1 = 2 (1 - 3/4) + (-1)(1 - 3/4) = 0.25,   d/db_0 = 2 (0 - 1/4) + (-1)(0 - 1/4) = -0.25,
// and the deselected row contributes nothing; write_descent stores the negation.
BOOST_AUTO_TEST_CASE(reinforce_gradient_through_the_head_matches_a_hand_computed_case) {
  const std::vector<index_t> dims{5, 4, 3};
  methods::PolicyNetwork<Bd> theta(dims, {}, 3);
  Bd::fill(theta.head().weight(), 0.0);
  Bd::from_host(std::vector<double>{0.0, std::log(3.0)}, 1, 2, theta.head().bias());
  const auto batch = test::random_field_batch<Bd>(dims, 3, 9);
  typename methods::PolicyNetwork<Bd>::workspace ws;
  Bd::matrix logits, probs, dlogits;
  theta.train(true);
  theta.forward(batch, ws, logits);
  methods::PolicyNetwork<Bd>::probabilities(logits, probs);
  for (double p : host<Bd>(probs)) BOOST_TEST((std::abs(p - 0.75) < 1e-12 || std::abs(p - 0.25) < 1e-12));

  Bd::index_vector a1;
  Bd::from_host(std::vector<index_t>{1, 1, 0}, a1);
  Bd::vector reward, advantage(3);
  Bd::from_host(std::vector<double>{2.0, -1.0, 5.0}, reward);
  Bd::launch(3, methods::detail::masked_advantage<double>{Bd::ptr(a1), Bd::ptr(reward), 0.0, Bd::ptr(advantage)});
  rl::Reinforce<Bd> reinforce;
  rl::Reinforce<Bd>::score_dlogits(logits, a1, advantage, dlogits);
  reinforce.reset(theta);
  reinforce.accumulate(theta, dlogits, 3, [&](const Bd::matrix& d) { theta.backward(ws, d); });
  reinforce.write_descent(theta);

  std::vector<double> bias_grad;
  int nonzero_elsewhere = 0;
  theta.visit_parameters([&](nn::param_ref<Bd> p) {
    std::vector<double> g;
    Bd::to_host(p.grad, g);
    if (&p.value == &theta.head().bias()) {
      bias_grad = g;
    } else if (&p.value != &theta.head().weight()) {
      for (double x : g) nonzero_elsewhere += x != 0.0 ? 1 : 0;
    }
  });
  BOOST_REQUIRE(bias_grad.size() == 2u);
  BOOST_TEST(bias_grad[0] == 0.25, boost::test_tools::tolerance(1e-12));   // -(d/db_0)
  BOOST_TEST(bias_grad[1] == -0.25, boost::test_tools::tolerance(1e-12));  // -(d/db_1)
  BOOST_TEST(nonzero_elsewhere == 0);  // a zero head passes no gradient below it
}

// Σ_r adv_r log π(a_r | x_r) in evaluation mode: REINFORCE's ascent direction equals its gradient.
BOOST_AUTO_TEST_CASE(reinforce_gradient_of_the_whole_network_matches_finite_differences) {
  const std::vector<index_t> dims{6, 5, 4, 3};
  methods::PolicyNetwork<Bd> theta(dims, {}, 11);
  theta.eval();
  const auto batch = test::random_field_batch<Bd>(dims, 7, 4);
  typename methods::PolicyNetwork<Bd>::workspace ws;
  Bd::matrix logits, dlogits;
  Bd::index_vector actions;
  Bd::from_host(std::vector<index_t>{1, 0, 1, 1, 0, 1, 0}, actions);
  Bd::vector advantage, logp;
  Bd::from_host(std::vector<double>{0.5, -1.0, 2.0, 0.0, 1.5, -0.25, 3.0}, advantage);
  auto objective = [&] {
    theta.forward(batch, ws, logits);
    rl::Reinforce<Bd>::log_prob(logits, actions, logp);
    return static_cast<double>(Bd::dot(logp, advantage));
  };
  auto grad = [&] {
    objective();
    rl::Reinforce<Bd>::score_dlogits(logits, actions, advantage, dlogits);
    theta.backward(ws, dlogits);
  };
  const auto result = nn::check_gradients<Bd>(theta, objective, grad);
  BOOST_TEST(result.passed, result.report());
  BOOST_TEST(result.checked > 50u);
}

BOOST_AUTO_TEST_CASE(epsilon_greedy_is_argmax_at_zero_and_flips_about_epsilon) {
  const std::size_t n = 4000;
  std::vector<double> p(2 * n);
  std::vector<index_t> ids(n), greedy(n);
  for (std::size_t r = 0; r < n; ++r) {
    const double select = static_cast<double>(r % 7) / 6.0;  // includes the tie 0.5 -> deselect (torch.argmax)
    p[2 * r + 0] = 1.0 - select;
    p[2 * r + 1] = select;
    ids[r] = static_cast<index_t>(r);
    greedy[r] = select > 1.0 - select ? 1 : 0;
  }
  Bd::matrix probs(static_cast<index_t>(n), 2);
  Bd::from_host(p, static_cast<index_t>(n), 2, probs);
  Bd::index_vector dids, actions;
  Bd::from_host(ids, dids);
  methods::EpsilonGreedy::State<Bd> argmax(methods::EpsilonGreedy(0.0), 1);
  argmax.select(probs, dids, actions);
  std::vector<index_t> got;
  Bd::to_host(actions, got);
  BOOST_TEST(got == greedy, boost::test_tools::per_element());
  methods::EpsilonGreedy::State<Bd> noisy(methods::EpsilonGreedy(0.2), 1);
  noisy.select(probs, dids, actions);
  Bd::to_host(actions, got);
  std::size_t flipped = 0;
  for (std::size_t r = 0; r < n; ++r) flipped += got[r] != greedy[r] ? 1u : 0u;
  BOOST_TEST(std::abs(static_cast<double>(flipped) / static_cast<double>(n) - 0.2) < 0.02);
  BOOST_CHECK_THROW(methods::EpsilonGreedy(1.5), config_error);
}

BOOST_AUTO_TEST_CASE(bad_policy_shapes_are_config_errors) {
  methods::policy_network_options o;
  o.hidden = {};
  BOOST_CHECK_THROW(methods::PolicyNetwork<Bd>({3, 3}, o), config_error);
  o.hidden = {16, 0};
  BOOST_CHECK_THROW(methods::PolicyNetwork<Bd>({3, 3}, o), config_error);
  o.hidden = {16};
  o.dropout = 1.0;
  BOOST_CHECK_THROW(methods::PolicyNetwork<Bd>({3, 3}, o), config_error);
  BOOST_CHECK_THROW(methods::PolicyNetwork<Bd>({3, 0}), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
