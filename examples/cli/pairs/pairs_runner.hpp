// pairs_runner<Model, Loss, Backend, Denoiser, Evaluator>: the compile-time side of the pairs
// family. One Trainer<Model, Loss, Denoiser, Adam, Evaluator> per instantiation, whatever the
// number of methods: pairs_denoiser with the ranking evaluator for the weighting methods
// (pairs_eigen.cpp), pairs_representation_denoiser with RankingWithAuc for the methods that read
// the model's representation (pairs_representation_eigen.cpp), so that only their Trainer
// computes it.
//
// Model selection follows the papers' protocol without touching the test split: the epoch with the
// best validation metric (--monitor), or with --select-every the step with the lowest validation
// loss (pairs_training.hpp), is restored, then evaluated once on the clean test set. A method's
// report (weighting_state::report) becomes the run's "method_report".
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include <denoise/core/random.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include "prepared_data.hpp"
#include "../registry/weighting.hpp"
#include "pairs_models.hpp"
#include "pairs_runner_base.hpp"
#include "pairs_training.hpp"

namespace denoise_cli {

/// The validation and test targets of a runner's Evaluator, built from the prepared data (the
/// evaluator's own header specializes it when its targets need more, as RankingWithAuc's do).
template <class Evaluator>
class pairs_targets;

template <>
class pairs_targets<denoise::train::evaluators::Ranking> {
 public:
  explicit pairs_targets(const prepared_data& d) : d_(d) {}
  denoise::train::ranking_target validation() const { return d_.validation_target(); }
  denoise::train::ranking_target test() const { return d_.test_target(); }

 private:
  const prepared_data& d_;
};

template <class Model, class Loss, class Backend, class Denoiser = pairs_denoiser,
          class Evaluator = denoise::train::evaluators::Ranking>
class pairs_runner final : public pairs_runner_base {
  static_assert(std::is_same<typename Model::backend, Backend>::value, "a pairs runner trains a model on its own backend");

 public:
  method_run run(const pairs_settings& s, const experiment_config& c, const prepared_data& d,
                 const cli_method& method, const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    Model model = make_pairs_model(model_tag<Model>{}, s, d, denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = pairs_trainer_options(c, s, seed);
    const auto& rows = d.split.train;
    const run_info info{rows.instances(), rows.items(), rows.labels(),          rows.noisy(),
                        d.n_items(),      o.positives_per_batch(), c.epochs};
    const Denoiser denoiser(method, info);
    train::Trainer<Model, Loss, Denoiser, denoise::nn::Adam<Backend>, Evaluator> trainer(
        model, denoise::nn::Adam<Backend>(adam_from(c)), denoiser, o);
    const pairs_targets<Evaluator> targets(d);
    method_run out;
    out.method = method_name;
    out.seed = seed;
    fit_with_selection<Backend>(trainer, c, d, targets.validation(), seed, out);
    out.test = trainer.evaluate(targets.test()).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.write_report = denoiser.report_slot();  // the trainer's copy shares the slots
    out.figure = denoiser.figure_slot();
    return out;
  }
};

/// The weighting runners of a model, one per loss: `const pairs_runners<E, models::MF<E>, losses::BCE> mf{};`
template <class Backend, class Model, class... Losses>
using pairs_runners = registered_runners<pairs_runner, method_level::weighting, Backend, Model, Losses...>;

}  // namespace denoise_cli
