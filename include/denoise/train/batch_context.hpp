// What a weighting method (a Denoiser: T-CE, R-CE, inverse frequency, Ge's controller) sees for
// one mini-batch. Backend vectors hold one entry per loss sample (see the Loss policy: a logit for
// BCE, a (positive, negative) pair for BPR, a group for softmax); `anchor` maps each sample to the
// batch row of the interaction it is about. The ground-truth noise flag is never part of it.
// The last members have defaults, so a context built by hand (tests, the CLI) may leave them out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../core/span.hpp"
#include "../core/types.hpp"
#include "../losses/layout.hpp"

namespace denoise {
namespace train {

/// True when Method declares `static constexpr bool reads_representation = true;`: the trainer then
/// fills batch_context::representation from the model.
template <class Method, class = void>
struct reads_representation : std::false_type {};
template <class Method>
struct reads_representation<Method, std::enable_if_t<Method::reads_representation>> : std::true_type {};
template <class Method>
inline constexpr bool reads_representation_v = reads_representation<Method>::value;

/// True when Model offers `sample_representation(const batch_type&, const workspace&, matrix&)`.
template <class Model, class = void>
struct has_sample_representation : std::false_type {};
template <class Model>
struct has_sample_representation<
    Model, std::void_t<decltype(std::declval<Model&>().sample_representation(
               std::declval<const typename Model::batch_type&>(), std::declval<const typename Model::workspace&>(),
               std::declval<typename Model::matrix&>()))>> : std::true_type {};

template <class B, class Model, class Input = typename Model::batch_type>
struct batch_context {
  const typename B::vector& loss;        ///< per-sample loss ℓ_s
  const typename B::vector& prediction;  ///< per-sample ŷ_s (BCE: sigmoid(z); BPR: sigmoid(z+ - z-))
  const typename B::vector& positive;    ///< 1 for samples anchored at an observed interaction, else 0
  const typename B::vector& logits;      ///< the model's logits for the batch (layout below)
  span<const offset_t> instance;         ///< host: stable instance id of each sample's anchor row
  span<const index_t> item;              ///< host: item of each sample's anchor row (pair models; else empty)
  losses::layout layout;                 ///< how logits are grouped (positive + its negatives)
  std::size_t epoch;                     ///< 0-based
  std::uint64_t iteration;               ///< 0-based, counted over the whole run
  Model& model;
  const Input& input;                    ///< the model's input for this batch (e.g. data::pair_batch)
  const typename B::vector& labels;      ///< one label per row (logit)
  const typename B::index_vector& anchor;  ///< device: the batch row each sample is about
  std::size_t epochs = 0;                  ///< planned epochs of the run (0: unknown)
  /// Device: the model's representation of each batch row (model.sample_representation of the
  /// forward just run: e.g. [e_u || e_i] for MF, [sequence state || target embedding] for GRU4Rec),
  /// filled only for a Method that declares `static constexpr bool reads_representation = true;`
  /// (rows x model.feature_dim()); otherwise null. Detached: the method must not write it.
  const typename B::matrix* representation = nullptr;

  std::size_t samples() const noexcept { return loss.size(); }
};

}  // namespace train
}  // namespace denoise
