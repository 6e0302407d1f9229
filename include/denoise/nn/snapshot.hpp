// snapshot<B>: a copy of a model's parameter values and buffers (BatchNorm running statistics,
// nn/buffers.hpp) that restore() writes back bit-identically.
#pragma once

#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "buffers.hpp"
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

  /// Copies every parameter value and buffer (storage is reused when called again).
  template <class Model>
  void take(Model& model) {
    values_.copy_values(model);
    std::size_t i = 0;
    if constexpr (has_buffers_v<Model, B>) {
      model.visit_buffers([&](buffer_ref<B> b) {
        if (i == buffers_.size()) buffers_.emplace_back();
        B::copy(b.value, buffers_[i++]);
      });
    }
    buffers_.resize(i);
  }
  /// Writes the saved state back; throws config_error if the model's shapes changed.
  template <class Model>
  void restore(Model& model) const {
    values_.require_matches(model, "snapshot::restore");
    std::size_t buffers = 0;
    if constexpr (has_buffers_v<Model, B>) {
      model.visit_buffers([&](buffer_ref<B> b) {
        if (buffers >= buffers_.size()) throw config_error("snapshot::restore: the model has more buffers");
        B::require_same_shape(buffers_[buffers], b.value, "snapshot::restore");
        ++buffers;
      });
    }
    if (buffers != buffers_.size()) throw config_error("snapshot::restore: the model has fewer buffers");
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) { B::copy(values_[i++], p.value); });
    if constexpr (has_buffers_v<Model, B>) {
      i = 0;
      model.visit_buffers([&](buffer_ref<B> b) { B::copy(buffers_[i++], b.value); });
    }
  }
  const param_set<B>& values() const noexcept { return values_; }
  const std::vector<typename B::matrix>& buffers() const noexcept { return buffers_; }

 private:
  param_set<B> values_;
  std::vector<typename B::matrix> buffers_;
};

}  // namespace nn
}  // namespace denoise
