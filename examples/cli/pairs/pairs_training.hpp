// The training settings every pairs runner shares (weighting and SGDL): the trainer options and
// the model's Adam, from the experiment's flags; and the family's selection rule around fit().
#pragma once

#include <cstdint>

#include <denoise/core/random.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/options.hpp>
#include <denoise/train/train.hpp>

#include "../harness/experiment_config.hpp"
#include "../harness/training_settings.hpp"
#include "../harness/method_run.hpp"
#include "prepared_data.hpp"
#include "pairs_runner_base.hpp"

namespace denoise_cli {

inline denoise::train::trainer_options pairs_trainer_options(const experiment_config& c, const pairs_settings& s,
                                                             std::uint64_t seed) {
  denoise::train::trainer_options o = trainer_options_from(c, seed);
  o.unit = c.batch_unit;
  o.negatives = s.negatives;
  o.ks = c.ks;
  return o;
}

/// Trains with the family's selection rule and returns the run with the selected parameters in the
/// model: per epoch on --monitor (early stopping with --patience), or, with --select-every N, on
/// the method's loss over the noisy validation positives with one fresh uniform negative per
/// positive (not among the user's training items) every N steps (ADT's reference rule;
/// Trainer::loss_on). That rule ranks nothing during training, as the reference does not (for
/// NeuMF a full-ranking validation costs more than the epoch): the chosen step's validation
/// metrics are taken once, at the end.
template <class Backend, class Trainer, class Target>
void fit_with_selection(Trainer& trainer, const experiment_config& c, const prepared_data& d, const Target& validation,
                        std::uint64_t seed, method_run& out) {
  namespace train = denoise::train;
  const denoise::data::UniformNegativeSampler sampler(d.split.train, sampler_budget_from(c));
  train::progress line(c.monitor);
  if (c.select_every == 0) {
    train::early_stopping<Backend> select(c.monitor, c.patience, /*higher_is_better=*/true);
    out.fit = trainer.fit(d.split.train, sampler, &validation, select, line);
    return;
  }
  const train::batchers::NegativeSampling<denoise::data::UniformNegativeSampler> validation_batches(d.split.validation,
                                                                                                    sampler);
  auto score = [&](const train::iteration_record& r) {
    return trainer.loss_on(validation_batches, denoise::random::derive_seed(denoise::random::derive_seed(seed, "selection"), r.iteration),
                           r.iteration, r.epoch);
  };
  train::periodic_selection<Backend, decltype(score)> select(c.select_every, score);
  out.fit = trainer.fit(d.split.train, sampler, nullptr, select, line);
  out.selection = select.history();
  out.selected = select.best();
  // The chosen step need not end an epoch: its own validation metrics, for choices made on them.
  out.selected_validation = trainer.evaluate(validation).metrics();
}

}  // namespace denoise_cli
