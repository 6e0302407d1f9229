// pairs_representation_runner<Model, Loss, Backend>: the weighting methods that read the model's
// per-row representation (cli_method::reads_representation: AutoDenoise-H / -S) on a pairs model
// that has one (sample_representation: MF and GMF, [e_u || e_i]). One
// Trainer<Model, Loss, pairs_representation_denoiser, Adam, RankingWithAuc> per instantiation
// (pairs_representation_eigen.cpp), so the Trainer of every other method (pairs_runner.hpp) never
// computes a representation.
//
// Validation adds "auc" to the ranking metrics (ranking_auc_evaluator.hpp): the controller's
// reward, ALGORITHMS.md §4. Selection is the family's: the epoch with the best --monitor is
// restored, then tested once on the clean test set. The method's report (reward, baseline, mean
// weight of clean vs noisy positives per epoch) becomes the run's "method_report".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/data/csr_index.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include "../harness/prepared_data.hpp"
#include "../registry/weighting.hpp"
#include "pairs_models.hpp"
#include "pairs_runner_base.hpp"
#include "pairs_training.hpp"
#include "ranking_auc_evaluator.hpp"

namespace denoise_cli {

/// Per user, the items of the training and validation interactions (noisy ones too): what the
/// validation AUC counts neither as a positive nor as a negative.
inline denoise::data::CsrIndex observed_by_user(const prepared_data& d) {
  std::vector<denoise::index_t> users, items;
  for (const auto* part : {&d.split.train, &d.split.validation}) {
    users.insert(users.end(), part->users().begin(), part->users().end());
    items.insert(items.end(), part->items().begin(), part->items().end());
  }
  return denoise::data::CsrIndex::build(users, items, static_cast<std::size_t>(d.n_users()));
}

template <class Model, class Loss, class Backend>
class pairs_representation_runner final : public pairs_runner_base {
  static_assert(std::is_same<typename Model::backend, Backend>::value, "a pairs runner trains a model on its own backend");
  static_assert(denoise::train::has_sample_representation<Model>::value,
                "a representation runner needs a model with sample_representation (MF, GMF)");

 public:
  method_run run(const pairs_settings& s, const experiment_config& c, const prepared_data& d,
                 const cli_method& method, const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    Model model = make_pairs_model(model_tag<Model>{}, s, d, denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = pairs_trainer_options(c, s, seed);
    const run_info info{d.split.train, d.n_items(), o.positives_per_batch(), c.epochs};
    const pairs_representation_denoiser denoiser(method, info);
    train::Trainer<Model, Loss, pairs_representation_denoiser, denoise::nn::Adam<Backend>, RankingWithAuc> trainer(
        model, denoise::nn::Adam<Backend>(pairs_adam(c)), denoiser, o);
    const denoise::data::CsrIndex observed = observed_by_user(d);
    const ranking_auc_target validation{d.validation_target(), observed.view()};

    method_run out;
    out.method = method_name;
    out.seed = seed;
    fit_with_selection<Backend>(trainer, c, d, validation, seed, out);
    out.test = trainer.evaluate(ranking_auc_target{d.test_target(), {}}).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.write_report = denoiser.report_slot();  // the trainer's copy shares the slot
    return out;
  }
};

/// The representation runners of a model, one per loss: `const pairs_representation_runners<E, models::MF<E>, losses::BCE> mf{};`
template <class Backend, class Model, class... Losses>
using pairs_representation_runners = registered_runners<pairs_representation_runner, method_level::representation, Backend, Model, Losses...>;

}  // namespace denoise_cli
