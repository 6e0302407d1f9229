// BPR: pairwise Bayesian personalised ranking (Rendle et al. 2009). In a group [z_pos, z_neg1..k]
// every (positive, negative j) pair is one sample:
//   loss = softplus(-(z_pos - z_neg)),  d/dz_pos = -sigmoid(z_neg - z_pos) = -d/dz_neg
// prediction = sigmoid(z_pos - z_neg) (the probability that the positive ranks above the
// negative); positive = 1 (every sample is anchored at an observed interaction, which is what a
// denoiser questions). Labels are not read.
// tangent: loss_dot = -sigmoid(z_neg - z_pos) (z_dot_pos - z_dot_neg).
#pragma once

#include <cstddef>

#include "../core/macros.hpp"
#include "detail/stable_math.hpp"
#include "layout.hpp"

namespace denoise {
namespace losses {

struct BPR {
  static constexpr const char* name() { return "bpr"; }

  static std::size_t sample_count(const layout& l) noexcept { return l.groups * l.negatives(); }

  /// The logit index of the observed interaction that sample `sample` is about (host side).
  static std::size_t anchor(std::size_t sample, const layout& l) noexcept {
    return (sample / l.negatives()) * l.group_size;
  }

  template <class S>
  struct forward_kernel {
    const S* z;
    std::size_t group_size;
    S* loss;
    S* prediction;
    S* positive;
    DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
      const std::size_t negatives = group_size - 1;
      const std::size_t g = s / negatives;
      const std::size_t j = s % negatives;
      const S diff = z[g * group_size] - z[g * group_size + 1 + j];
      loss[s] = detail::softplus(-diff);
      prediction[s] = detail::sigmoid(diff);
      positive[s] = S(1);
    }
  };
  // One thread per group: the positive's gradient sums over its negatives in a fixed order.
  template <class S>
  struct backward_kernel {
    const S* z;
    const S* w;
    std::size_t group_size;
    S scale;
    S* dz;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const std::size_t negatives = group_size - 1;
      const S zp = z[g * group_size];
      S dpos = S(0);
      for (std::size_t j = 0; j < negatives; ++j) {
        const S d = scale * w[g * negatives + j] * detail::sigmoid(z[g * group_size + 1 + j] - zp);
        dz[g * group_size + 1 + j] = d;
        dpos -= d;
      }
      dz[g * group_size] = dpos;
    }
  };

  template <class S>
  struct tangent_kernel {
    const S* z;
    const S* z_dot;
    std::size_t group_size;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
      const std::size_t negatives = group_size - 1;
      const std::size_t pos = (s / negatives) * group_size;
      const std::size_t neg = pos + 1 + s % negatives;
      out[s] = -detail::sigmoid(z[neg] - z[pos]) * (z_dot[pos] - z_dot[neg]);
    }
  };

  template <class B>
  static void forward(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                      typename B::vector& loss, typename B::vector& prediction, typename B::vector& positive) {
    l.require(logits.size(), "BPR");
    if (l.group_size < 2) throw config_error("BPR needs at least one negative per positive (group_size >= 2)");
    const std::size_t n = sample_count(l);
    loss.resize(n);
    prediction.resize(n);
    positive.resize(n);
    B::launch(n, forward_kernel<typename B::scalar>{B::ptr(logits), l.group_size, B::ptr(loss), B::ptr(prediction),
                                                    B::ptr(positive)});
  }

  template <class B>
  static void backward(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                       const typename B::vector& weights, typename B::scalar scale, typename B::vector& dlogits) {
    B::require_same_size(weights.size(), sample_count(l), "BPR weights");
    dlogits.resize(logits.size());
    B::launch(l.groups, backward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(weights), l.group_size, scale,
                                                            B::ptr(dlogits)},
              l.group_size);
  }

  /// Forward mode: loss_tangent[s] = d loss_s along the logit tangent.
  template <class B>
  static void tangent(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                      const typename B::vector& logit_tangent, typename B::vector& loss_tangent) {
    l.require(logits.size(), "BPR");
    if (l.group_size < 2) throw config_error("BPR needs at least one negative per positive (group_size >= 2)");
    B::require_same_size(logit_tangent.size(), logits.size(), "BPR logit tangent");
    loss_tangent.resize(sample_count(l));
    B::launch(loss_tangent.size(), tangent_kernel<typename B::scalar>{B::ptr(logits), B::ptr(logit_tangent),
                                                                      l.group_size, B::ptr(loss_tangent)});
  }
};

}  // namespace losses
}  // namespace denoise
