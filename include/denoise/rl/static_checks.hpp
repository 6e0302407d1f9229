// Readable compile-time checks of the RL policies (ensmallen's static_checks style): each check is
// one static_assert whose message names the missing member and the page that documents it.
//
//   rl::check_reward<R, Timing>()        R declares `using timing = Timing;` and the members of
//   rl::check_reward<R, Timing, B>()     that timing (per_batch: State<B>; per_epoch: reward()).
//   rl::check_baseline<Bl>()             value() and update(reward).
//   rl::check_selection<S, B>()          State<B> with select(probs, ids, actions).
//
// Consumers call them as `static_assert(rl::check_reward<R, rl::per_epoch>(), "");`.
// DENOISE_DISABLE_STATIC_CHECKS turns them off.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../core/static_checks.hpp"
#include "../metrics/metric_value.hpp"
#include "timing.hpp"

namespace denoise {
namespace rl {
namespace detail {
namespace probe {

template <class P> using name_t = decltype(static_cast<const char*>(P::name()));

// Reward
template <class R> using timing_t = typename R::timing;
template <class R, class B> using reward_state_t = typename R::template State<B>;
template <class R, class B> using reward_construct_t =
    decltype(typename R::template State<B>(std::declval<const R&>(), std::size_t{}));
template <class R, class B> using batch_reward_t = decltype(std::declval<typename R::template State<B>&>().reward(
    std::declval<const typename B::index_vector&>(), std::declval<const typename B::vector&>(),
    std::declval<typename B::vector&>()));
template <class R, class B> using record_t = decltype(std::declval<typename R::template State<B>&>().record(
    std::declval<const typename B::index_vector&>(), std::declval<const typename B::vector&>()));
template <class R, class B> using end_epoch_t = decltype(std::declval<typename R::template State<B>&>().end_epoch());
template <class R> using epoch_reward_t =
    decltype(static_cast<double>(std::declval<R&>().reward(std::declval<const metrics::metric_list&>())));

// Baseline
template <class Bl> using value_t = decltype(static_cast<double>(std::declval<const Bl&>().value()));
template <class Bl> using update_t = decltype(std::declval<Bl&>().update(double{}));

// Selection
template <class S, class B> using selection_state_t = typename S::template State<B>;
template <class S, class B> using selection_construct_t =
    decltype(typename S::template State<B>(std::declval<const S&>(), std::uint64_t{}));
template <class S, class B> using select_t = decltype(std::declval<typename S::template State<B>&>().select(
    std::declval<const typename B::matrix&>(), std::declval<const typename B::index_vector&>(),
    std::declval<typename B::index_vector&>()));

}  // namespace probe
}  // namespace detail

/// True when R is a Reward with timing `Timing` (rl::per_batch or rl::per_epoch). For a
/// per-batch reward, pass the backend B as well to check its State<B>; with B = void only the
/// timing and name are checked.
template <class R, class Timing, class B = void>
constexpr bool check_reward() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  static_assert(is_timing_v<Timing>, "denoise: check_reward<R, Timing>: Timing must be rl::per_batch or rl::per_epoch");
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, R>),
                       "denoise: a Reward policy needs 'static constexpr const char* name()'; see docs/policies/reward.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::timing_t, R>),
                       "denoise: a Reward policy needs a timing trait, 'using timing = rl::per_batch;' or "
                       "'using timing = rl::per_epoch;'; see docs/policies/reward.md");
  if constexpr (is_detected_v<p::timing_t, R>) {
    using T = typename R::timing;
    DENOISE_STATIC_CHECK((is_timing_v<T>),
                         "denoise: a Reward's 'timing' must be rl::per_batch or rl::per_epoch; see docs/policies/reward.md");
    if constexpr (std::is_same<Timing, per_batch>::value) {
      DENOISE_STATIC_CHECK((std::is_same<T, per_batch>::value),
                           "denoise: this consumer needs a per-batch Reward ('using timing = rl::per_batch;', one "
                           "reward per instance per mini-batch); see docs/policies/reward.md");
    } else {
      DENOISE_STATIC_CHECK((std::is_same<T, per_epoch>::value),
                           "denoise: this consumer needs a per-epoch Reward ('using timing = rl::per_epoch;', one "
                           "scalar per epoch from the validation result); see docs/policies/reward.md");
    }
    if constexpr (std::is_same<Timing, per_epoch>::value && std::is_same<T, per_epoch>::value) {
      DENOISE_STATIC_CHECK((is_detected_v<p::epoch_reward_t, R>),
                           "denoise: a per-epoch Reward needs 'double reward(const metrics::metric_list& validation) "
                           "const'; see docs/policies/reward.md");
    }
    if constexpr (std::is_same<Timing, per_batch>::value && std::is_same<T, per_batch>::value &&
                  !std::is_void<B>::value) {
      DENOISE_STATIC_CHECK((is_detected_v<p::reward_state_t, R, B>),
                           "denoise: a per-batch Reward needs a nested 'template <class Backend> class State'; "
                           "see docs/policies/reward.md");
      if constexpr (is_detected_v<p::reward_state_t, R, B>) {
        DENOISE_STATIC_CHECK((is_detected_v<p::reward_construct_t, R, B>),
                             "denoise: a per-batch Reward's State<B> needs a constructor State(const Reward&, "
                             "std::size_t instances); see docs/policies/reward.md");
        DENOISE_STATIC_CHECK((is_detected_v<p::batch_reward_t, R, B>),
                             "denoise: a per-batch Reward's State<B> needs 'void reward(const index_vector& ids, "
                             "const vector& loss, vector& out)'; see docs/policies/reward.md");
        DENOISE_STATIC_CHECK((is_detected_v<p::record_t, R, B>),
                             "denoise: a per-batch Reward's State<B> needs 'void record(const index_vector& ids, "
                             "const vector& loss)'; see docs/policies/reward.md");
        DENOISE_STATIC_CHECK((is_detected_v<p::end_epoch_t, R, B>),
                             "denoise: a per-batch Reward's State<B> needs 'void end_epoch()'; "
                             "see docs/policies/reward.md");
      }
    }
  }
  return true;
}

/// True when Bl is a Baseline: a scalar b subtracted from the reward (advantage R - b).
template <class Bl>
constexpr bool check_baseline() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, Bl>),
                       "denoise: a Baseline policy needs 'static constexpr const char* name()'; see docs/policies/baseline.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::value_t, Bl>),
                       "denoise: a Baseline policy needs 'double value() const' (the current b); "
                       "see docs/policies/baseline.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::update_t, Bl>),
                       "denoise: a Baseline policy needs 'void update(double reward)' (called after each reward is "
                       "used); see docs/policies/baseline.md");
  return true;
}

/// True when S is a Selection policy for backend B.
template <class S, class B>
constexpr bool check_selection() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, S>),
                       "denoise: a Selection policy needs 'static constexpr const char* name()'; "
                       "see docs/policies/selection.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::selection_state_t, S, B>),
                       "denoise: a Selection policy needs a nested 'template <class Backend> class State'; "
                       "see docs/policies/selection.md");
  if constexpr (is_detected_v<p::selection_state_t, S, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::selection_construct_t, S, B>),
                         "denoise: a Selection's State<B> needs a constructor State(const Selection&, std::uint64_t "
                         "seed); see docs/policies/selection.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::select_t, S, B>),
                         "denoise: a Selection's State<B> needs 'void select(const matrix& probs, const index_vector& "
                         "ids, index_vector& actions)'; see docs/policies/selection.md");
  }
  return true;
}

}  // namespace rl
}  // namespace denoise
