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
// workspace's masks replayed; per_sample_options::mode forces either.
//
// (d) uses the masks of forward() at both points and leaves the model's values and gradients as
// it found them (and its workspace holding a forward at theta_a). Two paths, same definition:
//  - factored, when the model has logit_gradients() (MF, GMF, NeuMF, CDAE, LightGCN: docs/policies/model.md) and
//    the loss is group-local (group_local_loss.hpp: every built-in loss): one replayed forward at
//    each point and the logit gradients there, each sample's logit coefficients from a few batched
//    Loss::backward calls, then one kernel per parameter taking the dot products of the factored
//    per-sample gradients: O(rows a sample touches + dense widths) per sample, no gradient formed;
//    LightGCN's entries go through its propagation kernels (O(terms^2 · width) per pair);
//  - brute force otherwise (NGCF; LightGCN with L2): each sample's gradient explicitly at
//    both points, 2 forwards and 2 backwards per sample, O(parameters) each; meant for small batches.
// per_sample_options::cosines forces either path; both are tested against each other.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../losses/layout.hpp"
#include "../losses/static_checks.hpp"
#include "group_local_loss.hpp"
#include "jvp.hpp"
#include "logit_gradients.hpp"
#include "parameter.hpp"
#include "sample_gradient_gram.hpp"

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
/// out[s] = (s % per == slot) ? 1 : 0: one sample of every group
template <class T>
struct slot_indicator {
  T* out;
  std::size_t per;
  std::size_t slot;
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const { out[s] = s % per == slot ? T(1) : T(0); }
};
/// coeff[(g * per + slot) * group_size + p] = dlogits[g * group_size + p]: the logit gradient of the
/// loss weighted by slot_indicator is, in each group, that of the group's sample `slot` alone.
template <class T>
struct scatter_slot_coefficients {
  const T* dlogits;
  T* coeff;
  std::size_t group_size;
  std::size_t per;
  std::size_t slot;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t g = i / group_size;
    coeff[(g * per + slot) * group_size + i % group_size] = dlogits[i];
  }
};
}  // namespace kernels

/// How per_sample::gradient_cosines computes: the factored path when the model and the loss allow
/// it (automatic), always the factored one (config_error without it), or always brute force.
enum class gradient_cosine_mode { automatic, factored, brute_force };

struct per_sample_options {
  jvp_mode mode = jvp_mode::automatic;  ///< direction products: exact when available, or forced
  double eps = 1e-4;                    ///< finite-difference step (parameter units)
  gradient_cosine_mode cosines = gradient_cosine_mode::automatic;  ///< (d): factored or brute force
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
  /// True when gradient_cosines() can take the factored path (model logit_gradients(), a
  /// group-local loss); it still falls back at run time on a batch whose samples do not split
  /// into its groups.
  static constexpr bool factored_available = has_logit_gradients_v<Model> && group_local_loss_v<Loss>;
  static_assert(check_logit_gradients<Model>(), "");

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
  /// forward() are used at both points. Factored or brute force (see the file comment).
  void gradient_cosines(const param_set<B>& theta_b, vector& out) {
    require_forward("gradient_cosines");
    theta_b.require_matches(model_, "per_sample::gradient_cosines");
    if constexpr (factored_available) {
      if (options_.cosines != gradient_cosine_mode::brute_force) {
        const bool model_ready = logit_gradients_available(static_cast<const Model&>(model_));
        if (model_ready && samples_split_into_groups()) {
          factored_cosines(theta_b, out);
          return;
        }
        if (options_.cosines == gradient_cosine_mode::factored) {
          if (!model_ready) {
            throw config_error(std::string("per_sample: ") + Model::name() +
                               "'s logit gradients are not available in its current settings");
          }
          throw config_error("per_sample: factored gradient cosines need sample_count a multiple of the groups",
                             location::of_field("layout"));
        }
      }
    } else {
      if (options_.cosines == gradient_cosine_mode::factored) {
        throw config_error(std::string("per_sample: factored gradient cosines need Model::logit_gradients and a "
                                       "group-local Loss (") +
                           Model::name() + ", " + Loss::name() + ")");
      }
    }
    brute_force_cosines(theta_b, out);
  }

 private:
  void require_forward(const char* what) const {
    if (batch_ == nullptr) throw config_error(std::string("per_sample::") + what + " called before forward");
  }

  /// The per-sample gradients at both points, one sample at a time (any model, any loss).
  void brute_force_cosines(const param_set<B>& theta_b, vector& out) {
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

  bool samples_split_into_groups() const noexcept {
    return layout_.groups > 0 && loss_.size() % layout_.groups == 0 && logits_.size() == layout_.logits();
  }

  /// The factored path: the logit gradients of a replayed forward at theta_b, then of one at
  /// theta_a (the model's current values, whatever the workspace last saw; it is left holding this
  /// forward), combined per sample with each sample's logit coefficients at both points. The
  /// model's gradients are never touched; its values are exchanged with theta_b's copy and back
  /// (swap: theta_a comes back bit-identical, without a copy).
  void factored_cosines(const param_set<B>& theta_b, vector& out) {
    const std::size_t n = loss_.size();
    out.resize(n);
    if (n == 0) return;
    const bool replay = ws_.replay;
    ws_.replay = true;
    swap_values(&theta_b);
    try {
      logit_gradients_here(coeff_b_, grads_b_, "per_sample::gradient_cosines (logit_gradients at theta_b)");
    } catch (...) {
      swap_values(nullptr);
      ws_.replay = replay;
      throw;
    }
    swap_values(nullptr);
    try {
      logit_gradients_here(coeff_a_, grads_a_, "per_sample::gradient_cosines (logit_gradients at theta_a)");
    } catch (...) {
      ws_.replay = replay;
      throw;
    }
    ws_.replay = replay;
    for (vector* v : {&gram_aa_, &gram_ab_, &gram_bb_}) {
      v->resize(n);
      B::fill(*v, scalar(0));
    }
    accumulate_sample_gram<B>(coeff_a_, coeff_b_, grads_a_, grads_b_, layout_.group_size, gram_aa_, gram_ab_, gram_bb_);
    B::launch(n, kernels::cosine_from_gram<scalar>{B::ptr(gram_aa_), B::ptr(gram_ab_), B::ptr(gram_bb_), B::ptr(out)});
  }

  /// A forward at the model's current values with the workspace's masks, the sample coefficients
  /// and the logit gradients there.
  void logit_gradients_here(matrix& coeff, logit_gradients<B>& grads, const char* what) {
    model_.forward(*batch_, ws_, fd_logits_);
    sample_coefficients(fd_logits_, coeff);
    model_.logit_gradients(static_cast<const workspace_type&>(ws_), grads);
    grads.require_matches(model_, what);
  }

  /// coeff (samples x group_size) = d l_s / d z of the logits of s's group, at `logits`: one
  /// Loss::backward per sample slot of a group (weights 1 on that slot of every group), which for
  /// a group-local loss isolates each group's sample in that slot.
  void sample_coefficients(const vector& logits, matrix& coeff) {
    const std::size_t n = loss_.size();
    const std::size_t size = layout_.group_size;
    const std::size_t per = n / layout_.groups;
    coeff.resize(static_cast<index_t>(n), static_cast<index_t>(size));
    slot_weights_.resize(n);
    for (std::size_t slot = 0; slot < per; ++slot) {
      B::launch(n, kernels::slot_indicator<scalar>{B::ptr(slot_weights_), per, slot});
      Loss::template backward<B>(logits, *labels_, layout_, slot_weights_, scalar(1), dlogits_);
      B::launch(dlogits_.size(),
                kernels::scatter_slot_coefficients<scalar>{B::ptr(dlogits_), B::ptr(coeff), size, per, slot});
    }
  }

  /// at != nullptr: the model's values become a copy of *at, its own kept aside; nullptr: back.
  void swap_values(const param_set<B>* at) {
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) {
      if (i == swapped_.size()) swapped_.emplace_back();
      if (at != nullptr) B::copy((*at)[i], swapped_[i]);
      using std::swap;
      swap(swapped_[i], p.value);
      ++i;
    });
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
  logit_gradients<B> grads_a_, grads_b_;                  // factored path
  matrix coeff_a_, coeff_b_;
  vector slot_weights_, gram_aa_, gram_ab_, gram_bb_;
  std::vector<matrix> swapped_;
  std::vector<typename B::index_vector> saved_touched_;
  std::vector<scalar> host_cos_;
};

}  // namespace nn
}  // namespace denoise
