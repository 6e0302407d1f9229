// check_optimizer<O, Model>(): one readable static_assert per member of the Optimizer policy, each
// naming the member and docs/policies/optimizer.md (ensmallen's static_checks style), so a
// user-written optimizer that lacks a member fails with that line instead of a template backtrace.
// The Trainer calls only step(model); reset(), set_lr() and steps() are what AutoDenoise's
// re-initialisation and learning-rate schedules need.
// DENOISE_DISABLE_STATIC_CHECKS turns the checks off.
#pragma once

#include <utility>

#include "../../core/static_checks.hpp"

namespace denoise {
namespace nn {
namespace detail {
namespace optimizer_probe {

template <class O, class Model> using step_t = decltype(std::declval<O&>().step(std::declval<Model&>()));
template <class O> using reset_t = decltype(std::declval<O&>().reset());
template <class O> using set_lr_t = decltype(std::declval<O&>().set_lr(double{}));
template <class O> using steps_t = decltype(std::declval<const O&>().steps());

}  // namespace optimizer_probe
}  // namespace detail

/// True when O meets every requirement of the Optimizer policy for models of type Model;
/// otherwise a static_assert names the first missing member. Use as
/// `static_assert(nn::check_optimizer<O, Model>(), "");`.
template <class O, class Model>
constexpr bool check_optimizer() {
  using traits::is_detected_v;
  namespace p = detail::optimizer_probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::step_t, O, Model>),
                       "denoise: an Optimizer policy needs 'template <class Model> void step(Model&)' (one update of "
                       "every parameter from its gradient); see docs/policies/optimizer.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::reset_t, O>),
                       "denoise: an Optimizer policy needs 'void reset()' (forget moments and step count); see "
                       "docs/policies/optimizer.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::set_lr_t, O>),
                       "denoise: an Optimizer policy needs 'void set_lr(double)'; see docs/policies/optimizer.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::steps_t, O>),
                       "denoise: an Optimizer policy needs 'std::uint64_t steps() const' (updates since reset()); "
                       "see docs/policies/optimizer.md");
  return true;
}

}  // namespace nn
}  // namespace denoise
