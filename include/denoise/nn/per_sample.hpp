// per_sample<Model, Loss>: per-sample gradient access for one batch, for any model of the Model
// policy (forward/backward on a caller-owned workspace, docs/policies/model.md) and any Loss
// (docs/policies/loss.md). It owns the workspace and the logits of its batch, so it never disturbs
// another pending forward/backward of the same model (the trainer's, for instance).
//
//   nn::per_sample<Model, losses::BCE> ps(model);
//   ps.forward(batch, labels, layout);        // (a) per-sample losses: ps.loss()
//   ps.backward(weights, scale);              // (b) grad of scale * sum_s w_s l_s, into the model
//   ps.direction_products(d, out);            // (c) out[s] = grad l_s . d
//   ps.gradient_cosines(theta_b, out);        // (d) cos(grad l_s(theta), grad l_s(theta_b))
//
// (c) is exact when the model has jvp() and the loss has tangent() (chain rule: the JVP of the
// logits, then Loss::tangent), else a central finite difference of the per-sample losses with the
// workspace's masks replayed; per_sample_options::mode forces either. (d) is meant for SMALL
// batches: it computes each sample's gradient explicitly at both points (2 forwards and 2
// backwards per sample, O(parameters) each), with the masks of forward() at both, and leaves the
// model's values and gradients as it found them.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../losses/layout.hpp"
#include "../losses/static_checks.hpp"
#include "jvp.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {
/// out[i] = (i == hot) ? 1 : 0
template <class T>
struct one_hot {
  T* out;
  std::size_t hot;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = i == hot ? T(1) : T(0); }
};
}  // namespace kernels

struct per_sample_options {
  jvp_mode mode = jvp_mode::automatic;  ///< direction products: exact when available, or forced
  double eps = 1e-4;                    ///< finite-difference step (parameter units)
};

template <class Model, class Loss>
class per_sample {
 public:
  using backend = typename Model::backend;
  using B = backend;
  using scalar = typename B::scalar;
  using vector = typename B::vector;
  using matrix = typename B::matrix;
  using batch_type = typename Model::batch_type;
  using workspace_type = typename Model::workspace;

  /// True when direction_products() can be exact (model jvp() and Loss::tangent()).
  static constexpr bool exact_available = has_exact_jvp_v<Model> && losses::has_tangent_v<Loss, B>;

  explicit per_sample(Model& model, per_sample_options options = {}) : model_(model), options_(options) {
    if (!(options.eps > 0.0)) throw config_error("per_sample: eps must be positive");
  }

  /// (a) Runs the model on batch with this object's workspace (fresh masks in training mode,
  /// unless ws().replay) and the per-sample losses. batch and labels must stay alive and
  /// unchanged while this object is used on them.
  void forward(const batch_type& batch, const vector& labels, const losses::layout& l) {
    batch_ = &batch;
    labels_ = &labels;
    layout_ = l;
    model_.forward(batch, ws_, logits_);
    Loss::template forward<B>(logits_, labels, l, loss_, prediction_, positive_);
  }

  const vector& logits() const noexcept { return logits_; }
  const vector& loss() const noexcept { return loss_; }
  const vector& prediction() const noexcept { return prediction_; }
  const vector& positive() const noexcept { return positive_; }
  std::size_t samples() const noexcept { return loss_.size(); }
  /// The workspace of forward() (set replay on it to reuse the previous forward's masks).
  workspace_type& ws() noexcept { return ws_; }

  /// (b) Accumulates into the model's gradients d(scale * sum_s w_s l_s) / d theta, at forward().
  void backward(const vector& weights, scalar scale = scalar(1)) {
    require_forward("backward");
    Loss::template backward<B>(logits_, *labels_, layout_, weights, scale, dlogits_);
    model_.backward(ws_, dlogits_);
  }

  /// (c) out[s] = grad_theta l_s . direction at forward()'s point and masks (direction: a
  /// param_set shaped like the model's parameters, in visit order).
  void direction_products(const param_set<B>& direction, vector& out) {
    require_forward("direction_products");
    if constexpr (exact_available) {
      if (options_.mode != jvp_mode::finite_difference) {
        model_.jvp(static_cast<const workspace_type&>(ws_), direction, logit_tangent_);
        Loss::template tangent<B>(logits_, *labels_, layout_, logit_tangent_, out);
        return;
      }
    } else {
      if (options_.mode == jvp_mode::exact) {
        throw config_error(std::string("per_sample: exact direction products need Model::jvp and Loss::tangent (") +
                           Model::name() + ", " + Loss::name() + ")");
      }
    }
    direction.require_matches(model_, "per_sample::direction_products");
    jvp_finite_difference<B>(
        model_, ws_, direction,
        [&](workspace_type& w, vector& losses_out) {
          model_.forward(*batch_, w, fd_logits_);
          Loss::template forward<B>(fd_logits_, *labels_, layout_, losses_out, fd_prediction_, fd_positive_);
        },
        out, fd_, options_.eps);
  }

  /// (d) out[s] = cos(grad l_s(theta_a), grad l_s(theta_b)), theta_a the model's current values and
  /// theta_b a param_set of values shaped like them; 0 where either gradient is zero. The masks of
  /// forward() are used at both points. For small batches (see the file comment).
  void gradient_cosines(const param_set<B>& theta_b, vector& out) {
    require_forward("gradient_cosines");
    theta_b.require_matches(model_, "per_sample::gradient_cosines");
    save_grads();
    theta_a_.copy_values(model_);
    const bool replay = ws_.replay;
    ws_.replay = true;
    const std::size_t n = loss_.size();
    host_cos_.assign(n, scalar(0));
    try {
      for (std::size_t s = 0; s < n; ++s) {
        sample_gradient(theta_a_, s);
        ga_.copy_grads(model_);
        sample_gradient(theta_b, s);
        gb_.copy_grads(model_);
        const double ab = static_cast<double>(dot(ga_, gb_));
        const double aa = static_cast<double>(dot(ga_, ga_));
        const double bb = static_cast<double>(dot(gb_, gb_));
        host_cos_[s] = aa > 0.0 && bb > 0.0 ? static_cast<scalar>(ab / (std::sqrt(aa) * std::sqrt(bb))) : scalar(0);
      }
    } catch (...) {
      set_values(theta_a_);
      restore_grads();
      ws_.replay = replay;
      throw;
    }
    set_values(theta_a_);
    model_.forward(*batch_, ws_, fd_logits_);  // the workspace holds a forward at theta_a again
    ws_.replay = replay;
    restore_grads();
    B::from_host(host_cos_, out);
  }

 private:
  void require_forward(const char* what) const {
    if (batch_ == nullptr) throw config_error(std::string("per_sample::") + what + " called before forward");
  }

  /// The model's gradients = grad l_s at the values `at`, with the workspace's masks.
  void sample_gradient(const param_set<B>& at, std::size_t s) {
    set_values(at);
    model_.forward(*batch_, ws_, fd_logits_);
    one_hot_.resize(loss_.size());
    B::launch(one_hot_.size(), kernels::one_hot<scalar>{B::ptr(one_hot_), s});
    Loss::template backward<B>(fd_logits_, *labels_, layout_, one_hot_, scalar(1), dlogits_);
    zero_grad<B>(model_);
    model_.backward(ws_, dlogits_);
  }

  void set_values(const param_set<B>& values) {
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) { B::copy(values[i++], p.value); });
  }

  void save_grads() {
    saved_grads_.copy_grads(model_);
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) {
      if (i == saved_touched_.size()) saved_touched_.emplace_back();
      if (p.touched != nullptr) B::copy(*p.touched, saved_touched_[i]);
      ++i;
    });
  }
  void restore_grads() {
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) {
      B::copy(saved_grads_[i], p.grad);
      if (p.touched != nullptr) B::copy(saved_touched_[i], *p.touched);
      ++i;
    });
  }

  Model& model_;
  per_sample_options options_;
  workspace_type ws_;
  const batch_type* batch_ = nullptr;
  const vector* labels_ = nullptr;
  losses::layout layout_{};
  vector logits_, loss_, prediction_, positive_, dlogits_, logit_tangent_;
  vector fd_logits_, fd_prediction_, fd_positive_, one_hot_;
  finite_difference_buffers<B> fd_;
  param_set<B> theta_a_, ga_, gb_, saved_grads_;
  std::vector<typename B::index_vector> saved_touched_;
  std::vector<scalar> host_cos_;
};

}  // namespace nn
}  // namespace denoise
