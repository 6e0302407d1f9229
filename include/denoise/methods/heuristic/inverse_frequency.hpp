// InverseFrequency: the heuristic baseline of Ge et al. (AutoDenoise): each positive sample is
// weighted by the inverse frequency of its item in the training data, normalised so that the mean
// weight over all training positives is 1 (w_i = mean_count / count_i); negatives keep weight 1.
// Popular items are assumed to attract more incidental (noisy) clicks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace methods {

class InverseFrequency {
 public:
  static constexpr const char* name() { return "inverse-frequency"; }

  /// `items` and `labels`: the item and label of every training interaction (positives: label > 0);
  /// `n_items`: the catalogue size.
  InverseFrequency(span<const index_t> items, span<const float> labels, index_t n_items)
      : weight_(std::make_shared<std::vector<float>>(static_cast<std::size_t>(n_items), 1.0f)) {
    if (items.size() != labels.size()) throw config_error("items and labels differ in length", location::of_field("labels"));
    std::vector<std::uint64_t> count(static_cast<std::size_t>(n_items), 0);
    std::uint64_t positives = 0, active = 0;
    for (std::size_t r = 0; r < items.size(); ++r) {
      if (!(labels[r] > 0.0f)) continue;
      if (items[r] < 0 || items[r] >= n_items) throw input_error("item id out of range", location::of_field("item"));
      if (count[static_cast<std::size_t>(items[r])]++ == 0) ++active;
      ++positives;
    }
    if (positives == 0) return;
    const double mean = static_cast<double>(positives) / static_cast<double>(active);
    for (std::size_t i = 0; i < count.size(); ++i)
      if (count[i] > 0) (*weight_)[i] = static_cast<float>(mean / static_cast<double>(count[i]));
  }

  /// The weight of a positive of item `item`.
  float item_weight(index_t item) const { return (*weight_)[static_cast<std::size_t>(item)]; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    State(const InverseFrequency& policy, std::uint64_t /*seed*/) : weight_(policy.weight_) {}

    template <class Context>
    scalar on_batch(const Context& ctx, typename B::vector& weights) {
      const std::size_t n = ctx.samples();
      B::to_host(ctx.positive, host_positive_);
      host_weights_.resize(n);
      for (std::size_t s = 0; s < n; ++s) {
        const auto item = static_cast<std::size_t>(ctx.item[s]);
        host_weights_[s] = host_positive_[s] > scalar(0.5) ? static_cast<scalar>((*weight_)[item]) : scalar(1);
      }
      B::from_host(host_weights_, weights);
      return static_cast<scalar>(n);
    }

    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}

   private:
    std::shared_ptr<const std::vector<float>> weight_;
    std::vector<scalar> host_positive_, host_weights_;
  };

 private:
  std::shared_ptr<std::vector<float>> weight_;
};

}  // namespace methods
}  // namespace denoise
