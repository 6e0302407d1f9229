// Jacobian-vector products of per-sample outputs with a direction in parameter space:
// out[s] = d f_s(theta + t d) / dt at t = 0, for the current batch. SGDL needs them:
// G_mk = grad l_m(theta_hat)^T grad l_k(theta) is the JVP of the per-sample losses l_k along
// d = grad of the mean memorized loss at theta_hat.
//
//  - A model that can compute it exactly (forward mode) has
//        void jvp(const nn::param_set<B>& direction, typename B::vector& out);
//    giving the JVP of its per-sample outputs (logits) for the inputs of its last forward().
//  - Otherwise jvp() falls back to a central finite difference of a per-sample function
//        f(Model&, typename B::vector& out)      (recomputes the outputs for the same batch)
//    (f(theta + eps d) - f(theta - eps d)) / (2 eps), with theta restored bit-identically.
// A loss's JVP follows by the chain rule: dl_s = l'(z_s) * dz_s, elementwise.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/static_checks.hpp"
#include "parameter.hpp"
#include "virtual_step.hpp"

namespace denoise {
namespace nn {
namespace detail {
template <class Model, class B>
using jvp_member_t = decltype(std::declval<Model&>().jvp(std::declval<const param_set<B>&>(),
                                                         std::declval<typename B::vector&>()));
}  // namespace detail

/// True when Model has an exact jvp(direction, out).
template <class Model, class B>
inline constexpr bool has_exact_jvp_v = traits::is_detected_v<detail::jvp_member_t, Model, B>;

namespace kernels {
template <class T>
struct central_difference {
  const T* plus;
  const T* minus;
  T* out;
  T inv_two_eps;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = (plus[i] - minus[i]) * inv_two_eps; }
};
}  // namespace kernels

/// Central finite-difference JVP of f along direction (see the file comment).
template <class B, class Model, class F>
void jvp_finite_difference(Model& model, const param_set<B>& direction, F&& f, typename B::vector& out,
                           double eps = 1e-4) {
  if (!(eps > 0.0)) throw config_error("jvp_finite_difference: eps must be positive");
  typename B::vector plus, minus;
  {
    virtual_step<B, Model> up(model, -eps, direction);
    f(model, plus);
  }
  {
    virtual_step<B, Model> down(model, eps, direction);
    f(model, minus);
  }
  B::require_same_size(plus.size(), minus.size(), "jvp_finite_difference");
  if (out.size() != plus.size()) out.resize(plus.size());
  using S = typename B::scalar;
  B::launch(out.size(), kernels::central_difference<S>{B::ptr(plus), B::ptr(minus), B::ptr(out),
                                                       static_cast<S>(0.5 / eps)});
}

/// The exact JVP when the model offers one, else the central finite difference of f.
template <class B, class Model, class F>
void jvp(Model& model, const param_set<B>& direction, F&& f, typename B::vector& out, double eps = 1e-4) {
  if constexpr (has_exact_jvp_v<Model, B>) {
    static_cast<void>(f);
    static_cast<void>(eps);
    model.jvp(direction, out);
  } else {
    jvp_finite_difference<B>(model, direction, std::forward<F>(f), out, eps);
  }
}

}  // namespace nn
}  // namespace denoise
