// What a Denoiser sees for one mini-batch. Backend vectors hold one entry per loss sample (see the
// Loss policy: a logit for BCE, a (positive, negative) pair for BPR, a group for softmax); host
// spans hold the per-sample instance ids. The ground-truth noise flag is never part of it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../core/span.hpp"
#include "../core/types.hpp"
#include "../losses/layout.hpp"

namespace denoise {
namespace train {

template <class B, class Model>
struct batch_context {
  const typename B::vector& loss;        ///< per-sample loss ℓ_s
  const typename B::vector& prediction;  ///< per-sample ŷ_s (BCE: sigmoid(z); BPR: sigmoid(z+ - z-))
  const typename B::vector& positive;    ///< 1 for samples anchored at an observed interaction, else 0
  const typename B::vector& logits;      ///< the model's logits for the batch (layout below)
  span<const offset_t> instance;         ///< host: stable instance id of each sample's anchor interaction
  span<const index_t> item;              ///< host: item of each sample's anchor (its positive item)
  losses::layout layout;                 ///< how logits are grouped (positive + its negatives)
  std::size_t epoch;                     ///< 0-based
  std::uint64_t iteration;               ///< 0-based, counted over the whole run
  Model& model;

  std::size_t samples() const noexcept { return loss.size(); }
};

/// What a Denoiser's on_epoch_end sees.
template <class Model>
struct epoch_context {
  std::size_t epoch;         ///< 0-based epoch that just ended
  std::uint64_t iterations;  ///< iterations run so far
  double train_loss;         ///< weighted mean training loss of the epoch
  Model& model;
};

}  // namespace train
}  // namespace denoise
