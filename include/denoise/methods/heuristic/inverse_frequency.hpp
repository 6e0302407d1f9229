// InverseFrequency: the heuristic baseline of Ge et al. (AutoDenoise): each positive sample is
// weighted by the inverse frequency of its item in the training data, normalised so that the mean
// weight over all training positives is 1 (w_i = mean_count / count_i); negatives keep weight 1.
// Popular items are assumed to attract more incidental (noisy) clicks. Pair models weight by the
// pair's item, sequence models by the window's target item.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../data/pair_batch.hpp"
#include "../../data/sequence_batch.hpp"
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

  /// Gathers each positive sample's item weight on the backend (pair models: the item of the
  /// sample's anchor row); negatives keep weight 1.
  template <class S>
  struct weigh_samples {
    const S* item_weight;
    const index_t* item;    // per batch row
    const index_t* anchor;  // per sample: its batch row
    const S* positive;
    S* weight;
    DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
      weight[s] = positive[s] > S(0.5) ? item_weight[item[anchor[s]]] : S(1);
    }
  };

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    State(const InverseFrequency& policy, std::uint64_t /*seed*/) {
      std::vector<scalar> host(policy.weight_->begin(), policy.weight_->end());
      B::from_host(host, item_weight_);
    }

    template <class Context>
    scalar on_batch(const Context& ctx, typename B::vector& weights) {
      using kind = typename std::decay_t<decltype(ctx.input)>::kind;
      static_assert(std::is_same<kind, data::pairs_tag>::value || std::is_same<kind, data::sequences_tag>::value,
                    "denoise: InverseFrequency weights by item, so it needs a pair model (data::pair_batch input) "
                    "or a sequence model (data::sequence_batch: the item is the window's target)");
      const std::size_t n = ctx.samples();
      weights.resize(n);
      B::launch(n, weigh_samples<scalar>{B::ptr(item_weight_), B::ptr(row_items(ctx.input)), B::ptr(ctx.anchor),
                                         B::ptr(ctx.positive), B::ptr(weights)});
      return static_cast<scalar>(n);
    }

    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}

   private:
    // The item each batch row is about: a pair's item, a window's target.
    static const typename B::index_vector& row_items(const data::pair_batch<B>& in) { return in.items; }
    static const typename B::index_vector& row_items(const data::sequence_batch<B>& in) { return in.targets; }

    typename B::vector item_weight_;
  };

 private:
  std::shared_ptr<std::vector<float>> weight_;
};

}  // namespace methods
}  // namespace denoise
