// SGDL (Gao et al., SIGIR'22): the weighting net's gradient, psi's meta-gradient in the JVP form
// against finite differences of the meta-loss through the assumed update (MF with BPR and with
// BCE), the scheduler's gradient through the straight-through Gumbel-softmax, a full run on
// planted-noise data, determinism and the configuration errors.
#include "support/backend_list.hpp"
#include "support/host_device.hpp"

#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/losses/bpr.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/lightgcn.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/nn/per_sample.hpp>
#include <denoise/nn/snapshot.hpp>
#include <denoise/nn/virtual_step.hpp>
#include <denoise/train/trainer.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

namespace dn = denoise;
namespace sg = denoise::methods::sgdl;
using BD = dn::backends::Eigen<double>;
using BF = dn::backends::Eigen<float>;

namespace {

using denoise::test::device;
using denoise::test::host;


/// Every parameter value (or gradient) of m, flattened in visit order.
template <class B, class M>
std::vector<double> flat(M& m, bool grads) {
  std::vector<double> all;
  m.visit_parameters([&](dn::nn::param_ref<B> p) {
    const auto part = host<B>(grads ? p.grad : p.value);
    all.insert(all.end(), part.begin(), part.end());
  });
  return all;
}
/// Adds delta to the flat element `index` of m's values.
template <class B, class M>
void nudge(M& m, std::size_t index, double delta) {
  std::size_t base = 0;
  m.visit_parameters([&](dn::nn::param_ref<B> p) {
    const auto n = static_cast<std::size_t>(p.value.size());
    if (index >= base && index < base + n) {
      std::vector<typename B::scalar> h;
      B::to_host(p.value, h);
      h[index - base] += static_cast<typename B::scalar>(delta);
      B::from_host(h, p.value.rows(), p.value.cols(), p.value);
    }
    base += n;
  });
}

// ---- the weighting net --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(weighting_net_gradient_matches_finite_differences) {
  sg::WeightingNet<BD> g(5, 1);  // first-layer weights of both signs: no dead ReLU
  const std::vector<double> loss{0.1, 0.7, 1.9, 0.05, 3.2, 0.45};
  const std::vector<double> up{0.3, -1.2, 0.8, 0.5, -0.4, 2.0};
  const auto l = device<BD>(loss), u = device<BD>(up);
  BD::vector w;
  auto objective = [&]() {
    g.forward(l, w);
    const auto hw = host<BD>(w);
    double s = 0;
    for (std::size_t k = 0; k < hw.size(); ++k) s += up[k] * hw[k];
    return s;
  };
  objective();
  for (double x : host<BD>(w)) BOOST_TEST((x > 0.0 && x < 1.0));  // a sigmoid output
  dn::nn::zero_grad<BD>(g);
  g.backward(u);
  const auto analytic = flat<BD>(g, true);
  const double eps = 1e-6;
  double first_layer = 0;
  for (std::size_t i = 0; i < analytic.size(); ++i) {
    nudge<BD>(g, i, eps);
    const double plus = objective();
    nudge<BD>(g, i, -2 * eps);
    const double minus = objective();
    nudge<BD>(g, i, eps);
    BOOST_TEST(std::abs(analytic[i] - (plus - minus) / (2 * eps)) < 1e-8);
    if (i < 10) first_layer += std::abs(analytic[i]);
  }
  BOOST_TEST(first_layer > 1e-3);
}

// ---- psi's meta-gradient ------------------------------------------------------------------------

// 3 users x 5 items, every user has 4 training positives, so each has exactly one possible
// negative: the memorized batches' "fresh" negatives are then known to the test.
struct tiny {
  dn::data::Interactions train;
  std::vector<dn::index_t> missing{4, 0, 2};  // the one non-positive item of each user
  tiny() {
    for (int u = 0; u < 3; ++u) train.add_user(u);
    for (int i = 0; i < 5; ++i) train.add_item(i);
    for (dn::index_t u = 0; u < 3; ++u)
      for (dn::index_t i = 0; i < 5; ++i)
        if (i != missing[static_cast<std::size_t>(u)]) train.push_back(u, i, 1.0f);
  }
};

template <class B>
struct pair_rows {
  dn::train::batch<B, dn::data::pair_batch<B>> batch;
  /// Rows (positive, its only negative) for the training positives at `rows`.
  pair_rows(const tiny& t, const std::vector<std::size_t>& rows) {
    std::vector<dn::index_t> users, items;
    std::vector<typename B::scalar> labels;
    for (std::size_t r : rows) {
      const auto u = t.train.users()[r];
      users.insert(users.end(), {u, u});
      items.insert(items.end(), {t.train.items()[r], t.missing[static_cast<std::size_t>(u)]});
      labels.insert(labels.end(), {1, 0});
      batch.instance.insert(batch.instance.end(), {t.train.instances()[r], -1});
    }
    B::from_host(users, batch.input.users);
    B::from_host(items, batch.input.items);
    B::from_host(labels, batch.labels);
    batch.layout = dn::losses::layout{rows.size(), 2};
  }
};

/// Meta-loss of the memorized rows at theta_hat(psi), computed from scratch: unit losses at theta,
/// w = g(l; psi), theta_hat = theta - eta1 / |B| sum_k w_k grad l_k, mean memorized unit loss there.
template <class Loss, class Model, class Net>
double meta_loss(Model& model, Net& g, pair_rows<BD>& b, pair_rows<BD>& m, double eta1) {
  dn::nn::per_sample<Model, Loss> ps(model);
  ps.forward(b.batch.input, b.batch.labels, b.batch.layout);
  const auto l = host<BD>(ps.loss());
  const std::size_t units = b.batch.layout.groups, per = l.size() / units;
  std::vector<double> unit(units, 0.0);
  for (std::size_t s = 0; s < l.size(); ++s) unit[s / per] += l[s];
  BD::vector w;
  g.forward(device<BD>(unit), w);
  const auto hw = host<BD>(w);
  std::vector<double> ws(l.size());
  for (std::size_t s = 0; s < l.size(); ++s) ws[s] = hw[s / per];
  dn::nn::zero_grad<BD>(model);
  ps.backward(device<BD>(ws), 1.0 / static_cast<double>(units));
  dn::nn::virtual_step<BD, Model> assumed(model, eta1);
  dn::nn::per_sample<Model, Loss> pm(model);
  pm.forward(m.batch.input, m.batch.labels, m.batch.layout);
  const auto lm = host<BD>(pm.loss());
  return std::accumulate(lm.begin(), lm.end(), 0.0) / static_cast<double>(m.batch.layout.groups);
}

template <class Loss>
void check_meta_gradient(dn::nn::jvp_mode mode, double tolerance) {
  using Model = dn::models::MF<BD>;
  tiny t;
  Model model(3, 5, {4}, 7);
  dn::nn::Adam<BD> adam({0.05});
  sg::sgdl_options o;
  o.history = 1;
  o.max_phase1_epochs = 1;
  o.scheduler = sg::scheduler_kind::none;
  o.jvp = mode;
  o.jvp_eps = 1e-6;
  dn::methods::SGDL policy(t.train, o);
  dn::methods::SGDL::State<BD> state(policy, 11);

  std::vector<std::size_t> all(t.train.size());
  std::iota(all.begin(), all.end(), std::size_t(0));
  pair_rows<BD> b(t, all);
  typename Model::workspace ws;
  dn::train::detail::step_buffers<BD> buffers;
  buffers.track = false;
  {  // phase I: one plain step, then the switch at the cap
    dn::train::step_context<Model, Loss, dn::nn::Adam<BD>> ctx(model, adam, b.batch, ws, buffers, 0, 0);
    state.step(ctx);
    const dn::metrics::metric_list none;
    state.on_epoch_end(dn::train::epoch_context<Model>{0, 1, 0.0, model, none});
  }
  BOOST_REQUIRE(policy.report()->switch_epoch == 1u);
  std::vector<std::size_t> memorized;
  for (std::size_t r = 0; r < t.train.size(); ++r)
    if (policy.report()->memorized[static_cast<std::size_t>(t.train.instances()[r])]) memorized.push_back(r);
  BOOST_REQUIRE(!memorized.empty());
  pair_rows<BD> m(t, memorized);

  dn::nn::snapshot<BD> theta(model);
  sg::WeightingNet<BD> psi0 = state.weighting_net();
  {
    dn::train::step_context<Model, Loss, dn::nn::Adam<BD>> ctx(model, adam, b.batch, ws, buffers, 1, 1);
    state.step(ctx);
  }
  const auto analytic = flat<BD>(state.weighting_net(), true);
  theta.restore(model);
  const double eta1 = 0.05, eps = 1e-6;
  double largest = 0.0;
  std::vector<double> fds;
  for (std::size_t i = 0; i < analytic.size(); ++i) {
    nudge<BD>(psi0, i, eps);
    const double plus = meta_loss<Loss>(model, psi0, b, m, eta1);
    nudge<BD>(psi0, i, -2 * eps);
    const double minus = meta_loss<Loss>(model, psi0, b, m, eta1);
    nudge<BD>(psi0, i, eps);
    const double fd = (plus - minus) / (2 * eps);
    fds.push_back(fd);
    largest = std::max(largest, std::abs(fd));
  }
  BOOST_TEST(largest > 1e-6);  // the check is not vacuous
  // relative to the gradient's scale: FD of elements near 0 carries absolute noise only
  for (std::size_t i = 0; i < analytic.size(); ++i) BOOST_TEST(std::abs(analytic[i] - fds[i]) <= tolerance * largest);
}

BOOST_AUTO_TEST_CASE(psi_gradient_in_jvp_form_matches_finite_differences_bpr) {
  check_meta_gradient<dn::losses::BPR>(dn::nn::jvp_mode::exact, 1e-5);
}
BOOST_AUTO_TEST_CASE(psi_gradient_in_jvp_form_matches_finite_differences_bce) {
  check_meta_gradient<dn::losses::BCE>(dn::nn::jvp_mode::exact, 1e-5);
}
BOOST_AUTO_TEST_CASE(psi_gradient_with_finite_difference_products_matches_too) {
  check_meta_gradient<dn::losses::BPR>(dn::nn::jvp_mode::finite_difference, 1e-4);
}

// ---- the scheduler through the straight-through Gumbel-softmax ----------------------------------

// F(phi) = sum_{r,m} dY[r,m] * soft[r,m](phi), the noise held fixed (same seed): its gradient is
// what the straight-through path gives phi.
template <class Scheduler>
void check_scheduler_gradient(Scheduler& s) {
  const std::size_t n = 6, draws = 4;
  std::vector<double> f{0.2, 0.9, 1.5, 0.1, 0.7, 0.3, 0.95, 0.1, 0.4, -0.2, 2.0, 0.5};
  BD::matrix factors;
  BD::from_host(f, static_cast<dn::index_t>(n), 2, factors);
  std::vector<dn::index_t> slot_host{0, 1, 2, 3, 4, 5};
  BD::index_vector slots;
  BD::from_host(slot_host, slots);
  std::vector<double> dy(n * draws);
  for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = std::sin(1.7 * static_cast<double>(i) + 0.3);
  BD::matrix d_hard;
  BD::from_host(dy, static_cast<dn::index_t>(draws), static_cast<dn::index_t>(n), d_hard);
  sg::StraightThroughGumbel<BD> gumbel;
  BD::vector logits, dlogits;
  BD::matrix hard;
  auto objective = [&]() {
    s.forward(factors, slots, logits);
    gumbel.forward(logits, draws, 0.7, 99, hard);
    const auto soft = host<BD>(gumbel.soft());
    double sum = 0;
    for (std::size_t i = 0; i < soft.size(); ++i) sum += dy[i] * soft[i];
    return sum;
  };
  objective();
  const auto h = host<BD>(hard);
  for (std::size_t r = 0; r < draws; ++r) {  // hard one-hot rows forward
    double row = 0;
    for (std::size_t m = 0; m < n; ++m) row += h[r * n + m];
    BOOST_TEST(row == 1.0);
  }
  gumbel.backward(d_hard, dlogits);
  dn::nn::zero_grad<BD>(s);
  s.backward(dlogits);
  const auto analytic = flat<BD>(s, true);
  const double eps = 1e-6;
  double largest = 0;
  std::vector<double> fds;
  for (std::size_t i = 0; i < analytic.size(); ++i) {
    nudge<BD>(s, i, eps);
    const double plus = objective();
    nudge<BD>(s, i, -2 * eps);
    const double minus = objective();
    nudge<BD>(s, i, eps);
    fds.push_back((plus - minus) / (2 * eps));
    largest = std::max(largest, std::abs(fds.back()));
  }
  BOOST_TEST(largest > 1e-6);
  for (std::size_t i = 0; i < analytic.size(); ++i) BOOST_TEST(std::abs(analytic[i] - fds[i]) <= 1e-6 * largest, i << ": " << analytic[i] << " vs " << fds[i]);
}

BOOST_AUTO_TEST_CASE(mlp_scheduler_gradient_through_straight_through_gumbel) {
  sg::MLPScheduler<BD> s(8, 5);
  check_scheduler_gradient(s);
}
BOOST_AUTO_TEST_CASE(lstm_scheduler_gradient_through_straight_through_gumbel) {
  sg::LSTMScheduler<BD> s(8, 5);
  s.begin(6);
  check_scheduler_gradient(s);
}

BOOST_AUTO_TEST_CASE(lstm_scheduler_keeps_a_state_per_memorized_sample) {
  sg::LSTMScheduler<BD> s(4, 1);
  s.begin(3);
  BD::matrix factors;
  BD::from_host(std::vector<double>{0.5, 0.2}, 1, 2, factors);
  BD::index_vector slot;
  BD::from_host(std::vector<dn::index_t>{1}, slot);
  BD::vector first, second, other;
  s.forward(factors, slot, first);
  s.commit();
  s.forward(factors, slot, second);  // same input, a visited sample: its state moved on
  BOOST_TEST(host<BD>(first)[0] != host<BD>(second)[0]);
  BD::from_host(std::vector<dn::index_t>{2}, slot);
  s.forward(factors, slot, other);  // an unvisited sample starts from zero
  BOOST_TEST(host<BD>(first)[0] == host<BD>(other)[0]);
}

BOOST_AUTO_TEST_CASE(top_f_keeps_the_half_with_the_largest_normalised_factors) {
  sg::TopFScheduler<BD> s;
  // factor sums after min-max: row0 0+0, row1 1+0.5, row2 0.5+1, row3 0.25+0.25
  BD::matrix factors;
  BD::from_host(std::vector<double>{0.0, -1.0, 4.0, 0.0, 2.0, 1.0, 1.0, -0.5}, 4, 2, factors);
  BD::vector w;
  s.select(factors, w);
  const auto hw = host<BD>(w);
  BOOST_TEST(hw == (std::vector<double>{0.0, 0.5, 0.5, 0.0}), boost::test_tools::per_element());
}

// ---- full runs on planted noise -----------------------------------------------------------------

struct planted {
  dn::data::SyntheticData data;
  planted() {
    dn::data::SyntheticConfig c;
    c.n_users = 150;
    c.n_items = 200;
    c.mean_positives = 25;
    c.noise_rate = 0.2;
    c.seed = 5;
    data = dn::data::make_synthetic(c);
  }
};

dn::train::trainer_options run_options(std::size_t epochs) {
  dn::train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = 128;
  o.negatives = 1;
  o.seed = 3;
  o.threads = 1;
  return o;
}

template <class F>
struct early_stop {
  F f;
  template <class Model>
  bool on_epoch_end(const dn::train::epoch_record& rec, Model& m) {
    return f(rec, m);
  }
};

struct run_result {
  dn::train::fit_result fit;
  std::shared_ptr<sg::sgdl_report> report;
  double clean_weight = 0, noisy_weight = 0;
};

/// epochs == 0 with stop_after_switch: run until two epochs after the switch (at most the cap + 2).
run_result run_sgdl(const planted& p, sg::sgdl_options o, std::size_t epochs, bool stop_after_switch = false,
                    int threads = 1) {
  using Model = dn::models::MF<BF>;
  Model model(p.data.interactions.n_users(), p.data.interactions.n_items(), {16}, 1);
  dn::methods::SGDL sgdl(p.data.interactions, o);
  sgdl.log_memorization_against(p.data.interactions.noisy());
  const std::size_t planned = stop_after_switch ? o.max_phase1_epochs + 2 : epochs;
  auto options = run_options(planned);
  options.threads = threads;
  dn::train::Trainer<Model, dn::losses::BPR, dn::methods::SGDL> trainer(model, dn::nn::Adam<BF>({0.01}), sgdl,
                                                                        options);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  run_result r;
  const auto report = sgdl.report();
  auto stopper = [&](const dn::train::epoch_record& rec, Model&) {
    return stop_after_switch && report->switch_epoch > 0 && rec.epoch >= report->switch_epoch + 2;
  };
  r.fit = trainer.fit(p.data.interactions, sampler, nullptr, early_stop<decltype(stopper)>{stopper});
  r.report = sgdl.report();
  const auto noisy = p.data.interactions.noisy();
  const auto ids = p.data.interactions.instances();
  double sums[2] = {0, 0};
  std::size_t counts[2] = {0, 0};
  for (std::size_t row = 0; row < ids.size(); ++row) {
    const double w = r.fit.instance_weights[static_cast<std::size_t>(ids[row])];
    if (!(w == w)) continue;
    sums[noisy[row] ? 1 : 0] += w;
    ++counts[noisy[row] ? 1 : 0];
  }
  r.clean_weight = sums[0] / static_cast<double>(counts[0]);
  r.noisy_weight = sums[1] / static_cast<double>(counts[1]);
  return r;
}

/// A GMF + BCE run (two negatives per positive) on the planted data; the model and the SGDL method
/// stay for the test to read after the fit.
struct sgdl_gmf_bce {
  using Model = dn::models::GMF<BF>;
  sgdl_gmf_bce(const planted& p, const sg::sgdl_options& o, std::size_t epochs, double lr)
      : model(p.data.interactions.n_users(), p.data.interactions.n_items(), {8}, 2), sgdl(p.data.interactions, o) {
    auto options = run_options(epochs);
    options.negatives = 2;
    dn::train::Trainer<Model, dn::losses::BCE, dn::methods::SGDL> trainer(model, dn::nn::Adam<BF>({lr}), sgdl,
                                                                          options);
    dn::data::UniformNegativeSampler sampler(p.data.interactions);
    fit = trainer.fit(p.data.interactions, sampler, nullptr);
    final_lr = trainer.optimizer().options().lr;
    optimizer_steps = trainer.optimizer().steps();
  }
  const sg::sgdl_report& report() const { return *sgdl.report(); }

  Model model;
  dn::methods::SGDL sgdl;
  dn::train::fit_result fit;
  double final_lr = 0;
  std::size_t optimizer_steps = 0;
};

BOOST_AUTO_TEST_CASE(phase_two_weighs_noisy_positives_lower_than_clean_ones) {
  const planted p;
  sg::sgdl_options o;
  o.scheduler = sg::scheduler_kind::none;
  o.max_phase1_epochs = 8;
  const auto r = run_sgdl(p, o, 14);
  BOOST_REQUIRE(r.report->switch_epoch > 0u);
  BOOST_TEST(r.report->switch_epoch <= 8u);
  const auto& at_switch = r.report->epochs[r.report->switch_epoch - 1];
  BOOST_TEST_MESSAGE("switch epoch " << r.report->switch_epoch << ", sigma " << at_switch.noise_rate
                                     << ", memorized share " << at_switch.memorized_share << ", precision "
                                     << at_switch.memorization_precision << ", recall "
                                     << at_switch.memorization_recall << "; mean weight clean " << r.clean_weight
                                     << " noisy " << r.noisy_weight);
  std::printf("sgdl planted: switch %zu sigma %.4f share %.4f precision %.4f recall %.4f clean w %.5f noisy w %.5f\n",
              r.report->switch_epoch, at_switch.noise_rate, at_switch.memorized_share,
              at_switch.memorization_precision, at_switch.memorization_recall, r.clean_weight, r.noisy_weight);
  // The memorized set is cleaner than D (20% planted noise).
  BOOST_TEST(at_switch.memorization_precision > 0.8);
  BOOST_TEST(r.noisy_weight < r.clean_weight);
  BOOST_TEST(r.report->curve_weight.size() == o.curve_points);
  for (const auto& e : r.report->epochs) {
    if (e.phase == 2) BOOST_TEST(std::isfinite(e.meta_loss));
  }
}

// The switch comes at the first epoch with |M_t| >= (1 - sigma_hat)|D|, else at the cap. (On this
// data sigma_hat falls as the model fits and the criterion is not met within 40 epochs: see the report.)
BOOST_AUTO_TEST_CASE(switch_at_the_first_epoch_meeting_the_criterion_or_at_the_cap) {
  const planted p;
  sg::sgdl_options o;
  o.history = 2;
  o.max_phase1_epochs = 12;
  o.scheduler = sg::scheduler_kind::top_f;
  const auto r = run_sgdl(p, o, 0, true);
  BOOST_REQUIRE(r.report->switch_epoch > 0u);
  const std::size_t at = r.report->switch_epoch;
  for (std::size_t e = 0; e < at; ++e) {
    const auto& rec = r.report->epochs[e];
    BOOST_TEST(rec.phase == 1);
    const bool reached = rec.memorized_share >= 1.0 - rec.noise_rate;
    if (e + 1 < at) BOOST_TEST(!reached);
    if (e + 1 == at) BOOST_TEST((reached || at == o.max_phase1_epochs));
  }
  BOOST_TEST(r.report->epochs.size() == at + 2);
  BOOST_TEST(r.report->epochs.back().phase == 2);
  // the frozen M is what the report's share says
  const auto memorized = std::count(r.report->memorized.begin(), r.report->memorized.end(), std::uint8_t(1));
  BOOST_TEST(static_cast<double>(memorized) / static_cast<double>(p.data.interactions.size()) ==
                 r.report->epochs.back().memorized_share,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(same_seed_same_run_with_the_lstm_scheduler) {
  const planted p;
  sg::sgdl_options o;
  o.max_phase1_epochs = 3;
  o.scheduler_hidden = 8;
  const auto a = run_sgdl(p, o, 4);
  const auto b = run_sgdl(p, o, 4, false, 2);  // two threads: still bit-identical
  BOOST_REQUIRE(a.report->switch_epoch == 3u);
  BOOST_TEST(a.fit.history.back().train_loss == b.fit.history.back().train_loss);
  BOOST_TEST(a.report->curve_weight == b.report->curve_weight, boost::test_tools::per_element());
  BOOST_TEST(a.fit.instance_weights == b.fit.instance_weights, boost::test_tools::per_element());
  BOOST_TEST(std::isfinite(a.report->epochs.back().meta_loss));
}

BOOST_AUTO_TEST_CASE(control_keeps_psi_at_its_initialisation) {
  const planted p;
  sg::sgdl_options o;
  o.variant = sg::sgdl_variant::control;
  o.max_phase1_epochs = 2;
  const auto a = run_sgdl(p, o, 3);
  // the control's curve is g(.; psi_0), psi_0 drawn from the state's seed (trainer seed 3)
  const auto state_seed = dn::random::derive_seed(std::uint64_t(3), "denoiser");
  sg::WeightingNet<BF> psi0(static_cast<dn::index_t>(o.weight_hidden), dn::random::derive_seed(state_seed, "sgdl-psi"));
  BF::vector grid, w0;
  BF::from_host(std::vector<float>(a.report->curve_loss.begin(), a.report->curve_loss.end()), grid);
  psi0.forward(grid, w0);
  const auto initial = host<BF>(w0);
  BOOST_TEST(a.report->curve_weight == initial, boost::test_tools::per_element());
  // a full run moves psi away from the same start
  auto full = o;
  full.variant = sg::sgdl_variant::full;
  full.scheduler = sg::scheduler_kind::none;
  const auto b = run_sgdl(p, full, 3);
  BOOST_TEST(b.report->curve_weight != initial);
  // w/o DLS trains on memorized positives only: the non-memorized get weight 0 in phase II
  auto without = o;
  without.variant = sg::sgdl_variant::without_dls;
  const auto c = run_sgdl(p, without, 3);
  const auto& mask = c.report->memorized;
  const auto ids = p.data.interactions.instances();
  for (std::size_t row = 0; row < ids.size(); ++row) {
    const auto id = static_cast<std::size_t>(ids[row]);
    const double w = c.fit.instance_weights[id];
    if (w == w) BOOST_TEST(w == (mask[id] ? 1.0 : 0.0));
  }
}

// The code profile (candidate-set memorization, per-user normalisation, H = 100, tau = 1, lr / 5 in
// phase I, optimizers recreated every phase-II epoch) with the MLP scheduler, on a BCE model.
BOOST_AUTO_TEST_CASE(code_profile_with_the_mlp_scheduler_on_gmf_with_bce) {
  const planted p;
  auto o = sg::sgdl_options::code();
  o.history = 2;
  o.max_phase1_epochs = 2;
  o.scheduler = sg::scheduler_kind::mlp;
  o.scheduler_hidden = 8;
  const sgdl_gmf_bce run(p, o, 4, 0.005);
  const auto& fit = run.fit;
  const auto& report = run.report();
  // here the criterion is met at once: per-user normalisation puts sigma_hat high
  BOOST_TEST(report.switch_epoch == 1u);
  BOOST_TEST(report.epochs[0].memorized_share >= 1.0 - report.epochs[0].noise_rate);
  std::printf("sgdl code profile, GMF/BCE: switch %zu sigma %.4f share %.4f\n", report.switch_epoch,
              report.epochs[0].noise_rate, report.epochs[0].memorized_share);
  BOOST_TEST(run.final_lr == 0.005);  // phase II runs at the optimizer's lr
  BOOST_TEST(run.optimizer_steps > 0u);
  BOOST_REQUIRE(report.epochs.size() == 4u);
  BOOST_TEST(std::isfinite(report.epochs[0].noise_rate));
  BOOST_TEST(std::isfinite(report.epochs[3].meta_loss));
  for (double w : report.curve_weight) BOOST_TEST((w > 0.0 && w < 1.0));
  BOOST_TEST(std::isfinite(fit.history.back().train_loss));
}

// w/o DLS on a BCE model keeps a memorized positive's negatives in the loss: a unit's membership
// weighs all its samples. Trained on memorized positives alone, BCE would push every score up (the
// training loss near 0, unobserved pairs scored higher); with the negatives it does not. Measured:
// kept negatives 0.20 loss and 0.10 mean probability after 6 phase-II epochs, dropped 0.001 and 0.32.
BOOST_AUTO_TEST_CASE(without_dls_on_bce_keeps_the_negatives_of_memorized_positives) {
  const planted p;
  sg::sgdl_options o;
  o.variant = sg::sgdl_variant::without_dls;
  o.max_phase1_epochs = 3;
  sgdl_gmf_bce run(p, o, 9, 0.01);  // not const: scoring uses the model's workspace
  const auto& fit = run.fit;
  const auto& report = run.report();
  BOOST_REQUIRE(report.switch_epoch > 0u);
  BOOST_REQUIRE(report.switch_epoch + 3 <= fit.history.size());
  const double before = fit.history[report.switch_epoch - 1].train_loss;
  for (std::size_t e = report.switch_epoch; e < fit.history.size(); ++e) {
    BOOST_TEST(fit.history[e].train_loss > 0.2 * before);
  }
  // the unobserved pairs stay unlikely
  const auto by_user = p.data.interactions.positives_by_user();
  std::vector<dn::index_t> users(static_cast<std::size_t>(p.data.interactions.n_users()));
  std::iota(users.begin(), users.end(), dn::index_t(0));
  BF::index_vector user_ids;
  BF::from_host(users, user_ids);
  BF::matrix scores;
  run.model.score(user_ids, scores);
  std::vector<float> all;
  BF::to_host(scores, all);
  const auto n_items = static_cast<std::size_t>(p.data.interactions.n_items());
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t u = 0; u < users.size(); ++u) {
    for (std::size_t i = 0; i < n_items; ++i) {
      if (by_user.contains(u, static_cast<dn::index_t>(i))) continue;
      sum += 1.0 / (1.0 + std::exp(-static_cast<double>(all[u * n_items + i])));
      ++count;
    }
  }
  std::printf("sgdl w/o DLS, GMF/BCE: switch %zu, last loss %.4f, mean unobserved p %.4f\n", report.switch_epoch,
              fit.history.back().train_loss, sum / static_cast<double>(count));
  BOOST_TEST(sum / static_cast<double>(count) < 0.2);
}

// A graph backbone (LightGCN, exact JVP through the propagation) with the default LSTM scheduler.
BOOST_AUTO_TEST_CASE(lightgcn_with_the_lstm_scheduler_runs_both_phases) {
  const planted p;
  using Model = dn::models::LightGCN<BF>;
  const auto by_user = p.data.interactions.by_user();
  dn::models::lightgcn_options mo;
  mo.factor = 8;
  mo.layers = 2;
  Model model(p.data.interactions.n_users(), p.data.interactions.n_items(), by_user.view(), mo, 4);
  sg::sgdl_options o;
  o.max_phase1_epochs = 1;
  o.scheduler_hidden = 8;
  dn::methods::SGDL sgdl(p.data.interactions, o);
  auto options = run_options(2);
  options.batch_size = 512;
  dn::train::Trainer<Model, dn::losses::BPR, dn::methods::SGDL> trainer(model, dn::nn::Adam<BF>({0.01}), sgdl,
                                                                        options);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  const auto fit = trainer.fit(p.data.interactions, sampler, nullptr);
  BOOST_TEST(sgdl.report()->switch_epoch == 1u);
  BOOST_TEST(std::isfinite(sgdl.report()->epochs.back().meta_loss));
  BOOST_TEST(std::isfinite(fit.history.back().train_loss));
}

// Every CPU backend of the build (Eigen; Thrust CPP and OMP with THRUST) runs both phases with
// the LSTM scheduler, and lands on the Eigen run's numbers up to float rounding.
template <class B>
std::pair<double, double> short_run(const planted& p) {
  dn::models::MF<B> model(p.data.interactions.n_users(), p.data.interactions.n_items(), {8}, 1);
  sg::sgdl_options o;
  o.max_phase1_epochs = 1;
  o.scheduler_hidden = 4;
  dn::methods::SGDL sgdl(p.data.interactions, o);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BPR, dn::methods::SGDL> trainer(
      model, dn::nn::Adam<B>({0.01}), sgdl, run_options(2));
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  const auto fit = trainer.fit(p.data.interactions, sampler, nullptr);
  BOOST_TEST(sgdl.report()->switch_epoch == 1u);
  return {fit.history.back().train_loss, sgdl.report()->epochs.back().meta_loss};
}

DENOISE_TYPED_TEST(every_backend_runs_sgdl_alike, dn::test::backend_list_float) {
  const planted p;
  const auto here = short_run<TestType>(p);
  const auto eigen = short_run<BF>(p);
  BOOST_TEST(std::isfinite(here.first));
  BOOST_TEST(here.first == eigen.first, boost::test_tools::tolerance(1e-3));
  BOOST_TEST(here.second == eigen.second, boost::test_tools::tolerance(1e-3));
}

// ---- configuration errors -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bad_options_are_config_errors_naming_the_field) {
  tiny t;
  auto field_of = [&](sg::sgdl_options o) -> std::string {
    try {
      dn::methods::SGDL s(t.train, o);
    } catch (const dn::config_error& e) {
      return e.field();
    }
    return "";
  };
  auto o = sg::sgdl_options::paper();
  o.history = 0;
  BOOST_TEST(field_of(o) == "history");
  o = {};
  o.tau = 0.0;
  BOOST_TEST(field_of(o) == "tau");
  o = {};
  o.weight_hidden = 0;
  BOOST_TEST(field_of(o) == "weight_hidden");
  o = {};
  o.phase1_lr_factor = -1;
  BOOST_TEST(field_of(o) == "phase1_lr_factor");
  o = {};
  o.meta_lr = std::nan("");
  BOOST_TEST(field_of(o) == "meta_lr");
  o = {};
  o.curve_points = 1;
  BOOST_TEST(field_of(o) == "curve_points");
  BOOST_TEST(field_of(sg::sgdl_options::code()) == "");
  dn::data::Interactions empty;
  BOOST_CHECK_THROW(dn::methods::SGDL(empty, {}), dn::config_error);
  dn::methods::SGDL s(t.train);
  std::vector<std::uint8_t> wrong(3, 0);
  BOOST_CHECK_THROW(s.log_memorization_against(wrong), dn::config_error);
}

BOOST_AUTO_TEST_CASE(code_profile_differs_where_algorithms_says) {
  const auto p = sg::sgdl_options::paper(), c = sg::sgdl_options::code();
  BOOST_TEST(p.weight_hidden == 64u);
  BOOST_TEST(c.weight_hidden == 100u);
  BOOST_TEST(p.tau == 0.05);
  BOOST_TEST(c.tau == 1.0);
  BOOST_TEST(c.phase1_lr_factor == 0.2);
  BOOST_TEST(c.reset_optimizers_each_epoch);
  BOOST_TEST(c.code_memorization);
  BOOST_TEST(c.per_user_normalization);
  BOOST_TEST(!p.reset_optimizers_each_epoch);
}

}  // namespace
