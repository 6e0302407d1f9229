// AutoDenoise by RL instance selection (methods::InstanceSelection) on DeepFM over planted-noise
// field rows: the loss-matrix FIFO through the warm-up and a searching epoch, TopK per batch with
// the last partial batch, determinism, the subset export, config errors, and the share of
// flipped labels among the dropped rows.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/ctr_csv.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/autodenoise_selection/autodenoise_selection.hpp>
#include <denoise/models/ctr/deep_fm.hpp>
#include <denoise/models/ctr/fm.hpp>
#include <denoise/rl/baselines/moving_average.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

#include "planted_ctr.hpp"

using namespace denoise;

namespace {

using B = backends::Eigen<float>;
using DeepFM = models::DeepFM<B>;
using context_t = train::field_selection_context<DeepFM>;

struct fixture {
  data::field_split split;
  train::evaluators::classification_target validation, test;
  explicit fixture(std::size_t rows = 3000, double flip = 0.2, std::uint64_t seed = 5)
      : split(data::split_fields(test::planted_noise_ctr(rows, flip, seed), 2)) {
    validation.fields = &split.validation;
    test.fields = &split.test;
  }
  static train::trainer_options options(std::size_t batch = 256) {
    train::trainer_options o;
    o.batch_size = batch;
    o.seed = 1;
    o.track_instances = false;
    return o;
  }
  static nn::Adam<B> adam() {
    nn::adam_options a;
    a.lr = 1e-2;  // small data: the model's 1e-3 would need many more epochs
    a.weight_decay = 1e-6;
    return nn::Adam<B>(a);
  }
};

methods::instance_selection_options small(std::size_t c = 2, std::size_t t = 2) {
  methods::instance_selection_options o;
  o.history = c;
  o.searching_epochs = t;
  o.ratio = 0.9;
  o.retrain_epochs = 6;
  return o;
}

std::vector<float> host(const B::vector& v) {
  std::vector<float> out;
  B::to_host(v, out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(autodenoise_selection)

BOOST_AUTO_TEST_CASE(the_selector_satisfies_the_selector_policy) {
  static_assert(train::check_selector<methods::AutoDenoiseSelection, context_t>(), "");
  static_assert(train::check_selector<methods::InstanceSelection<rl::LossImprovement, rl::MovingAverage>, context_t>(), "");
  BOOST_TEST(std::string(methods::AutoDenoiseSelection::name()) == "autodenoise");
  const methods::AutoDenoiseSelection defaults;
  BOOST_TEST(defaults.options().history == defaults.reward().history());
  BOOST_TEST(defaults.options().ratio == 0.98);
  BOOST_TEST(defaults.options().searching_epochs == 50u);
}

// Warm-up model c's row holds each instance's eval-mode loss before its batch's step: for the first
// batch that is a freshly initialised model's loss. A searching epoch's row then pushes out the oldest.
BOOST_AUTO_TEST_CASE(the_loss_matrix_is_a_fifo_filled_by_the_warm_up) {
  fixture f(1500);
  DeepFM model(f.split.train.cardinalities());
  context_t ctx(model, f.split.train, &f.validation, fixture::options(), fixture::adam());
  methods::AutoDenoiseSelection policy(small(3, 1));
  methods::AutoDenoiseSelection::State<B> state(policy, 7);
  state.begin(ctx);
  state.warm_up(ctx);
  const auto& lmat = state.rewards().history();
  BOOST_TEST(lmat.rows() == 3u);
  std::vector<std::vector<float>> rows(3);
  B::vector row;
  for (std::size_t c = 0; c < 3; ++c) {
    lmat.row(c, row);
    rows[c] = host(row);
  }
  BOOST_TEST(rows[0] != rows[1]);

  // The first batch of warm-up model c: the fresh model's eval-mode BCE.
  for (std::size_t c = 0; c < 3; ++c) {
    DeepFM fresh(f.split.train.cardinalities());
    fresh.reset(state.warm_up_seed(c));
    fresh.eval();
    bool first = true;
    ctx.for_each_batch([&](const auto& batch) {
      if (!first) return;
      first = false;
      DeepFM::workspace ws;
      B::vector logits, loss, prediction, positive;
      fresh.forward(batch.input, ws, logits);
      losses::BCE::forward<B>(logits, batch.labels, batch.layout, loss, prediction, positive);
      const auto l = host(loss);
      for (std::size_t k = 0; k < l.size(); ++k)
        BOOST_TEST(rows[c][static_cast<std::size_t>(batch.instance[k])] == l[k], boost::test_tools::tolerance(1e-5f));
    });
  }

  state.search_epoch(ctx);
  BOOST_TEST(lmat.rows() == 3u);
  for (std::size_t c = 0; c < 2; ++c) {
    lmat.row(c, row);
    BOOST_TEST(host(row) == rows[c + 1], boost::test_tools::per_element());
  }
  lmat.row(2, row);
  BOOST_TEST(host(row) == host(state.rewards().current()), boost::test_tools::per_element());
  // Every entry of the searching epoch's row was written (none kept the initial 1.0).
  const auto newest = host(row);
  std::size_t untouched = 0;
  for (offset_t id : f.split.train.instances()) untouched += newest[static_cast<std::size_t>(id)] == 1.0f ? 1u : 0u;
  BOOST_TEST(untouched == 0u);
}

// 1000 training rows in batches of 256: 256, 256, 256, 232; ratio 0.9 keeps round(230.4) = 230
// of each full batch and round(208.8) = 209 of the last, each the batch's most probable.
BOOST_AUTO_TEST_CASE(top_k_keeps_the_most_probable_of_each_batch_including_the_last_partial_one) {
  fixture f(1250);
  BOOST_REQUIRE(f.split.train.size() == 1000u);
  DeepFM model(f.split.train.cardinalities());
  context_t ctx(model, f.split.train, &f.validation, fixture::options(256), fixture::adam());
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(small()), 3);
  state.begin(ctx);
  const auto subset = state.current_subset(ctx);
  std::vector<std::uint8_t> kept(ctx.instances(), 0);
  for (auto id : subset) kept[static_cast<std::size_t>(id)] = 1;

  auto& theta = state.policy();
  theta.eval();
  std::vector<std::size_t> per_batch;
  bool ranked = true;
  ctx.for_each_batch([&](const auto& batch) {
    typename methods::PolicyNetwork<B>::workspace ws;
    B::matrix logits, probs;
    theta.forward(batch.input, ws, logits);
    methods::PolicyNetwork<B>::probabilities(logits, probs);
    std::vector<float> p;
    B::to_host(probs, p);
    std::size_t n = 0;
    float lowest_kept = 2.0f, highest_dropped = -1.0f;
    for (std::size_t k = 0; k < batch.instance.size(); ++k) {
      const float select = p[2 * k + 1];
      if (kept[static_cast<std::size_t>(batch.instance[k])] != 0) {
        ++n;
        lowest_kept = std::min(lowest_kept, select);
      } else {
        highest_dropped = std::max(highest_dropped, select);
      }
    }
    ranked = ranked && lowest_kept >= highest_dropped;
    per_batch.push_back(n);
  });
  theta.train(true);
  BOOST_TEST(per_batch == (std::vector<std::size_t>{230, 230, 230, 209}), boost::test_tools::per_element());
  BOOST_TEST(ranked);
  BOOST_TEST(subset.size() == 899u);
  BOOST_TEST(std::is_sorted(subset.begin(), subset.end()));
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_subset_and_the_subset_exports_and_transfers) {
  fixture f(1500);
  auto run = [&](std::uint64_t seed, std::vector<double>& validation) {
    DeepFM model(f.split.train.cardinalities());
    context_t ctx(model, f.split.train, &f.validation, fixture::options(), fixture::adam());
    methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(small(2, 2)), seed);
    const auto subset = train::select<methods::AutoDenoiseSelection>(state, ctx);
    BOOST_TEST(state.history().size() == 2u);
    validation.clear();
    for (const auto& r : state.history()) validation.push_back(r.validation);
    BOOST_TEST(subset == state.best_subset());
    const auto& best = state.history().at(state.best_epoch() - 1);
    for (const auto& r : state.history()) BOOST_TEST(best.validation >= r.validation);
    BOOST_TEST(best.kept == subset.size());
    return subset;
  };
  std::vector<double> v1, v2, v3;
  const auto a = run(13, v1);
  const auto b = run(13, v2);
  BOOST_TEST(a == b);
  BOOST_TEST(v1 == v2, boost::test_tools::per_element());
  const auto c = run(14, v3);
  BOOST_TEST(a != c);

  // Export as ids and as rows in the input's format; both read back to the same rows.
  const std::string ids_path = "autodenoise_subset_ids.csv", rows_path = "autodenoise_subset_rows.csv";
  data::write_subset_csv(a, ids_path);
  methods::write_subset_rows_csv(f.split.train, a, rows_path);
  const auto ids = data::read_subset_csv(ids_path);
  BOOST_TEST(ids == a);
  const auto rows = train::rows_of_instances(f.split.train, ids);
  const auto read = data::read_autodenoise_csv({rows_path}, f.split.train.n_fields()).at(0);
  BOOST_REQUIRE(read.size() == rows.size());
  BOOST_TEST(std::vector<index_t>(read.codes().begin(), read.codes().end()) ==
                 std::vector<index_t>(rows.codes().begin(), rows.codes().end()),
             boost::test_tools::per_element());
  BOOST_TEST(std::vector<float>(read.labels().begin(), read.labels().end()) ==
                 std::vector<float>(rows.labels().begin(), rows.labels().end()),
             boost::test_tools::per_element());
  std::remove(ids_path.c_str());
  std::remove(rows_path.c_str());

  // Transfer: another CTR model trains on DeepFM's subset through the same context type.
  models::FM<B> fm(f.split.train.cardinalities());
  train::field_selection_context<models::FM<B>> fm_ctx(fm, f.split.train, &f.validation, fixture::options(),
                                                       fixture::adam());
  const auto result = fm_ctx.retrain(a, 1, "auc", 2, 4);
  for (const auto& r : result.history) BOOST_TEST(r.samples == a.size());
  BOOST_TEST(result.history.at(result.best_epoch - 1).value("auc") > 0.5);
}

// Runs a selector on planted-noise rows; returns the best epoch's share of flipped labels among
// the dropped rows, and the data's share in `overall`.
template <class Selector>
double dropped_noise(const data::FieldDataset& rows, std::size_t t, std::uint64_t seed, double& overall,
                     methods::selection_profile profile = methods::selection_profile::paper) {
  const auto split = data::split_fields(rows, 2);
  train::evaluators::classification_target validation;
  validation.fields = &split.validation;
  DeepFM model(split.train.cardinalities());
  context_t ctx(model, split.train, &validation, fixture::options(128), fixture::adam());
  methods::instance_selection_options o = small(2, t);
  o.profile = profile;
  typename Selector::template State<B> state(Selector(o), seed);
  const auto subset = train::select<Selector>(state, ctx);
  for (const auto& r : state.history()) {
    BOOST_TEST_MESSAGE("  " << Selector::baseline_type::name() << " epoch " << r.epoch << ": validation AUC "
                            << r.validation << ", flipped among dropped " << r.dropped_noisy_share << " (data "
                            << r.noisy_share << "), mean reward " << r.mean_reward << ", a2 share " << r.selected_share);
  }
  const auto& best = state.history().at(state.best_epoch() - 1);
  BOOST_TEST(subset.size() == best.kept);
  overall = best.noisy_share;
  return best.dropped_noisy_share;
}

// Flips concentrated in one value of a field (a noisy source: half its labels flipped, 2% of the
// others; 13.7% of the training rows). Θ reads the fields, not the label, so it can tell the source
// apart, and it does: the dropped rows' share of flipped labels is far from the data's. But it is
// far BELOW it. Measured, and why: W of a searching epoch trains on the a2-selected rows only
// (20-50%), so the rows it can learn (clean ones) end the batch with a higher loss than the
// full-data models of the history recorded, a negative loss improvement; the noisy source's rows
// sit near log 2 whatever W learns, a reward near 0. Θ learns to keep them. This asserts the
// honest outcome at this scale (6,000 rows, T = 6), not the paper's hoped-for one.
BOOST_AUTO_TEST_CASE(on_planted_noise_the_dropped_rows_differ_from_the_data_in_noise) {
  const auto rows = test::planted_noise_ctr(6000, 0.02, 8, 0.5);
  double overall = 0;
  BOOST_TEST_MESSAGE("noisy source, no baseline:");
  const double none = dropped_noise<methods::AutoDenoiseSelection>(rows, 6, 21, overall);
  BOOST_TEST(none < overall);
  BOOST_TEST_MESSAGE("noisy source, moving-average baseline:");
  const double moving =
      dropped_noise<methods::InstanceSelection<rl::LossImprovement, rl::MovingAverage>>(rows, 6, 21, overall);
  BOOST_TEST(moving < 0.5 * overall);
  // Uniformly random flips (20% of all rows) are reported, not asserted: Θ would have to memorise
  // single rows from their fields.
  BOOST_TEST_MESSAGE("uniform flips, no baseline:");
  dropped_noise<methods::AutoDenoiseSelection>(test::planted_noise_ctr(6000, 0.2, 8), 6, 21, overall);
  BOOST_TEST_MESSAGE("noisy source, code profile:");
  dropped_noise<methods::AutoDenoiseSelection>(rows, 6, 21, overall, methods::selection_profile::code);
}

BOOST_AUTO_TEST_CASE(the_code_profile_runs_with_its_own_rules) {
  fixture f(1500);
  DeepFM model(f.split.train.cardinalities());
  context_t ctx(model, f.split.train, &f.validation, fixture::options(), fixture::adam());
  auto o = small(2, 1);
  o.profile = methods::selection_profile::code;
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(o), 5);
  state.begin(ctx);
  state.warm_up(ctx);
  state.search_epoch(ctx);
  // Deselected instances keep stale values: the newest row equals the previous one where a2 = 0.
  const auto& lmat = state.rewards().history();
  B::vector older, newest;
  lmat.row(0, older);
  lmat.row(1, newest);
  const auto o1 = host(older), n1 = host(newest);
  std::size_t stale = 0;
  for (std::size_t i = 0; i < o1.size(); ++i) stale += o1[i] == n1[i] ? 1u : 0u;
  BOOST_TEST_MESSAGE("code profile: " << stale << " of " << o1.size() << " entries kept a stale loss");
  state.validation_phase(ctx);
  BOOST_TEST(state.history().size() == 1u);
  BOOST_TEST(state.history()[0].kept == state.best_subset().size());
  BOOST_TEST(stale > 0u);
}

BOOST_AUTO_TEST_CASE(selection_on_test_is_refused_unless_asked_for_by_name) {
  fixture f(1500);
  DeepFM model(f.split.train.cardinalities());
  context_t ctx(model, f.split.train, &f.validation, fixture::options(), fixture::adam());
  auto o = small(1, 1);
  {
    methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(o), 5);
    BOOST_CHECK_THROW(state.read_test_set_for_selection(f.test), config_error);
  }
  o.select_on_test = true;
  {
    methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(o), 5);
    BOOST_CHECK_THROW(state.select(ctx), config_error);  // no test target given
    state.read_test_set_for_selection(f.test);
    const auto subset = state.select(ctx);
    BOOST_TEST(!std::isnan(state.history().at(0).test));
    BOOST_TEST(!subset.empty());
  }
  context_t no_validation(model, f.split.train, nullptr, fixture::options(), fixture::adam());
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(small(1, 1)), 5);
  BOOST_CHECK_THROW(state.select(no_validation), config_error);
}

BOOST_AUTO_TEST_CASE(bad_options_are_config_errors_naming_the_field) {
  auto throws_on = [](methods::instance_selection_options o, const std::string& field) {
    try {
      methods::AutoDenoiseSelection s(o);
    } catch (const config_error& e) {
      BOOST_TEST(std::string(e.what()).find(field) != std::string::npos, e.what());
      return;
    }
    BOOST_ERROR("no config_error for " << field);
  };
  auto o = small();
  o.history = 0;
  throws_on(o, "history");
  o = small();
  o.searching_epochs = 0;
  throws_on(o, "searching_epochs");
  o = small();
  o.ratio = 1.5;
  throws_on(o, "ratio");
  o.ratio = 0.0;
  throws_on(o, "ratio");
  o = small();
  o.policy_lr = 0.0;
  throws_on(o, "policy_lr");
  o = small();
  o.epsilon = -0.1;
  throws_on(o, "epsilon");
  o = small();
  o.retrain_epochs = 0;
  throws_on(o, "retrain_epochs");
  o = small();
  o.policy.dropout = 1.0;
  throws_on(o, "policy_dropout");
  // The reward's C must match the warm-up's.
  BOOST_CHECK_THROW(methods::AutoDenoiseSelection(small(4, 1), rl::LossImprovement(3)), config_error);
  // Phases out of order.
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(small()), 1);
  BOOST_CHECK_THROW(state.rewards(), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
