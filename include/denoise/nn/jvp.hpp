// Jacobian-vector products of a model's logits with a direction in parameter space, at the
// forward a workspace holds: out[n] = d z_n(theta + t d) / dt at t = 0, same batch, same
// stochastic masks. SGDL needs them: G_mk = grad l_m(theta_hat)^T grad l_k(theta) is the JVP of
// the per-sample losses l_k along d = the gradient of the mean memorized loss at theta_hat (the
// loss part follows by the chain rule, Loss::tangent; see per_sample.hpp).
//
//  - A model that can compute it exactly (forward mode) has
//        void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent);
//    (has_exact_jvp_v<Model> detects it).
//  - Otherwise a central finite difference (f(theta + eps d) - f(theta - eps d)) / (2 eps) of a
//    per-sample function f(workspace&, vector& out) that runs a forward with the workspace. The
//    evaluations run with ws.replay = true, so they see the masks of the workspace's last forward;
//    theta is restored bit-identically, and a last evaluation at theta puts the workspace back to
//    a forward at theta (a pending backward() on it stays valid).
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
template <class Model>
using jvp_member_t = decltype(std::declval<Model&>().jvp(
    std::declval<const typename Model::workspace&>(), std::declval<const param_set<typename Model::backend>&>(),
    std::declval<typename Model::backend::vector&>()));
}  // namespace detail

/// True when Model has an exact jvp(workspace, direction, logit_tangent).
template <class Model>
inline constexpr bool has_exact_jvp_v = traits::is_detected_v<detail::jvp_member_t, Model>;

/// How a JVP is computed: the exact one when the model has it (automatic), always the exact one
/// (a compile error without it), or always finite differences with mask replay.
enum class jvp_mode { automatic, exact, finite_difference };

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

/// Buffers of jvp_finite_difference, reusable from call to call.
template <class B>
struct finite_difference_buffers {
  typename B::vector plus, minus, center;
};

/// Central finite-difference JVP of f along direction, with ws's masks replayed (see the file
/// comment). f(workspace&, vector& out) must run model.forward with that workspace.
template <class B, class Model, class F>
void jvp_finite_difference(Model& model, typename Model::workspace& ws, const param_set<B>& direction, F&& f,
                           typename B::vector& out, finite_difference_buffers<B>& buffers, double eps = 1e-4) {
  if (!(eps > 0.0)) throw config_error("jvp_finite_difference: eps must be positive");
  const bool replay = ws.replay;
  ws.replay = true;
  try {
    {
      virtual_step<B, Model> up(model, -eps, direction);
      f(ws, buffers.plus);
    }
    {
      virtual_step<B, Model> down(model, eps, direction);
      f(ws, buffers.minus);
    }
    f(ws, buffers.center);  // the workspace holds a forward at theta again
  } catch (...) {
    ws.replay = replay;
    throw;
  }
  ws.replay = replay;
  B::require_same_size(buffers.plus.size(), buffers.minus.size(), "jvp_finite_difference");
  if (out.size() != buffers.plus.size()) out.resize(buffers.plus.size());
  using S = typename B::scalar;
  B::launch(out.size(), kernels::central_difference<S>{B::ptr(buffers.plus), B::ptr(buffers.minus), B::ptr(out),
                                                       static_cast<S>(0.5 / eps)});
}

/// The same with buffers of its own (allocates on every call).
template <class B, class Model, class F>
void jvp_finite_difference(Model& model, typename Model::workspace& ws, const param_set<B>& direction, F&& f,
                           typename B::vector& out, double eps = 1e-4) {
  finite_difference_buffers<B> buffers;
  jvp_finite_difference<B>(model, ws, direction, std::forward<F>(f), out, buffers, eps);
}

/// JVP of the logits of ws's last forward (which was on `batch`) along direction: the model's
/// exact jvp() when it has one (mode automatic or exact), else finite differences with replay.
template <class Model>
void jvp(Model& model, const typename Model::batch_type& batch, typename Model::workspace& ws,
         const param_set<typename Model::backend>& direction, typename Model::backend::vector& logit_tangent,
         jvp_mode mode = jvp_mode::automatic, double eps = 1e-4) {
  using B = typename Model::backend;
  if constexpr (has_exact_jvp_v<Model>) {
    if (mode != jvp_mode::finite_difference) {
      model.jvp(static_cast<const typename Model::workspace&>(ws), direction, logit_tangent);
      return;
    }
  } else if (mode == jvp_mode::exact) {
    throw config_error(std::string("nn::jvp: model '") + Model::name() + "' has no exact jvp()");
  }
  jvp_finite_difference<B>(
      model, ws, direction, [&](typename Model::workspace& w, typename B::vector& out) { model.forward(batch, w, out); },
      logit_tangent, eps);
}

}  // namespace nn
}  // namespace denoise
