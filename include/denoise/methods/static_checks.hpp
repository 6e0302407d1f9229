// check_method<M, Model, Loss, Optimizer>(): readable static_asserts for a training Method policy
// at its two in-training levels (see docs/policies/method.md):
//   weighting     State<B>::on_batch(const batch_context&, vector& weights) -> scalar divisor
//   step-owning   State<B>::step(step_context&)   (the method performs the update itself)
// A Method has exactly one of them, plus name(), State<B>(const M&, std::uint64_t seed) and
// on_epoch_end(const epoch_context&). The dataset-level Selector is checked by check_selector
// (train/selector_checks.hpp). DENOISE_DISABLE_STATIC_CHECKS turns the checks off.
#pragma once

#include <cstdint>
#include <utility>

#include "../core/static_checks.hpp"
#include "../train/batch_context.hpp"
#include "../train/epoch_context.hpp"
#include "../train/step_context.hpp"

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
template <class D, class B, class Context>
using step_t = decltype(std::declval<typename D::template State<B>&>().step(std::declval<Context&>()));
template <class D, class B, class Model>
using on_epoch_end_t = decltype(std::declval<typename D::template State<B>&>().on_epoch_end(
    std::declval<const train::epoch_context<Model>&>()));
template <class D>
using name_t = decltype(static_cast<const char*>(D::name()));

}  // namespace probe
}  // namespace detail

/// True when M's State<B> turns per-sample losses into weights (the weighting level).
template <class M, class B, class Model>
inline constexpr bool is_weighting_v = traits::is_detected_v<detail::probe::on_batch_t, M, B, Model>;

/// True when M's State<B> performs the training step itself (the step-owning level).
template <class M, class Model, class Loss, class Optimizer>
inline constexpr bool is_step_owning_v =
    traits::is_detected_v<detail::probe::step_t, M, typename Model::backend,
                          train::step_context<Model, Loss, Optimizer>>;

template <class M, class Model, class Loss, class Optimizer>
constexpr bool check_method() {
  using traits::is_detected_v;
  using B = typename Model::backend;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, M>),
                       "denoise: a Method policy needs 'static const char* name()'; see docs/policies/method.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::state_t, M, B>),
                       "denoise: a Method policy needs a nested 'template <class Backend> class State'; "
                       "see docs/policies/method.md");
  if constexpr (is_detected_v<p::state_t, M, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::construct_t, M, B>),
                         "denoise: a Method's State<B> needs a constructor State(const Method&, std::uint64_t seed); "
                         "see docs/policies/method.md");
    constexpr bool weighting = is_weighting_v<M, B, Model>;
    constexpr bool step_owning = is_step_owning_v<M, Model, Loss, Optimizer>;
    DENOISE_STATIC_CHECK((weighting || step_owning),
                         "denoise: a Method's State<B> needs either 'scalar on_batch(const batch_context&, vector& "
                         "weights)' (weighting level) or 'void step(step_context&)' (step-owning level); "
                         "see docs/policies/method.md");
    DENOISE_STATIC_CHECK((!(weighting && step_owning)),
                         "denoise: a Method's State<B> has both on_batch() and step(); keep one (the trainer would "
                         "not know which level it is); see docs/policies/method.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::on_epoch_end_t, M, B, Model>),
                         "denoise: a Method's State<B> needs 'void on_epoch_end(const epoch_context&)'; "
                         "see docs/policies/method.md");
  }
  return true;
}

}  // namespace methods
}  // namespace denoise
