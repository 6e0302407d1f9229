// The CLI's flags: each bad setting names its flag, whether it belongs to the common settings, the
// task family or a method's registration; methods and families are found by name in their registries.
#include "cli/harness/experiment.hpp"
#include "cli_flags.hpp"
#include "cli/registry/weighting.hpp"

#include <boost/test/unit_test.hpp>

#include <denoise/backends/eigen.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace dc = denoise_cli;

using denoise_cli_test::field_of;
using denoise_cli_test::flags_of;

BOOST_AUTO_TEST_SUITE(cli_config)

BOOST_AUTO_TEST_CASE(defaults_are_valid) {
  BOOST_TEST(field_of({}).empty());
  const auto e = dc::parse_experiment(flags_of({}));
  BOOST_TEST(e.config.task == "pairs");
  BOOST_TEST(e.config.methods == (std::vector<std::string>{"normal", "t-ce", "r-ce", "inverse-frequency"}));
  BOOST_TEST(e.task->describe() == "model gmf, loss bce, 1 negative(s)");
}

BOOST_AUTO_TEST_CASE(each_bad_setting_names_its_flag) {
  BOOST_TEST(field_of({"--model", "svd"}) == "--model");
  BOOST_TEST(field_of({"--loss", "hinge"}) == "--loss");
  BOOST_TEST(field_of({"--methods", "normal,co-teaching"}) == "--methods");
  BOOST_TEST(field_of({"--lr", "0"}) == "--lr");
  BOOST_TEST(field_of({"--epochs", "0"}) == "--epochs");
  BOOST_TEST(field_of({"--k", "20,0"}) == "--k");
  BOOST_TEST(field_of({"--drop-rate", "1"}) == "--drop-rate");
  BOOST_TEST(field_of({"--drop-schedule", "cosine"}) == "--drop-schedule");
  BOOST_TEST(field_of({"--beta", "-1"}) == "--beta");
  BOOST_TEST(field_of({"--data", "ml-100k:"}) == "--data");
  BOOST_TEST(field_of({"--loss", "bpr", "--negatives", "0"}) == "--negatives");
  BOOST_TEST(field_of({"--task", "nope"}) == "--task");
}

BOOST_AUTO_TEST_CASE(a_drop_rate_that_drops_every_positive_is_refused_only_for_t_ce) {
  BOOST_TEST(field_of({"--negatives", "4", "--drop-rate", "0.2"}) == "--drop-rate");
  BOOST_TEST(field_of({"--negatives", "4", "--drop-rate", "0.2", "--methods", "normal,r-ce"}).empty());
  BOOST_TEST(field_of({"--negatives", "4", "--drop-rate", "0.2", "--loss", "bpr"}).empty());
}

BOOST_AUTO_TEST_CASE(registrations_drive_the_help_text) {
  const std::string help = dc::usage();
  for (const auto& m : dc::registered_methods())
    for (const auto& spec : m.flags) BOOST_TEST(help.find("  " + spec.name + " ") != std::string::npos, spec.name);
  BOOST_TEST(help.find("--task T") != std::string::npos);
  BOOST_REQUIRE(dc::find_method("t-ce") != nullptr);
  BOOST_TEST(dc::find_method("t-ce")->flags.size() == 3u);
  BOOST_TEST(dc::find_task("pairs") != nullptr);
  BOOST_TEST(dc::find_task("ctr") != nullptr);
}

BOOST_AUTO_TEST_CASE(a_method_weights_a_batch_through_its_registration) {
  using E = denoise::backends::Eigen<float>;
  const auto e = dc::parse_experiment(flags_of({"--beta", "1"}));
  const dc::run_info run{{}, {}, {}, {}, 4, 1024, 1};
  auto state = e.method("r-ce").start_pairs(run, 1);
  const E::vector loss{0.5f, 0.5f}, prediction{0.25f, 0.75f}, positive{1.0f, 0.0f}, logits{0.0f, 0.0f};
  const E::vector labels{1.0f, 0.0f};
  const E::index_vector anchor{0, 1};
  const denoise::data::pair_batch<E> input{{0, 0}, {1, 2}};
  dc::opaque_model model;
  E::vector weights;
  const dc::batch_view<E, denoise::data::pair_batch<E>> batch{
      loss, prediction, positive, logits, {}, {}, {1, 2}, 0, 0, model, input, labels, anchor};
  BOOST_TEST(static_cast<double>(state->on_batch(batch, weights)) == 2.0);
  // R-CE: a positive's weight is its prediction to the power beta; negatives (label 0) use 1 - ŷ.
  BOOST_TEST(weights[0] == 0.25f);
}

BOOST_AUTO_TEST_SUITE_END()
