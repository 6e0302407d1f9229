// pairs_runner<Model, Loss, Backend>: the compile-time side of the pairs family. One
// Trainer<Model, Loss, pairs_denoiser> per instantiation, whatever the number of methods.
//
// Model selection follows the papers' protocol without touching the test split: the epoch with the
// best validation metric (--monitor) is restored, then evaluated once on the clean test set.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include <denoise/core/random.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include "../harness/prepared_data.hpp"
#include "../registry/weighting.hpp"
#include "pairs_models.hpp"
#include "pairs_runner_base.hpp"
#include "pairs_training.hpp"

namespace denoise_cli {

template <class Model, class Loss, class Backend>
class pairs_runner final : public pairs_runner_base {
  static_assert(std::is_same<typename Model::backend, Backend>::value, "a pairs runner trains a model on its own backend");

 public:
  method_run run(const pairs_settings& s, const experiment_config& c, const prepared_data& d,
                 const cli_method& method, const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    Model model = make_pairs_model(model_tag<Model>{}, s, d, denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = pairs_trainer_options(c, s, seed);
    const run_info info{d.split.train, d.n_items(), o.positives_per_batch(), c.epochs};
    train::Trainer<Model, Loss, pairs_denoiser, denoise::nn::Adam<Backend>> trainer(
        model, denoise::nn::Adam<Backend>(pairs_adam(c)), pairs_denoiser(method, info), o);
    denoise::data::UniformNegativeSampler sampler(d.split.train);
    const auto validation = d.validation_target();
    train::early_stopping<Backend> select(c.monitor, c.patience, /*higher_is_better=*/true);
    train::progress line(c.monitor);

    method_run out;
    out.method = method_name;
    out.seed = seed;
    out.fit = trainer.fit(d.split.train, sampler, &validation, select, line);
    out.test = trainer.evaluate(d.test_target()).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
  }
};

/// Registers pairs_runner<Model, Loss, Backend> for each of `Losses` under the model's, the loss's
/// and the backend's names: `const pairs_runners<E, models::MF<E>, losses::BCE, losses::BPR> r{};`
template <class Backend, class Model, class... Losses>
struct pairs_runners {
  pairs_runners() {
    (register_pairs_runner(Model::name(), Losses::name(), Backend::name(), method_level::weighting,
                           std::make_unique<pairs_runner<Model, Losses, Backend>>()),
     ...);
  }
};

}  // namespace denoise_cli
