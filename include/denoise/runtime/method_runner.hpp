// Runs one denoising method with one seed on prepared data, choosing the model, loss and denoiser
// from an experiment_config at run time. The training itself is the compile-time
// Trainer<Model, Loss, DynamicDenoiser>: each (model, loss) pair is one instantiation.
//
// Model selection follows the papers' protocol without touching the test split: the epoch with the
// best validation metric (config.monitor) is restored, then evaluated once on the clean test set.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "../backends/eigen.hpp"
#include "../data/uniform_negative_sampler.hpp"
#include "../losses/losses.hpp"
#include "../models/models.hpp"
#include "../nn/optim/adam.hpp"
#include "../train/train.hpp"
#include "dynamic_denoiser.hpp"
#include "experiment_config.hpp"
#include "prepared_data.hpp"

namespace denoise {
namespace runtime {

/// The result of one (method, seed) run.
struct method_run {
  std::string method;
  std::uint64_t seed = 0;
  train::fit_result fit;          ///< per-epoch history, best epoch, per-instance weights and losses
  metrics::metric_list test;      ///< clean-test metrics of the selected epoch
  double seconds = 0.0;           ///< wall time of the whole run (training + validation)
};

/// The denoiser a method name stands for, with the config's hyper-parameters.
inline DynamicDenoiser make_denoiser(const experiment_config& c, const std::string& method, const prepared_data& d) {
  if (method == "t-ce") {
    std::uint64_t ramp = c.drop_ramp;
    if (ramp == 0) {  // auto: reach the maximum drop rate a quarter of the way through the run
      std::size_t positives = 0;
      for (float label : d.split.train.labels()) positives += label > 0.0f ? 1u : 0u;
      const std::size_t per_epoch = (positives + c.batch_size - 1) / c.batch_size;
      ramp = std::max<std::uint64_t>(1, per_epoch * c.epochs / 4);
    }
    if (c.drop_schedule == "exponential") {
      return DynamicDenoiser(methods::TruncatedLoss<methods::exponential_drop_schedule>(
          methods::exponential_drop_schedule(c.max_drop_rate, static_cast<double>(ramp))));
    }
    return DynamicDenoiser(methods::TruncatedLoss<methods::linear_drop_schedule>(
        methods::linear_drop_schedule(c.max_drop_rate, ramp)));
  }
  if (method == "r-ce") return DynamicDenoiser(methods::ReweightedLoss(c.beta));
  if (method == "inverse-frequency") {
    return DynamicDenoiser(methods::InverseFrequency(d.split.train.items(), d.split.train.labels(), d.n_items()));
  }
  if (method == "normal") return DynamicDenoiser(methods::None{});
  throw config_error("unknown method '" + method + "'", location::of_field("--methods"));
}

namespace detail {

template <class B, class Model, class Loss>
method_run train_and_test(Model& model, const experiment_config& c, const prepared_data& d, const std::string& method,
                          std::uint64_t seed) {
  const auto started = std::chrono::steady_clock::now();
  train::trainer_options o;
  o.epochs = c.epochs;
  o.batch_size = c.batch_size;
  o.negatives = c.negatives;
  o.seed = seed;
  o.ks = c.ks;
  nn::adam_options adam;
  adam.lr = c.lr;
  adam.weight_decay = c.weight_decay;
  adam.lazy = !c.dense_adam;
  train::Trainer<Model, Loss, DynamicDenoiser> trainer(model, nn::Adam<B>(adam), make_denoiser(c, method, d), o);
  data::UniformNegativeSampler sampler(d.split.train);
  const auto validation = d.validation_target();
  train::early_stopping<B> select(c.monitor, c.patience, /*higher_is_better=*/true);
  train::progress line(c.monitor);

  method_run run;
  run.method = method;
  run.seed = seed;
  run.fit = trainer.fit(d.split.train, sampler, &validation, select, line);
  run.test = trainer.evaluate(d.test_target()).metrics();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

template <class B, class Model>
method_run with_loss(Model& model, const experiment_config& c, const prepared_data& d, const std::string& method,
                     std::uint64_t seed) {
  if (c.loss == "bpr") return train_and_test<B, Model, losses::BPR>(model, c, d, method, seed);
  if (c.loss == "softmax") return train_and_test<B, Model, losses::SampledSoftmax>(model, c, d, method, seed);
  return train_and_test<B, Model, losses::BCE>(model, c, d, method, seed);
}

}  // namespace detail

/// Trains a fresh model (initialised from `seed`) with `method` and evaluates it.
template <class B = backends::Eigen<float>>
method_run run_method(const experiment_config& c, const prepared_data& d, const std::string& method,
                      std::uint64_t seed) {
  c.validate();
  const std::uint64_t model_seed = random::derive_seed(seed, "model");
  if (c.model == "mf") {
    models::mf_options o;
    o.factor = c.factor;
    models::MF<B> m(d.n_users(), d.n_items(), o, model_seed);
    return detail::with_loss<B>(m, c, d, method, seed);
  }
  if (c.model == "neumf") {
    models::neumf_options o;
    o.factor = c.factor;
    o.layers = c.layers;
    o.dropout = c.dropout;
    models::NeuMF<B> m(d.n_users(), d.n_items(), o, model_seed);
    return detail::with_loss<B>(m, c, d, method, seed);
  }
  if (c.model == "cdae") {
    models::cdae_options o;
    o.hidden = c.hidden;
    o.corruption = c.corruption;
    models::CDAE<B> m(d.n_users(), d.n_items(), d.train_by_user.view(), o, model_seed);
    return detail::with_loss<B>(m, c, d, method, seed);
  }
  models::gmf_options o;
  o.factor = c.factor;
  models::GMF<B> m(d.n_users(), d.n_items(), o, model_seed);
  return detail::with_loss<B>(m, c, d, method, seed);
}

}  // namespace runtime
}  // namespace denoise
