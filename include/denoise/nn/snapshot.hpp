// snapshot<B>: a copy of a model's parameter values that restore() writes back bit-identically.
#pragma once

#include "../backends/static_checks.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {

template <class B>
class snapshot {
 public:
  snapshot() = default;
  template <class Model>
  explicit snapshot(Model& model) {
    take(model);
  }

  /// Copies every parameter value (buffers are reused when called again).
  template <class Model>
  void take(Model& model) {
    values_.copy_values(model);
  }
  /// Writes the saved values back; throws config_error if the model's shapes changed.
  template <class Model>
  void restore(Model& model) const {
    values_.require_matches(model, "snapshot::restore");
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) { B::copy(values_[i++], p.value); });
  }
  const param_set<B>& values() const noexcept { return values_; }

 private:
  param_set<B> values_;
};

}  // namespace nn
}  // namespace denoise
