// check_denoiser<D, B, Model>(): readable static_asserts for a user-written Denoiser policy.
// See docs/policies/denoiser.md.
#pragma once

#include <cstdint>
#include <utility>

#include "../core/static_checks.hpp"
#include "../train/batch_context.hpp"

namespace denoise {
namespace methods {
namespace detail {
namespace probe {

template <class D, class B>
using state_t = typename D::template State<B>;
template <class D, class B>
using construct_t = decltype(typename D::template State<B>(std::declval<const D&>(), std::uint64_t{}));
template <class D, class B, class Model>
using on_batch_t = decltype(static_cast<typename B::scalar>(std::declval<typename D::template State<B>&>().on_batch(
    std::declval<const train::batch_context<B, Model>&>(), std::declval<typename B::vector&>())));
template <class D, class B, class Model>
using on_epoch_end_t = decltype(std::declval<typename D::template State<B>&>().on_epoch_end(
    std::declval<const train::epoch_context<Model>&>()));
template <class D>
using name_t = decltype(static_cast<const char*>(D::name()));

}  // namespace probe
}  // namespace detail

template <class D, class B, class Model>
constexpr bool check_denoiser() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, D>),
                       "denoise: a Denoiser policy needs 'static const char* name()'; see docs/policies/denoiser.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::state_t, D, B>),
                       "denoise: a Denoiser policy needs a nested 'template <class Backend> class State'; "
                       "see docs/policies/denoiser.md");
  if constexpr (is_detected_v<p::state_t, D, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::construct_t, D, B>),
                         "denoise: a Denoiser's State<B> needs a constructor State(const Denoiser&, std::uint64_t seed); "
                         "see docs/policies/denoiser.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::on_batch_t, D, B, Model>),
                         "denoise: a Denoiser's State<B> needs 'scalar on_batch(const batch_context&, vector& weights)'; "
                         "see docs/policies/denoiser.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::on_epoch_end_t, D, B, Model>),
                         "denoise: a Denoiser's State<B> needs 'void on_epoch_end(const epoch_context&)'; "
                         "see docs/policies/denoiser.md");
  }
  return true;
}

}  // namespace methods
}  // namespace denoise
