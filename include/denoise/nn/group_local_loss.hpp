// group_local_loss<Loss>: true when every per-sample loss of a batch depends only on the logits
// of its own group, the samples being laid out group by group, sample_count / groups per group
// (losses/layout.hpp). nn::per_sample's factored gradient cosines need it to split the loss's
// gradient into per-sample logit coefficients with a few batched Loss::backward calls; without it
// they take the brute-force path (correct for any loss, but O(parameters) per sample).
//
// True for the built-ins (BCE, BPR, SampledSoftmax, SoftmaxCrossEntropy). A user-written Loss
// opts in with a member `static constexpr bool group_local = true;` (or by specialising this
// trait); a loss that mixes groups (in-batch negatives, a batch-level normaliser) must not.
#pragma once

#include <type_traits>

#include "../core/static_checks.hpp"

namespace denoise {
namespace losses {
struct BCE;
struct BPR;
struct SampledSoftmax;
struct SoftmaxCrossEntropy;
}  // namespace losses

namespace nn {
namespace detail {
template <class Loss>
using group_local_member_t = std::enable_if_t<Loss::group_local>;
}  // namespace detail

template <class Loss>
struct group_local_loss : std::bool_constant<traits::is_detected_v<detail::group_local_member_t, Loss>> {};
template <>
struct group_local_loss<losses::BCE> : std::true_type {};
template <>
struct group_local_loss<losses::BPR> : std::true_type {};
template <>
struct group_local_loss<losses::SampledSoftmax> : std::true_type {};
template <>
struct group_local_loss<losses::SoftmaxCrossEntropy> : std::true_type {};

template <class Loss>
inline constexpr bool group_local_loss_v = group_local_loss<Loss>::value;

}  // namespace nn
}  // namespace denoise
