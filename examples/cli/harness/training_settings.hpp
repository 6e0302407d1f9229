// The common training flags as the library's settings, for every family's runners: the model's
// Adam (--lr, --weight-decay, --dense-adam) and the trainer's loop (--epochs, --batch-size, the
// run's seed). A family adds its own on top (pairs: the batch unit, negatives, cut-offs).
#pragma once

#include <cstddef>
#include <cstdint>

#include <denoise/data/uniform_negative_sampler.hpp>
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

/// The uniform sampler's bitset budget: 0 (rank draws for every user) with --rank-sampling.
inline std::size_t sampler_budget_from(const experiment_config& c) {
  return c.rank_sampling ? 0 : denoise::data::UniformNegativeSampler::default_membership_budget_bytes;
}

inline denoise::train::trainer_options trainer_options_from(const experiment_config& c, std::uint64_t seed) {
  denoise::train::trainer_options o;
  o.epochs = c.epochs;
  o.batch_size = c.batch_size;
  o.seed = seed;
  return o;
}

}  // namespace denoise_cli
