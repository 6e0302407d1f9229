// pairs_runner<Model, Loss, Backend>: the compile-time side of the pairs family. One
// Trainer<Model, Loss, pairs_denoiser> per instantiation, whatever the number of methods.
//
// Model selection follows the papers' protocol without touching the test split: the epoch with the
// best validation metric (--monitor), or with --select-every the step with the lowest validation
// loss (pairs_training.hpp), is restored, then evaluated once on the clean test set.
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
    method_run out;
    out.method = method_name;
    out.seed = seed;
    fit_with_selection<Backend>(trainer, c, d, d.validation_target(), seed, out);
    out.test = trainer.evaluate(d.test_target()).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
  }
};

/// The weighting runners of a model, one per loss: `const pairs_runners<E, models::MF<E>, losses::BCE> mf{};`
template <class Backend, class Model, class... Losses>
using pairs_runners = registered_runners<pairs_runner, method_level::weighting, Backend, Model, Losses...>;

}  // namespace denoise_cli
