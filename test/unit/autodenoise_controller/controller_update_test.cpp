// Ge et al.'s controller, one batch and one epoch at a time (hand-built contexts, no recommender):
// the state; the hard head's REINFORCE update on a two-sample case computed by hand (G's last bias
// = Σ (onehot(a) − softmax(z)), the descent gradient −(R − b)·G/|D|, Adam's first step); the whole
// accumulated G against finite differences of Σ log P through the network, for both heads;
// negatives keep weight 1 and add nothing; the moving baseline over epochs; config errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/losses/layout.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>
#include <denoise/nn/softplus.hpp>
#include <denoise/rl/reinforce.hpp>
#include <denoise/rl/selection/gaussian_weight.hpp>
#include <denoise/train/batch_context.hpp>
#include <denoise/train/epoch_context.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {

struct no_model {};

template <class B, class V>
auto host(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}
template <class B>
std::vector<typename B::scalar> host_m(const typename B::matrix& m) {
  std::vector<typename B::scalar> out;
  B::to_host(m, out);
  return out;
}

/// One hand-made batch of `n` samples, one per row, with a 2-column representation.
template <class B>
struct hand_batch {
  using S = typename B::scalar;
  typename B::vector loss, prediction, positive, logits, labels;
  typename B::matrix representation;
  typename B::index_vector anchor;
  data::pair_batch<B> input;
  std::vector<offset_t> instance;
  std::vector<index_t> item;
  no_model model;

  hand_batch(const std::vector<S>& rep, const std::vector<S>& losses, const std::vector<S>& positives) {
    const std::size_t n = losses.size();
    B::from_host(losses, loss);
    B::from_host(losses, prediction);
    B::from_host(positives, positive);
    B::from_host(losses, logits);
    B::from_host(positives, labels);
    B::from_host(rep, static_cast<index_t>(n), 2, representation);
    std::vector<index_t> rows(n);
    for (std::size_t r = 0; r < n; ++r) {
      rows[r] = static_cast<index_t>(r);
      instance.push_back(positives[r] > S(0.5) ? static_cast<offset_t>(r) : offset_t(-1));
    }
    B::from_host(rows, anchor);
  }

  train::batch_context<B, no_model, data::pair_batch<B>> context(std::size_t epoch, std::size_t epochs) {
    return {loss,     prediction, positive, logits, span<const offset_t>(instance), span<const index_t>(item),
            losses::layout{loss.size(), 1}, epoch, 0, model, input, labels, anchor, epochs, &representation};
  }
};

train::epoch_context<no_model> epoch_end(std::size_t epoch, no_model& m, const metrics::metric_list& validation) {
  return {epoch, 0, 0.0, m, validation};
}

methods::autodenoise_controller_options small_options() {
  methods::autodenoise_controller_options o;
  o.hidden = 4;
  o.learning_rate = 0.01;
  o.l2 = 0.0;
  return o;
}

/// The network's parameter values and accumulated-gradient parts, flattened in visit order.
template <class B, class Net>
std::vector<typename B::matrix*> parameter_values(Net& net) {
  std::vector<typename B::matrix*> out;
  net.visit_parameters([&](nn::param_ref<B> p) { out.push_back(&p.value); });
  return out;
}

/// Central differences of f() w.r.t. every parameter entry of `net`, against G.
template <class B, class Net, class F>
void check_against_finite_differences(Net& net, const nn::param_set<B>& g, F&& f) {
  using S = typename B::scalar;
  const auto params = parameter_values<B>(net);
  BOOST_TEST_REQUIRE(params.size() == g.size());
  const double h = 1e-6;
  double worst = 0.0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto values = host_m<B>(*params[i]);
    const auto expected = host_m<B>(g[i]);
    for (std::size_t e = 0; e < values.size(); ++e) {
      const S keep = values[e];
      values[e] = keep + S(h);
      B::from_host(values, params[i]->rows(), params[i]->cols(), *params[i]);
      const double up = f();
      values[e] = keep - S(h);
      B::from_host(values, params[i]->rows(), params[i]->cols(), *params[i]);
      const double down = f();
      values[e] = keep;
      B::from_host(values, params[i]->rows(), params[i]->cols(), *params[i]);
      const double numeric = (up - down) / (2 * h);
      worst = std::max(worst, std::abs(numeric - static_cast<double>(expected[e])) / (1.0 + std::abs(numeric)));
    }
  }
  BOOST_TEST(worst < 1e-6);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(autodenoise_controller_update)

DENOISE_TYPED_TEST(hard_head_two_samples_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  methods::AutoDenoiseController<methods::HardHead> controller(methods::HardHead(3), small_options());
  typename decltype(controller)::template State<B> state(controller, 5);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4}, {0.5, 1.2}, {1, 1});
  typename B::vector weights;
  const S divisor = state.on_batch(batch.context(1, 4), weights);
  BOOST_TEST(divisor == S(2));

  // The state: [representation || loss || epoch / epochs].
  const auto s = host_m<B>(state.state());
  const std::vector<S> expected_state{0.3, -0.2, 0.5, 0.25, 0.1, 0.4, 1.2, 0.25};
  BOOST_TEST(s == expected_state, boost::test_tools::per_element());

  // Weights are the drawn actions; G's last bias is Σ_r (onehot(a_r) − softmax(z_r)).
  const auto w = host<B>(weights);
  const auto actions = host<B>(state.head_state().actions());
  const auto z = host_m<B>(state.head_output());
  std::vector<double> g_bias(3, 0.0);
  for (std::size_t r = 0; r < 2; ++r) {
    BOOST_TEST(w[r] == static_cast<S>(actions[r]));
    const double m = std::max({z[3 * r], z[3 * r + 1], z[3 * r + 2]});
    double total = 0;
    for (std::size_t k = 0; k < 3; ++k) total += std::exp(z[3 * r + k] - m);
    for (std::size_t k = 0; k < 3; ++k)
      g_bias[k] += (static_cast<index_t>(k) == actions[r] ? 1.0 : 0.0) - std::exp(z[3 * r + k] - m) / total;
  }
  BOOST_TEST(state.reinforce().samples() == 2u);
  const auto& g = state.reinforce().gradient();
  BOOST_TEST_REQUIRE(g.size() == 6u);  // W1 b1 W2 b2 W3 b3
  const auto g_b3 = host_m<B>(g[5]);
  for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(g_b3[k] == g_bias[k], boost::test_tools::tolerance(1e-12));

  // The epoch: R = 0.8, b = 0 -> grad = -(0.8 - 0) G / 2, Adam's first step -lr g / (|g| + eps).
  auto& net = *state.network();
  const auto b3_before = host_m<B>(*parameter_values<B>(net)[5]);
  no_model m;
  state.on_epoch_end(epoch_end(1, m, {{"auc", 0.8}}));
  std::vector<typename B::matrix*> grads;
  net.visit_parameters([&](nn::param_ref<B> p) { grads.push_back(&p.grad); });
  const auto d_b3 = host_m<B>(*grads[5]);
  const auto b3_after = host_m<B>(*parameter_values<B>(net)[5]);
  for (std::size_t k = 0; k < 3; ++k) {
    const double expected = -0.8 * g_bias[k] / 2.0;
    BOOST_TEST(d_b3[k] == expected, boost::test_tools::tolerance(1e-12));
    const double step = -0.01 * expected / (std::abs(expected) + 1e-8);
    BOOST_TEST(b3_after[k] - b3_before[k] == step, boost::test_tools::tolerance(1e-9));
  }
  const auto& h = controller.history();
  BOOST_TEST_REQUIRE(h.size() == 1u);
  BOOST_TEST(h[0].epoch == 2u);
  BOOST_TEST(h[0].reward == 0.8);
  BOOST_TEST(h[0].baseline == 0.0);
  BOOST_TEST(h[0].advantage == 0.8);
  BOOST_TEST(h[0].samples == 2u);
  BOOST_TEST(h[0].mean_weight == (w[0] + w[1]) / 2.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::isnan(h[0].mean_weight_noisy));  // no flags given
  BOOST_TEST(state.baseline().value() == 0.08, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(state.reinforce().samples() == 0u);  // G restarts
}

DENOISE_TYPED_TEST(hard_head_gradient_matches_finite_differences, denoise::test::backend_list_double) {
  using B = TestType;
  methods::AutoDenoiseController<methods::HardHead> controller(methods::HardHead(4), small_options());
  typename decltype(controller)::template State<B> state(controller, 9);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4, -0.5, 0.9}, {0.5, 1.2, 2.0}, {1, 1, 1});
  typename B::vector weights;
  state.on_batch(batch.context(0, 3), weights);
  auto& net = *state.network();
  const auto input = state.state();
  const auto actions = state.head_state().actions();
  typename B::matrix out;
  typename B::vector lp;
  check_against_finite_differences<B>(net, state.reinforce().gradient(), [&] {
    net.forward(input, out);
    rl::Reinforce<B>::log_prob(out, actions, lp);
    return static_cast<double>(B::sum(lp));
  });
}

DENOISE_TYPED_TEST(soft_head_gradient_matches_finite_differences, denoise::test::backend_list_double) {
  using B = TestType;
  methods::AutoDenoiseController<methods::SoftHead> controller(methods::SoftHead(), small_options());
  typename decltype(controller)::template State<B> state(controller, 3);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4, -0.5, 0.9}, {0.5, 1.2, 2.0}, {1, 1, 1});
  typename B::vector weights;
  state.on_batch(batch.context(2, 3), weights);
  const auto w = host<B>(state.head_state().draws());
  const auto weight = host<B>(weights);
  for (std::size_t r = 0; r < 3; ++r)
    BOOST_TEST(weight[r] == nn::softplus_op{}.value(w[r]), boost::test_tools::tolerance(1e-12));
  auto& net = *state.network();
  const auto input = state.state();
  const auto draws = state.head_state().draws();
  const typename rl::GaussianWeight::template State<B> gaussian(rl::GaussianWeight{}, 0);
  typename B::matrix out;
  typename B::vector lp;
  check_against_finite_differences<B>(net, state.reinforce().gradient(), [&] {
    net.forward(input, out);
    gaussian.log_density(out, draws, lp);
    return static_cast<double>(B::sum(lp));
  });
}

DENOISE_TYPED_TEST(negatives_keep_weight_one_and_add_nothing, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  methods::AutoDenoiseController<methods::HardHead> controller(methods::HardHead(3), small_options());
  typename decltype(controller)::template State<B> state(controller, 5);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4}, {0.5, 1.2}, {1, 0});
  typename B::vector weights;
  state.on_batch(batch.context(0, 1), weights);
  BOOST_TEST(host<B>(weights)[1] == S(1));
  BOOST_TEST(state.reinforce().samples() == 1u);
  const auto actions = host<B>(state.head_state().actions());
  const auto z = host_m<B>(state.head_output());
  const double m = std::max({z[0], z[1], z[2]});
  const double total = std::exp(z[0] - m) + std::exp(z[1] - m) + std::exp(z[2] - m);
  const auto g_b3 = host_m<B>(state.reinforce().gradient()[5]);
  for (std::size_t k = 0; k < 3; ++k) {
    const double expected = (static_cast<index_t>(k) == actions[0] ? 1.0 : 0.0) - std::exp(z[k] - m) / total;
    BOOST_TEST(g_b3[k] == expected, boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(moving_baseline_over_epochs) {
  using B = backends::Eigen<double>;
  methods::AutoDenoiseController<methods::SoftHead> controller(methods::SoftHead(), small_options(), rl::ValidationMetric("auc"),
                                                               rl::MovingAverage(0.5));
  methods::AutoDenoiseController<methods::SoftHead>::State<B> state(controller, 1);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4}, {0.5, 1.2}, {1, 1});
  no_model m;
  const std::vector<double> rewards{0.6, 0.8, 0.7};
  typename B::vector weights;
  for (std::size_t e = 0; e < rewards.size(); ++e) {
    state.on_batch(batch.context(e, 3), weights);
    state.on_epoch_end(epoch_end(e, m, {{"ndcg@10", 0.1}, {"auc", rewards[e]}}));
  }
  // b: 0 -> 0.3 -> 0.55 -> 0.625 (decay 0.5); each advantage uses the b before its update.
  const auto& h = controller.history();
  BOOST_TEST_REQUIRE(h.size() == 3u);
  const std::vector<double> b{0.0, 0.3, 0.55};
  for (std::size_t e = 0; e < 3; ++e) {
    BOOST_TEST(h[e].reward == rewards[e]);
    BOOST_TEST(h[e].baseline == b[e], boost::test_tools::tolerance(1e-12));
    BOOST_TEST(h[e].advantage == rewards[e] - b[e], boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(state.baseline().value() == 0.625, boost::test_tools::tolerance(1e-12));
  // A new State (a new fit) starts the history and the baseline over.
  methods::AutoDenoiseController<methods::SoftHead>::State<B> again(controller, 1);
  BOOST_TEST(controller.history().empty());
  BOOST_TEST(again.baseline().value() == 0.0);
}

BOOST_AUTO_TEST_CASE(config_errors) {
  using B = backends::Eigen<double>;
  BOOST_CHECK_THROW(methods::HardHead(0), config_error);
  BOOST_CHECK_THROW(methods::HardHead(6), config_error);
  auto o = small_options();
  o.hidden = 0;
  BOOST_CHECK_THROW(methods::AutoDenoiseH(methods::HardHead(), o), config_error);
  o = small_options();
  o.learning_rate = 0.0;
  BOOST_CHECK_THROW(methods::AutoDenoiseH(methods::HardHead(), o), config_error);
  o.learning_rate = std::numeric_limits<double>::infinity();
  BOOST_CHECK_THROW(methods::AutoDenoiseH(methods::HardHead(), o), config_error);
  o = small_options();
  o.l2 = -1e-3;
  BOOST_CHECK_THROW(methods::AutoDenoiseS(methods::SoftHead(), o), config_error);
  BOOST_CHECK_THROW(rl::MovingAverage(1.0), config_error);

  methods::AutoDenoiseH controller(methods::HardHead(), small_options());
  methods::AutoDenoiseH::State<B> state(controller, 1);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4}, {0.5, 1.2}, {1, 1});
  typename B::vector weights;
  auto ctx = batch.context(0, 1);
  ctx.representation = nullptr;  // a caller that does not pass the model's representation
  BOOST_CHECK_THROW(state.on_batch(ctx, weights), config_error);
  state.on_batch(batch.context(0, 1), weights);
  no_model m;
  BOOST_CHECK_THROW(state.on_epoch_end(epoch_end(0, m, {{"ndcg@10", 0.1}})), config_error);  // no "auc"
  BOOST_CHECK_THROW(state.on_epoch_end(epoch_end(0, m, {})), config_error);                  // no validation
}

BOOST_AUTO_TEST_CASE(a_single_action_keeps_every_sample) {
  using B = backends::Eigen<double>;
  methods::AutoDenoiseH controller(methods::HardHead(1), small_options());
  methods::AutoDenoiseH::State<B> state(controller, 1);
  hand_batch<B> batch({0.3, -0.2, 0.1, 0.4}, {0.5, 1.2}, {1, 1});
  typename B::vector weights;
  state.on_batch(batch.context(0, 1), weights);
  BOOST_TEST(host<B>(weights) == std::vector<double>({1.0, 1.0}), boost::test_tools::per_element());
  for (std::size_t i = 0; i < state.reinforce().gradient().size(); ++i)
    BOOST_TEST(B::sum(state.reinforce().gradient()[i]) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
