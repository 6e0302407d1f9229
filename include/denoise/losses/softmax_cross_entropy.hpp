// Full softmax cross-entropy over all items (the loss of the sequential task: GRU4Rec, SASRec,
// and MF "with a softmax loss over items", Ge et al.). Layout: one group per example, each a row
// of `group_size` = number of items logits; labels[g] holds the index of the target item in that
// row (stored as a scalar; exact for catalogues below 2^24 items in float).
//   loss_g = logsumexp(z_g) - z_g[y_g],   d/dz_gj = softmax(z_g)_j - [j == y_g]
// prediction = softmax(z_g)[y_g]; positive = 1. A label outside [0, group_size) is an error.
// tangent: loss_dot = sum_j (softmax(z_g)_j - [j == y_g]) z_dot_gj.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "layout.hpp"

namespace denoise {
namespace losses {

struct SoftmaxCrossEntropy {
  static constexpr const char* name() { return "softmax_ce"; }

  static std::size_t sample_count(const layout& l) noexcept { return l.groups; }
  /// The batch row a sample is about: every example (row) is one group over all items, so sample s
  /// is row s (the trainer maps it to that row's instance id).
  static std::size_t anchor(std::size_t sample, const layout& /*l*/) noexcept { return sample; }

  template <class S>
  struct group_stats {
    S max, total;
    DENOISE_HOST_DEVICE group_stats(const S* z, std::size_t n) : max(z[0]), total(S(0)) {
      for (std::size_t j = 1; j < n; ++j) max = z[j] > max ? z[j] : max;
      for (std::size_t j = 0; j < n; ++j) total += std::exp(z[j] - max);
    }
    DENOISE_HOST_DEVICE S softmax(S z) const { return std::exp(z - max) / total; }
  };

  template <class S>
  struct forward_kernel {
    const S* z;
    const S* y;
    std::size_t group_size;
    S* loss;
    S* prediction;
    S* positive;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      const group_stats<S> st(zg, group_size);
      const auto t = static_cast<std::size_t>(y[g]);
      loss[g] = st.max + std::log(st.total) - zg[t];
      prediction[g] = st.softmax(zg[t]);
      positive[g] = S(1);
    }
  };

  template <class S>
  struct backward_kernel {
    const S* z;
    const S* y;
    const S* w;
    std::size_t group_size;
    S scale;
    S* dz;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      S* dg = dz + g * group_size;
      const group_stats<S> st(zg, group_size);
      const auto t = static_cast<std::size_t>(y[g]);
      const S factor = scale * w[g];
      for (std::size_t j = 0; j < group_size; ++j) dg[j] = factor * (st.softmax(zg[j]) - (j == t ? S(1) : S(0)));
    }
  };

  template <class S>
  struct tangent_kernel {
    const S* z;
    const S* y;
    const S* z_dot;
    std::size_t group_size;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t g) const {
      const S* zg = z + g * group_size;
      const S* tg = z_dot + g * group_size;
      const group_stats<S> st(zg, group_size);
      const auto t = static_cast<std::size_t>(y[g]);
      S acc = S(0);
      for (std::size_t j = 0; j < group_size; ++j) acc += (st.softmax(zg[j]) - (j == t ? S(1) : S(0))) * tg[j];
      out[g] = acc;
    }
  };

  template <class B>
  static void forward(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                      typename B::vector& loss, typename B::vector& prediction, typename B::vector& positive) {
    check<B>(logits, labels, l);
    loss.resize(l.groups);
    prediction.resize(l.groups);
    positive.resize(l.groups);
    B::launch(l.groups, forward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels), l.group_size, B::ptr(loss),
                                                           B::ptr(prediction), B::ptr(positive)},
              l.group_size);
  }

  template <class B>
  static void backward(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                       const typename B::vector& weights, typename B::scalar scale, typename B::vector& dlogits) {
    check<B>(logits, labels, l);
    B::require_same_size(weights.size(), sample_count(l), "SoftmaxCrossEntropy weights");
    dlogits.resize(logits.size());
    B::launch(l.groups, backward_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels), B::ptr(weights), l.group_size,
                                                            scale, B::ptr(dlogits)},
              l.group_size);
  }

  template <class B>
  static void tangent(const typename B::vector& logits, const typename B::vector& labels, const layout& l,
                      const typename B::vector& logit_tangent, typename B::vector& loss_tangent) {
    check<B>(logits, labels, l);
    B::require_same_size(logit_tangent.size(), logits.size(), "SoftmaxCrossEntropy logit tangent");
    loss_tangent.resize(l.groups);
    B::launch(l.groups, tangent_kernel<typename B::scalar>{B::ptr(logits), B::ptr(labels), B::ptr(logit_tangent),
                                                           l.group_size, B::ptr(loss_tangent)},
              l.group_size);
  }

 private:
  // Host-side check of the labels (one copy of `groups` scalars into a buffer that keeps its
  // capacity): a bad target would index outside its row in the kernels.
  template <class B>
  static void check(const typename B::vector& logits, const typename B::vector& labels, const layout& l) {
    l.require(logits.size(), "SoftmaxCrossEntropy");
    B::require_same_size(labels.size(), l.groups, "SoftmaxCrossEntropy labels");
    static thread_local std::vector<typename B::scalar> host;
    B::to_host(labels, host);
    for (std::size_t g = 0; g < host.size(); ++g) {
      const auto y = host[g];
      if (!(y >= 0) || static_cast<double>(y) >= static_cast<double>(l.group_size) || y != std::floor(y))
        throw config_error("SoftmaxCrossEntropy: label " + std::to_string(static_cast<double>(y)) + " of example " +
                               std::to_string(g) + " is not an item index in [0, " + std::to_string(l.group_size) + ")",
                           location::of_field("label"));
    }
  }
};

}  // namespace losses
}  // namespace denoise
