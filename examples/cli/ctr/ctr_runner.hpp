// ctr_runner<Model, Backend>: the compile-time side of the ctr family. One
// Trainer<Model, BCE, ctr_denoiser, Adam, Classification> per model, whatever the number of methods
// (every weighting method runs behind cli_denoiser's one virtual call per batch).
//
// The protocol (AutoDenoise, Lin et al. WWW'23): BCE, Adam, shuffled batches of rows,
// validation AUC after every epoch with early stopping (--patience, default 2), the best-validation
// parameters restored (early_stopping does it at the end of fit()), then tested once: AUC and
// LogLoss on the test rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <denoise/core/random.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/models/ctr/options.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/field_rows.hpp>
#include <denoise/train/callbacks/early_stopping.hpp>
#include <denoise/train/callbacks/progress.hpp>
#include <denoise/train/evaluators/classification.hpp>
#include <denoise/train/trainer.hpp>

#include "../harness/training_settings.hpp"
#include "../registry/weighting.hpp"
#include "ctr_data.hpp"
#include "ctr_runner_base.hpp"

namespace denoise_cli {

/// The ctr family's Method policy: the weighting methods that never read the model.
using ctr_denoiser = cli_denoiser<denoise::data::field_batch<eigen_backend>, false>;

/// The validation metric's direction: "logloss" is lower-is-better, "auc" higher.
inline bool ctr_higher_is_better(const std::string& monitor) { return monitor != "logloss"; }

inline denoise::models::ctr_options ctr_model_options(const ctr_settings& s) {
  denoise::models::ctr_options o;
  o.embed_dim = s.embed_dim;
  o.mlp_dims = s.mlp_dims;
  o.dropout = s.dropout;
  o.cross_layers = s.cross_layers;
  return o;
}

template <class Model, class Backend>
class ctr_runner final : public ctr_runner_base {
 public:
  method_run run(const ctr_settings& s, const experiment_config& c, const ctr_data& d, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    const auto& rows = d.split.train;
    Model model(rows.cardinalities(), ctr_model_options(s), denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = trainer_options_from(c, seed);
    const denoise::nn::adam_options adam = adam_from(c);
    // A row is its own instance: no item, its label as is (T-CE/R-CE read the positives).
    const run_info info{rows.instances(), {}, rows.labels(), rows.noisy(), 0, c.batch_size, c.epochs};
    const ctr_denoiser denoiser(method, info);
    train::Trainer<Model, denoise::losses::BCE, ctr_denoiser, denoise::nn::Adam<Backend>,
                   train::evaluators::Classification>
        trainer(model, denoise::nn::Adam<Backend>(adam), denoiser, o);
    train::evaluators::classification_target validation, test;
    validation.fields = &d.split.validation;
    test.fields = &d.split.test;
    method_run out;
    out.method = method_name;
    out.seed = seed;
    train::progress line(c.monitor);
    train::early_stopping<Backend> select(c.monitor, c.patience, ctr_higher_is_better(c.monitor));
    out.fit = trainer.fit(train::batchers::FieldRows(rows, denoise::data::Order::shuffled), &validation, select, line);
    out.test = trainer.evaluate(test).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.write_report = denoiser.report_slot();  // the trainer's copy shares the slots
    out.figure = denoiser.figure_slot();
    return out;
  }
};

/// Registers ctr_runner<Model, Backend> under the model's and the backend's names (a backend unit
/// holds one constant per model): `const registered_ctr_runner<E, models::FM<E>> fm{};`
template <class Backend, class Model>
struct registered_ctr_runner {
  registered_ctr_runner() {
    register_ctr_runner(Model::name(), Backend::name(), std::make_unique<ctr_runner<Model, Backend>>());
  }
};

}  // namespace denoise_cli
