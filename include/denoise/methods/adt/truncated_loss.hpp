// TruncatedLoss<DropSchedule>: T-CE of ADT (Wang et al., WSDM 2021). At iteration T, among the
// batch's positive samples, the ⌊ε(T)·|B|⌋ with the largest loss get weight 0 (dropped); negatives
// are never dropped; the batch loss is the mean over the kept samples. When a batch has fewer
// positives than the drop count, all its positives are dropped and no negatives.
// With BPR every sample is a (positive, negative) pair anchored at a positive, so T-CE drops the
// pairs with the largest loss, which is the same idea (noise sits in the observed interaction).
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "../../core/macros.hpp"
#include "../../backends/static_checks.hpp"
#include "../../core/types.hpp"
#include "drop_schedule.hpp"

namespace denoise {
namespace methods {

template <class DropSchedule = linear_drop_schedule>
class TruncatedLoss {
  static_assert(check_drop_schedule<DropSchedule>(), "");

 public:
  static constexpr const char* name() { return "t-ce"; }

  explicit TruncatedLoss(DropSchedule schedule = DropSchedule{}) : schedule_(std::move(schedule)) {}
  const DropSchedule& schedule() const noexcept { return schedule_; }

  template <class S>
  struct mask_positive_losses {  // candidates: positives keep their loss, the rest sort lowest
    const S* loss;
    const S* positive;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      out[i] = positive[i] > S(0.5) ? loss[i] : static_cast<S>(-HUGE_VALF);
    }
  };
  template <class S>
  struct drop_positions {
    const index_t* position;
    S* weight;
    DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
      if (position[j] >= 0) weight[position[j]] = S(0);
    }
  };
  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    State(const TruncatedLoss& policy, std::uint64_t /*seed*/) : schedule_(policy.schedule_) {}

    template <class Context>
    scalar on_batch(const Context& ctx, typename B::vector& weights) {
      const std::size_t n = ctx.samples();
      weights.resize(n);
      B::fill(weights, scalar(1));
      const double rate = schedule_.rate(ctx.iteration);
      auto drop = static_cast<std::size_t>(std::floor(rate * static_cast<double>(n)));
      if (drop == 0) return static_cast<scalar>(n);
      const std::size_t positives = static_cast<std::size_t>(B::sum(ctx.positive) + scalar(0.5));
      if (drop > positives) drop = positives;  // never drop negatives
      if (drop == 0) return static_cast<scalar>(n);
      candidates_.resize(n);
      B::launch(n, mask_positive_losses<scalar>{B::ptr(ctx.loss), B::ptr(ctx.positive), B::ptr(candidates_)});
      host_offsets_.assign({0, static_cast<offset_t>(n)});
      B::from_host(host_offsets_, offsets_);
      // Only the set of dropped positions matters: skip the sort of the top where the backend can.
      if constexpr (backends::has_unordered_segmented_topk_v<B>) {
        B::segmented_topk(candidates_, offsets_, static_cast<index_t>(drop), dropped_, false);
      } else {
        B::segmented_topk(candidates_, offsets_, static_cast<index_t>(drop), dropped_);
      }
      B::launch(drop, drop_positions<scalar>{B::ptr(dropped_), B::ptr(weights)});
      last_dropped_ = drop;
      return static_cast<scalar>(n - drop);
    }

    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}

    /// Samples dropped in the last batch.
    std::size_t last_dropped() const noexcept { return last_dropped_; }

   private:
    DropSchedule schedule_;
    typename B::vector candidates_;
    typename B::offset_vector offsets_;
    typename B::index_vector dropped_;
    std::vector<offset_t> host_offsets_;
    std::size_t last_dropped_ = 0;
  };

 private:
  DropSchedule schedule_;
};

}  // namespace methods
}  // namespace denoise
