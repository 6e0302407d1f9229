// --methods sgdl through the CLI's layer: its flags name themselves when bad, it is refused with a
// loss it is not defined for, it is not in the default list, and a short run on small planted-noise
// data switches phases, selects a phase-II epoch and writes its report (switch, noise rate and
// memorization per epoch, the weighting function) into the result file.
#include "cli/harness/experiment.hpp"
#include "cli_flags.hpp"
#include "cli/pairs/prepared_data.hpp"
#include "cli/harness/report.hpp"

#include <boost/test/unit_test.hpp>

#include <denoise/backends/eigen.hpp>
#include <denoise/methods/sgdl/phase_two_selection.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/train/options.hpp>

#include <algorithm>
#include <memory>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace dc = denoise_cli;

using denoise_cli_test::field_of;
using denoise_cli_test::flags_of;

BOOST_AUTO_TEST_SUITE(cli_sgdl)

BOOST_AUTO_TEST_CASE(bad_settings_name_their_flag) {
  BOOST_TEST(field_of({"--methods", "sgdl"}).empty());
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-profile", "code"}).empty());
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-profile", "mine"}) == "--sgdl-profile");
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-variant", "half"}) == "--sgdl-variant");
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-scheduler", "gru"}) == "--sgdl-scheduler");
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-tau", "0"}) == "--sgdl-tau");
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-history", "0"}) == "--sgdl-history");
  BOOST_TEST(field_of({"--methods", "sgdl", "--sgdl-eval-every", "0"}) == "--sgdl-eval-every");
  BOOST_TEST(field_of({"--methods", "sgdl", "--loss", "softmax"}) == "--loss");
}

BOOST_AUTO_TEST_CASE(sgdl_is_not_run_unless_asked_for) {
  const auto e = dc::parse_experiment(flags_of({}));
  const auto& m = e.config.methods;
  BOOST_TEST(std::count(m.begin(), m.end(), "sgdl") == 0);
  BOOST_TEST(std::count(m.begin(), m.end(), "normal") == 1);
}

BOOST_AUTO_TEST_CASE(a_short_run_switches_selects_a_phase_two_epoch_and_reports) {
  const auto e = dc::parse_experiment(flags_of({"--methods", "sgdl", "--synthetic-users", "80", "--synthetic-items",
                                               "120", "--epochs", "6", "--sgdl-phase1-epochs", "3",
                                               "--sgdl-eval-every", "1", "--sgdl-scheduler", "none", "--loss",
                                               "bpr"}));
  const auto data = dc::prepare_data(e.config);
  const auto run = e.task->run(e.config, data, e.method("sgdl"), "sgdl", 1);
  // Phase I ends at epoch 3 at the latest; the selected epoch is a phase-II one (4..6).
  BOOST_TEST(run.fit.history.size() == 6u);
  BOOST_TEST(run.fit.best_epoch >= 4u);
  BOOST_TEST_REQUIRE(static_cast<bool>(run.write_report));
  std::ostringstream json;
  denoise::json_writer w(json);
  w.begin_object();
  run.write_report(w);
  w.end_object();
  const std::string text = json.str();
  for (const char* key : {"\"switch_epoch\"", "\"selected_epoch\"", "\"noise_rate\"", "\"memorization_precision\"",
                          "\"weighting_function\""})
    BOOST_TEST(text.find(key) != std::string::npos, key);
  BOOST_TEST(text.find("\"selected_epoch\": " + std::to_string(run.fit.best_epoch)) != std::string::npos);
}

// The selection callback on hand-made epochs: phase I ends at epoch 2; validation counts only in
// phase II, every `every` epochs; patience counts evaluations; the best phase-II epoch is restored.
BOOST_AUTO_TEST_CASE(phase_two_selection_ignores_phase_one_and_counts_evaluations) {
  namespace sg = denoise::methods::sgdl;
  using E = denoise::backends::Eigen<float>;
  denoise::models::MF<E> model(3, 4, {}, 1);
  auto report = std::make_shared<sg::sgdl_report>();
  auto record = [](std::size_t epoch, double ndcg) {
    denoise::train::epoch_record r;
    r.epoch = epoch;
    r.validation = {{"ndcg@20", ndcg}};
    return r;
  };
  // every = 1: phase I's 0.9 (epochs 1-2) never counts; epoch 4's 0.6 is the best of phase II.
  sg::phase_two_selection<E> each(report, "ndcg@20", 1, 2);
  const double values[] = {0.9, 0.95, 0.5, 0.6, 0.55, 0.58, 0.7};
  bool stopped = false;
  std::size_t last = 0;
  for (std::size_t epoch = 1; epoch <= 7 && !stopped; ++epoch) {
    if (epoch == 2) report->switch_epoch = 2;  // the method switches in its on_epoch_end, before callbacks
    stopped = each.on_epoch_end(record(epoch, values[epoch - 1]), model);
    last = epoch;
  }
  BOOST_TEST(each.best_epoch() == 4u);
  BOOST_TEST(stopped);      // epochs 5 and 6: two evaluations without a gain
  BOOST_TEST(last == 6u);
  // every = 2: only epochs 4, 6, ... are evaluated, so epoch 5's value never counts.
  report->switch_epoch = 2;
  sg::phase_two_selection<E> every_other(report, "ndcg@20", 2, 0);
  const double second[] = {0.9, 0.9, 0.1, 0.2, 0.99, 0.3, 0.1, 0.25};
  for (std::size_t epoch = 1; epoch <= 8; ++epoch) every_other.on_epoch_end(record(epoch, second[epoch - 1]), model);
  BOOST_TEST(every_other.best_epoch() == 6u);
  // A run that never switches selects nothing (and keeps its last epoch).
  auto never = std::make_shared<sg::sgdl_report>();
  sg::phase_two_selection<E> none(never, "ndcg@20", 1, 2);
  for (std::size_t epoch = 1; epoch <= 3; ++epoch) none.on_epoch_end(record(epoch, 0.5), model);
  BOOST_TEST(!none.selected());
  BOOST_CHECK_THROW(sg::phase_two_selection<E>(report, "ndcg@20", 0, 1), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
