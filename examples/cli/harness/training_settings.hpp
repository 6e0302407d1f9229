// The common training flags as the library's settings, for every family's runners: the model's
// Adam (--lr, --weight-decay, --dense-adam) and the trainer's loop (--epochs, --batch-size, the
// run's seed). A family adds its own on top (pairs: the batch unit, negatives, cut-offs).
#pragma once

#include <cstdint>

#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/options.hpp>

#include "experiment_config.hpp"

namespace denoise_cli {

inline denoise::nn::adam_options adam_from(const experiment_config& c) {
  denoise::nn::adam_options adam;
  adam.lr = c.lr;
  adam.weight_decay = c.weight_decay;
  adam.lazy = !c.dense_adam;
  return adam;
}

inline denoise::train::trainer_options trainer_options_from(const experiment_config& c, std::uint64_t seed) {
  denoise::train::trainer_options o;
  o.epochs = c.epochs;
  o.batch_size = c.batch_size;
  o.seed = seed;
  return o;
}

}  // namespace denoise_cli
