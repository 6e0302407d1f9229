// Buffers: a layer's or model's state that is not trained but that its function depends on
// (BatchNorm's running mean and variance). A class with buffers exposes
//
//   template <class F> void visit_buffers(F&& f);   // f(buffer_ref<B>) for each buffer
//
// beside visit_parameters. Snapshots and checkpoints save and restore buffers with the
// parameters (a best-epoch snapshot of a BatchNorm model without its running statistics would
// evaluate a different function from the one that was validated). Optimizers never see them.
#pragma once

#include <type_traits>
#include <utility>

#include "../core/static_checks.hpp"

namespace denoise {
namespace nn {

template <class B>
struct buffer_ref {
  const char* name;
  typename B::matrix& value;
};

namespace detail {
template <class B>
struct buffer_probe {
  void operator()(buffer_ref<B>) const {}
};
template <class Model, class B>
using visit_buffers_t = decltype(std::declval<Model&>().visit_buffers(buffer_probe<B>{}));
}  // namespace detail

/// True when Model has `visit_buffers` (non-trainable state to save with its parameters).
template <class Model, class B>
inline constexpr bool has_buffers_v = traits::is_detected_v<detail::visit_buffers_t, Model, B>;

/// f(name, matrix&) for every parameter value, then every buffer: the whole state of a model.
template <class B, class Model, class F>
void visit_state(Model& model, F&& f) {
  model.visit_parameters([&](auto p) { f(p.name, p.value); });
  if constexpr (has_buffers_v<Model, B>) {
    model.visit_buffers([&](buffer_ref<B> b) { f(b.name, b.value); });
  }
}

}  // namespace nn
}  // namespace denoise
