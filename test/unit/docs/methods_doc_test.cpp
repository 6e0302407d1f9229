// The usage code of the method pages, compiled (and, for SGDL and the controller, run on small
// data): docs/sgdl.md, docs/autodenoise_selection.md and docs/autodenoise_controller.md show the
// marked "usage" blocks below verbatim (docs.snippets checks it).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/core_filter.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/data/movielens_ctr.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequences.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>
#include <denoise/methods/autodenoise_selection/autodenoise_selection.hpp>
#include <denoise/methods/sgdl/phase_two_selection.hpp>
#include <denoise/methods/sgdl/sgdl.hpp>
#include <denoise/models/ctr/deep_fm.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>
#include <denoise/train/train.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using B = denoise::backends::Eigen<float>;

// SGDL (docs/sgdl.md) on `train`, validated on `validation`.
std::size_t sgdl_usage(const denoise::data::Interactions& train, const denoise::train::ranking_target& validation,
                       const denoise::train::trainer_options& options, std::uint64_t seed) {
  namespace dn = denoise;
  // [doc: sgdl.md usage]
  dn::models::MF<B> model(train.n_users(), train.n_items(), {64}, seed);
  dn::methods::SGDL sgdl(train, dn::methods::sgdl::sgdl_options::paper());   // or ::code()
  sgdl.log_memorization_against(train.noisy());             // optional: logging only
  dn::train::Trainer<decltype(model), dn::losses::BPR, dn::methods::SGDL>
      trainer(model, dn::nn::Adam<B>({1e-3}), sgdl, options);
  dn::data::UniformNegativeSampler sampler(train);
  dn::methods::sgdl::phase_two_selection<B> select(sgdl.report());   // validate in phase II only
  const auto result = trainer.fit(train, sampler, &validation, select);
  const auto& report = *sgdl.report();   // shared by every copy of the policy
  std::printf("phase II from epoch %zu, tested epoch %zu\n", report.switch_epoch + 1, result.best_epoch);
  // report.epochs: per epoch the phase, sigma_hat, |M_t|/|D|, memorization precision/recall, meta-loss;
  // report.curve_loss, report.curve_weight: the learned g(l; psi) on a loss grid
  // [end]
  return report.switch_epoch;
}

// AutoDenoise instance selection (docs/autodenoise_selection.md): compiled; it needs MovieLens.
[[maybe_unused]] void selection_usage(const std::string& dir, std::uint64_t seed) {
  using namespace denoise;
  auto split = data::split_fields(data::load_movielens_100k_ctr_fields(dir), seed);
  // [doc: autodenoise_selection.md usage]
  train::evaluators::classification_target validation{nullptr, &split.validation};
  models::DeepFM<B> model(split.train.cardinalities());
  train::trainer_options o;
  o.batch_size = 2048;
  o.seed = seed;
  train::field_selection_context<models::DeepFM<B>> ctx(model, split.train, &validation, o,
                                                        nn::Adam<B>({1e-3, 0.9, 0.999, 1e-8, 1e-6}));
  methods::instance_selection_options options;        // C = 4, T = 50, ratio 0.98, profile paper
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(options), seed);
  state.on_epoch([](const methods::search_epoch_record& r) { std::printf("search epoch %zu\n", r.epoch); });
  std::vector<offset_t> subset = train::select<methods::AutoDenoiseSelection>(state, ctx);
  data::write_subset_csv(subset, "subset_ids.csv");                         // instance ids
  methods::write_subset_rows_csv(split.train, subset, "subset_rows.csv");   // AutoDenoise CSV rows
  // [end]
}

// The controller (docs/autodenoise_controller.md) on a sequence split.
std::size_t controller_usage(denoise::models::SASRec<B>& model, const denoise::data::sequence_split& split,
                             const denoise::train::evaluators::sequence_target& valid,
                             const denoise::train::trainer_options& options) {
  using namespace denoise;
  // [doc: autodenoise_controller.md usage]
  methods::AutoDenoiseS controller;                              // soft head; AutoDenoiseH: hard, A = 3
  train::Trainer<models::SASRec<B>, losses::SoftmaxCrossEntropy, methods::AutoDenoiseS>
      trainer(model, nn::Adam<B>{}, controller, options);
  trainer.fit(train::batchers::SequenceWindows(split, 10), &valid);  // valid: sequence_target::validation(...)
  for (const auto& e : trainer.method().history()) std::printf("%g %g\n", e.reward, e.baseline);
  // [end]
  return trainer.method().history().size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(methods_doc)

BOOST_AUTO_TEST_CASE(the_sgdl_page_runs_and_switches_within_its_phase_one_cap) {
  denoise::data::SyntheticConfig c;
  c.n_users = 60;
  c.n_items = 80;
  c.mean_positives = 12;
  c.seed = 3;
  const auto data = denoise::data::make_synthetic(c);
  const auto by_user = data.interactions.by_user();
  const auto held_out = data.held_out.by_user();
  const denoise::train::ranking_target validation{by_user.view(), held_out.view()};
  denoise::train::trainer_options options;
  options.epochs = 4;
  options.batch_size = 128;
  // The paper profile's phase-I cap is 50 epochs; a 4-epoch run stays in phase I (switch 0) unless
  // the criterion fires, and either way the page's code runs to the end.
  const std::size_t switched = sgdl_usage(data.interactions, validation, options, 7);
  BOOST_TEST(switched <= 4u);
}

BOOST_AUTO_TEST_CASE(the_controller_page_runs_one_reward_per_epoch) {
  // Ten users with twelve chronological interactions over six items.
  std::vector<denoise::offset_t> offsets{0};
  std::vector<denoise::index_t> items;
  std::vector<float> ratings;
  std::vector<std::int64_t> stamps;
  for (int u = 0; u < 10; ++u) {
    for (int t = 0; t < 12; ++t) {
      items.push_back(static_cast<denoise::index_t>((u + t) % 6));
      ratings.push_back(t % 4 == 0 ? 2.0f : 4.0f);
      stamps.push_back(t);
    }
    offsets.push_back(static_cast<denoise::offset_t>(items.size()));
  }
  const auto seqs = denoise::data::Sequences::from_columns(offsets, items, ratings, 6, stamps);
  const auto split = denoise::data::split_sequences(seqs);
  const auto valid = denoise::train::evaluators::sequence_target::validation(split, {}, 10);
  denoise::models::SASRec<B> model(seqs.n_users(), seqs.n_items(), {}, 1);
  denoise::train::trainer_options options;
  options.epochs = 3;
  options.batch_size = 32;
  BOOST_TEST(controller_usage(model, split, valid, options) == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
