// check_controller_policies<Head, Reward, Baseline, B>(): readable static_asserts for the policies
// of AutoDenoiseController (docs/autodenoise_controller.md). DENOISE_DISABLE_STATIC_CHECKS turns
// them off.
#pragma once

#include <cstdint>
#include <utility>

#include "../../core/static_checks.hpp"
#include "../../core/types.hpp"
#include "../../metrics/metric_value.hpp"

namespace denoise {
namespace methods {
namespace detail {
namespace controller_probe {

template <class H> using outputs_t = decltype(static_cast<index_t>(std::declval<const H&>().outputs()));
template <class H, class B> using state_t =
    decltype(typename H::template State<B>(std::declval<const H&>(), std::uint64_t{}));
template <class H, class B> using sample_t = decltype(std::declval<typename H::template State<B>&>().sample(
    std::declval<const typename B::matrix&>(), std::declval<const typename B::index_vector&>(),
    std::declval<typename B::vector&>()));
template <class H, class B> using score_t = decltype(std::declval<const typename H::template State<B>&>().score(
    std::declval<const typename B::matrix&>(), std::declval<const typename B::vector&>(),
    std::declval<typename B::matrix&>()));
template <class R> using reward_t =
    decltype(static_cast<double>(std::declval<const R&>().reward(std::declval<const metrics::metric_list&>())));
template <class L> using value_t = decltype(static_cast<double>(std::declval<const L&>().value()));
template <class L> using update_t = decltype(std::declval<L&>().update(double{}));

}  // namespace controller_probe
}  // namespace detail

template <class Head, class Reward, class Baseline, class B>
constexpr bool check_controller_policies() {
  using traits::is_detected_v;
  namespace p = detail::controller_probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::outputs_t, Head>),
                       "denoise: a controller Head needs 'index_t outputs() const' (the network's output width); see "
                       "docs/autodenoise_controller.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::state_t, Head, B>),
                       "denoise: a controller Head needs 'template <class B> class State' constructible from (const "
                       "Head&, std::uint64_t seed); see docs/autodenoise_controller.md");
  if constexpr (is_detected_v<p::state_t, Head, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::sample_t, Head, B>),
                         "denoise: a controller Head's State needs 'void sample(const matrix& out, const index_vector& "
                         "ids, vector& weights)'; see docs/autodenoise_controller.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::score_t, Head, B>),
                         "denoise: a controller Head's State needs 'void score(const matrix& out, const vector& scale, "
                         "matrix& dout) const' (scale · d log P / d out); see docs/autodenoise_controller.md");
  }
  DENOISE_STATIC_CHECK((is_detected_v<p::reward_t, Reward>),
                       "denoise: the controller's Reward needs 'double reward(const metrics::metric_list& validation) "
                       "const' (e.g. rl::ValidationMetric); see docs/autodenoise_controller.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::value_t, Baseline> && is_detected_v<p::update_t, Baseline>),
                       "denoise: the controller's Baseline needs 'double value() const' and 'void update(double "
                       "reward)' (e.g. rl::MovingAverage); see docs/autodenoise_controller.md");
  return true;
}

}  // namespace methods
}  // namespace denoise
