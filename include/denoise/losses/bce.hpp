// BCE: pointwise binary cross-entropy on logits, one sample per logit.
//   loss_s = softplus(z_s) - y_s z_s,   d loss_s / d z_s = sigmoid(z_s) - y_s
// tangent: loss_dot_s = (sigmoid(z_s) - y_s) z_dot_s.
// Samples: every logit (positives and sampled negatives alike). prediction_s = sigmoid(z_s);
// positive_s = y_s. Used by ADT (T-CE, R-CE), SGDL, AutoDenoise (Lin) and NeuMF/GMF training.
#pragma once

#include <cstddef>

#include "../core/macros.hpp"
#include "detail/stable_math.hpp"
#include "layout.hpp"

namespace denoise {
namespace losses {

struct BCE {
  static constexpr const char* name() { return "bce"; }

  static std::size_t sample_count(const layout& l) noexcept { return l.logits(); }

  /// The logit index of the observed interaction that sample `sample` is about (host side).
  static std::size_t anchor(std::size_t sample, const layout& /*l*/) noexcept {
    return sample;
  }

  template <class S>
  struct forward_kernel {
    const S* z;
    const S* y;
    S* loss;
    S* prediction;
    S* positive;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      loss[i] = detail::softplus(z[i]) - y[i] * z[i];
      prediction[i] = detail::sigmoid(z[i]);
      positive[i] = y[i];
    }
  };
  template <class S>
  struct backward_kernel {
    const S* z;
    const S* y;
    const S* w;
    S scale;
    S* dz;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      dz[i] = scale * w[i] * (detail::sigmoid(z[i]) - y[i]);
    }
  };

  template <class S>
  struct tangent_kernel {
    const S* z;
    const S* y;
    const S* z_dot;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = (detail::sigmoid(z[i]) - y[i]) * z_dot[i]; }
  };

  /// Per-sample loss, predicted probability and positive flag (all sized sample_count).
  template <class B>
  static void forward(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                      typename B::vector& loss, typename B::vector& prediction, typename B::vector& positive) {
    l.require(logits.size(), "BCE");
    B::require_same_size(labels.size(), logits.size(), "BCE labels");
    const std::size_t n = sample_count(l);
    loss.resize(n);
    prediction.resize(n);
    positive.resize(n);
    B::launch(n, forward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels), B::ptr(loss),
                                                    B::ptr(prediction), B::ptr(positive)});
  }

  /// d(scale * sum_s w_s loss_s) / d logits.
  template <class B>
  static void backward(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                       const typename B::vector& weights, typename B::scalar scale, typename B::vector& dlogits) {
    B::require_same_size(weights.size(), sample_count(l), "BCE weights");
    dlogits.resize(logits.size());
    B::launch(logits.size(), backward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels), B::ptr(weights),
                                                                 scale, B::ptr(dlogits)});
  }

  /// Forward mode: loss_tangent[s] = d loss_s along the logit tangent (the JVP of the per-sample
  /// losses, given the JVP of the logits).
  template <class B>
  static void tangent(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                      const typename B::vector& logit_tangent, typename B::vector& loss_tangent) {
    l.require(logits.size(), "BCE");
    B::require_same_size(labels.size(), logits.size(), "BCE labels");
    B::require_same_size(logit_tangent.size(), logits.size(), "BCE logit tangent");
    loss_tangent.resize(sample_count(l));
    B::launch(loss_tangent.size(), tangent_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels),
                                                                      B::ptr(logit_tangent), B::ptr(loss_tangent)});
  }
};

}  // namespace losses
}  // namespace denoise
