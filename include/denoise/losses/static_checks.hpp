// check_loss<Loss, B>(): readable static_asserts for a user-written Loss policy.
// See docs/policies/loss.md for the members and a complete example.
#pragma once

#include <cstddef>
#include <utility>

#include "../core/static_checks.hpp"
#include "layout.hpp"

namespace denoise {
namespace losses {
namespace detail {
namespace probe {

template <class L>
using sample_count_t = decltype(std::size_t{L::sample_count(std::declval<const layout&>())});
template <class L, class B>
using forward_t = decltype(L::template forward<B>(
    std::declval<const typename B::vector&>(), std::declval<const typename B::vector&>(),
    std::declval<const layout&>(), std::declval<typename B::vector&>(), std::declval<typename B::vector&>(),
    std::declval<typename B::vector&>()));
template <class L, class B>
using backward_t = decltype(L::template backward<B>(
    std::declval<const typename B::vector&>(), std::declval<const typename B::vector&>(),
    std::declval<const layout&>(), std::declval<const typename B::vector&>(), std::declval<typename B::scalar>(),
    std::declval<typename B::vector&>()));
template <class L, class B>
using tangent_t = decltype(L::template tangent<B>(
    std::declval<const typename B::vector&>(), std::declval<const typename B::vector&>(),
    std::declval<const layout&>(), std::declval<const typename B::vector&>(), std::declval<typename B::vector&>()));
template <class L>
using anchor_t = decltype(std::size_t{L::anchor(std::size_t{}, std::declval<const layout&>())});
template <class L>
using name_t = decltype(static_cast<const char*>(L::name()));

}  // namespace probe
}  // namespace detail

/// True when Loss has the optional forward-mode member
///   template <class B> static void tangent(logits, labels, layout, logit_tangent, loss_tangent);
/// (exact per-sample gradient-direction products; without it nn::per_sample uses finite differences).
template <class Loss, class B>
inline constexpr bool has_tangent_v = traits::is_detected_v<detail::probe::tangent_t, Loss, B>;

template <class Loss, class B>
constexpr bool check_loss() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, Loss>),
                       "denoise: a Loss policy needs 'static const char* name()'; see docs/policies/loss.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::sample_count_t, Loss>),
                       "denoise: a Loss policy needs 'static std::size_t sample_count(const losses::layout&)'; "
                       "see docs/policies/loss.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::anchor_t, Loss>),
                       "denoise: a Loss policy needs 'static std::size_t anchor(std::size_t sample, const losses::layout&)'; "
                       "see docs/policies/loss.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::forward_t, Loss, B>),
                       "denoise: a Loss policy needs 'template <class B> static void forward(logits, labels, layout, "
                       "loss, prediction, positive)'; see docs/policies/loss.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::backward_t, Loss, B>),
                       "denoise: a Loss policy needs 'template <class B> static void backward(logits, labels, layout, "
                       "weights, scale, dlogits)'; see docs/policies/loss.md");
  return true;
}

}  // namespace losses
}  // namespace denoise
