// Sampled softmax: each group [z_pos, z_neg1..k] is one sample, a (1+k)-way classification of
// the positive against its sampled negatives:
//   loss = logsumexp(z_group) - z_pos,   d/dz_j = softmax(z_group)_j - [j == 0]
// prediction = softmax(z_group)_0; positive = 1. (MF with a softmax loss, as in Ge et al.)
// No log-Q correction is applied: with uniform negatives it is a constant shift.
// tangent: loss_dot = sum_j (softmax(z_group)_j - [j == 0]) z_dot_j.
#pragma once

#include <cmath>
#include <cstddef>

#include "../core/macros.hpp"
#include "layout.hpp"

namespace denoise {
namespace losses {

struct SampledSoftmax {
  static constexpr const char* name() { return "softmax"; }

  static std::size_t sample_count(const layout& l) noexcept { return l.groups; }

  template <class S>
  DENOISE_HOST_DEVICE static S group_max(const S* z, std::size_t n) {
    S m = z[0];
    for (std::size_t j = 1; j < n; ++j) m = z[j] > m ? z[j] : m;
    return m;
  }

  /// The logit index of the observed interaction that sample `sample` is about (host side).
  static std::size_t anchor(std::size_t sample, const layout& l) noexcept {
    return sample * l.group_size;
  }

  template <class S>
  struct forward_kernel {
    const S* z;
    std::size_t group_size;
    S* loss;
    S* prediction;
    S* positive;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      const S m = group_max(zg, group_size);
      S total = S(0);
      for (std::size_t j = 0; j < group_size; ++j) total += std::exp(zg[j] - m);
      loss[g] = m + std::log(total) - zg[0];
      prediction[g] = std::exp(zg[0] - m) / total;
      positive[g] = S(1);
    }
  };
  template <class S>
  struct backward_kernel {
    const S* z;
    const S* w;
    std::size_t group_size;
    S scale;
    S* dz;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      S* dg = dz + g * group_size;
      const S m = group_max(zg, group_size);
      S total = S(0);
      for (std::size_t j = 0; j < group_size; ++j) total += std::exp(zg[j] - m);
      const S factor = scale * w[g];
      for (std::size_t j = 0; j < group_size; ++j) {
        dg[j] = factor * (std::exp(zg[j] - m) / total - (j == 0 ? S(1) : S(0)));
      }
    }
  };

  template <class S>
  struct tangent_kernel {
    const S* z;
    const S* z_dot;
    std::size_t group_size;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      const S* tg = z_dot + g * group_size;
      const S m = group_max(zg, group_size);
      S total = S(0);
      for (std::size_t j = 0; j < group_size; ++j) total += std::exp(zg[j] - m);
      S acc = S(0);
      for (std::size_t j = 0; j < group_size; ++j) acc += (std::exp(zg[j] - m) / total - (j == 0 ? S(1) : S(0))) * tg[j];
      out[g] = acc;
    }
  };

  template <class B>
  static void forward(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                      typename B::vector& loss, typename B::vector& prediction, typename B::vector& positive) {
    l.require(logits.size(), "SampledSoftmax");
    if (l.group_size < 2) throw config_error("SampledSoftmax needs at least one negative per positive");
    loss.resize(l.groups);
    prediction.resize(l.groups);
    positive.resize(l.groups);
    B::launch(l.groups, forward_kernel<typename B::scalar>{B::ptr(logits), l.group_size, B::ptr(loss),
                                                           B::ptr(prediction), B::ptr(positive)},
              l.group_size);
  }

  template <class B>
  static void backward(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                       const typename B::vector& weights, typename B::scalar scale, typename B::vector& dlogits) {
    B::require_same_size(weights.size(), sample_count(l), "SampledSoftmax weights");
    dlogits.resize(logits.size());
    B::launch(l.groups, backward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(weights), l.group_size, scale,
                                                            B::ptr(dlogits)},
              l.group_size);
  }

  /// Forward mode: loss_tangent[g] = d loss_g along the logit tangent.
  template <class B>
  static void tangent(const typename B::vector& logits, const typename B::vector& /*labels*/, const layout& l,
                      const typename B::vector& logit_tangent, typename B::vector& loss_tangent) {
    l.require(logits.size(), "SampledSoftmax");
    if (l.group_size < 2) throw config_error("SampledSoftmax needs at least one negative per positive");
    B::require_same_size(logit_tangent.size(), logits.size(), "SampledSoftmax logit tangent");
    loss_tangent.resize(l.groups);
    B::launch(l.groups, tangent_kernel<typename B::scalar>{B::ptr(logits), B::ptr(logit_tangent), l.group_size,
                                                           B::ptr(loss_tangent)},
              l.group_size);
  }
};

}  // namespace losses
}  // namespace denoise
