// The training settings every pairs runner shares (weighting and SGDL): the trainer options and
// the model's Adam, from the experiment's flags.
#pragma once

#include <cstdint>

#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/options.hpp>

#include "../harness/experiment_config.hpp"
#include "pairs_runner_base.hpp"

namespace denoise_cli {

inline denoise::train::trainer_options pairs_trainer_options(const experiment_config& c, const pairs_settings& s,
                                                             std::uint64_t seed) {
  denoise::train::trainer_options o;
  o.epochs = c.epochs;
  o.batch_size = c.batch_size;
  o.unit = c.batch_unit;
  o.negatives = s.negatives;
  o.seed = seed;
  o.ks = c.ks;
  return o;
}

inline denoise::nn::adam_options pairs_adam(const experiment_config& c) {
  denoise::nn::adam_options adam;
  adam.lr = c.lr;
  adam.weight_decay = c.weight_decay;
  adam.lazy = !c.dense_adam;
  return adam;
}

}  // namespace denoise_cli
