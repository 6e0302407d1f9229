// check_evaluator<Evaluator, B, Model>(): readable static_asserts for an Evaluator policy (see
// docs/policies/evaluator.md). DENOISE_DISABLE_STATIC_CHECKS turns them off.
#pragma once

#include <utility>

#include "../../core/static_checks.hpp"
#include "../../metrics/metric_value.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {
namespace evaluators {
namespace detail {
namespace probe {

template <class E> using target_t = typename E::target_type;
template <class E> using result_t = typename E::result_type;
template <class E> using metrics_t =
    decltype(static_cast<metrics::metric_list>(std::declval<const typename E::result_type&>().metrics()));
template <class E, class B> using state_t = typename E::template State<B>;
template <class E, class B> using construct_t =
    decltype(typename E::template State<B>(std::declval<const E&>(), std::declval<const trainer_options&>()));
template <class E, class B, class Model> using evaluate_t = decltype(static_cast<typename E::result_type>(
    std::declval<typename E::template State<B>&>().evaluate(std::declval<Model&>(),
                                                             std::declval<const typename E::target_type&>())));

}  // namespace probe
}  // namespace detail

template <class E, class B, class Model>
constexpr bool check_evaluator() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::target_t, E>),
                       "denoise: an Evaluator policy needs 'using target_type = ...;' (what fit() validates on); see "
                       "docs/policies/evaluator.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::result_t, E>),
                       "denoise: an Evaluator policy needs 'using result_type = ...;'; see docs/policies/evaluator.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::metrics_t, E>),
                       "denoise: an Evaluator's result_type needs 'metrics::metric_list metrics() const'; see "
                       "docs/policies/evaluator.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::state_t, E, B>),
                       "denoise: an Evaluator policy needs a nested 'template <class Backend> class State'; see "
                       "docs/policies/evaluator.md");
  if constexpr (is_detected_v<p::state_t, E, B> && is_detected_v<p::target_t, E> && is_detected_v<p::result_t, E>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::construct_t, E, B>),
                         "denoise: an Evaluator's State<B> needs 'State(const Evaluator&, const train::trainer_options&)'; "
                         "see docs/policies/evaluator.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::evaluate_t, E, B, Model>),
                         "denoise: an Evaluator's State<B> needs 'result_type evaluate(Model&, const target_type&)'; see "
                         "docs/policies/evaluator.md");
  }
  return true;
}

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
