// Callbacks are plain objects passed to Trainer::fit as a variadic pack (ensmallen's design). Each
// hook is optional and detected at compile time:
//   void on_train_begin(const trainer_options&);
//   bool on_epoch_end(const epoch_record&, Model&);     // true stops training
//   void on_iteration_end(const iteration_record&, Model&);  // after every step (keep it cheap)
//   void on_train_end(Model&, fit_result&);
// A callback with none of them is rejected, since it could only be a mistake.
#pragma once

#include <type_traits>
#include <utility>

#include "../../core/static_checks.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {
namespace detail {

template <class C>
using train_begin_t = decltype(std::declval<C&>().on_train_begin(std::declval<const trainer_options&>()));
template <class C, class Model>
using epoch_end_t = decltype(std::declval<C&>().on_epoch_end(std::declval<const epoch_record&>(), std::declval<Model&>()));
template <class C, class Model>
using iteration_end_t =
    decltype(std::declval<C&>().on_iteration_end(std::declval<const iteration_record&>(), std::declval<Model&>()));
template <class C, class Model>
using train_end_t = decltype(std::declval<C&>().on_train_end(std::declval<Model&>(), std::declval<fit_result&>()));

template <class C>
void call_train_begin(C& callback, const trainer_options& options) {
  if constexpr (traits::is_detected_v<train_begin_t, C>) callback.on_train_begin(options);
}

template <class C, class Model>
bool call_epoch_end(C& callback, const epoch_record& record, Model& model) {
  using D = std::decay_t<C>;
  DENOISE_STATIC_CHECK((traits::is_detected_v<train_begin_t, D> || traits::is_detected_v<epoch_end_t, D, Model> ||
                        traits::is_detected_v<iteration_end_t, D, Model> || traits::is_detected_v<train_end_t, D, Model>),
                       "denoise: a training callback needs at least one of on_train_begin(const trainer_options&), "
                       "bool on_epoch_end(const epoch_record&, Model&), void on_iteration_end(const iteration_record&, "
                       "Model&), on_train_end(Model&, fit_result&); see docs/policies/callback.md");
  if constexpr (traits::is_detected_v<epoch_end_t, D, Model>) {
    return static_cast<bool>(callback.on_epoch_end(record, model));
  } else {
    return false;
  }
}

template <class C, class Model>
void call_iteration_end(C& callback, const iteration_record& record, Model& model) {
  if constexpr (traits::is_detected_v<iteration_end_t, std::decay_t<C>, Model>) callback.on_iteration_end(record, model);
}

template <class C, class Model>
void call_train_end(C& callback, Model& model, fit_result& result) {
  if constexpr (traits::is_detected_v<train_end_t, std::decay_t<C>, Model>) callback.on_train_end(model, result);
}

}  // namespace detail
}  // namespace train
}  // namespace denoise
