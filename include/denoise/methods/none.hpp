// methods::None: plain training ("Normal" in the papers' tables): every sample has weight 1 and
// the batch loss is the mean over all samples.
#pragma once

#include <cstdint>

namespace denoise {
namespace methods {

struct None {
  static constexpr const char* name() { return "none"; }

  /// Per-run state, created by the Trainer once the backend is known.
  template <class B>
  class State {
   public:
    State(const None& /*policy*/, std::uint64_t /*seed*/) {}

    /// Writes one weight per sample and returns the divisor of the weighted loss sum.
    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights) {
      weights.resize(ctx.samples());
      B::fill(weights, typename B::scalar(1));
      return static_cast<typename B::scalar>(ctx.samples());
    }

    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}
  };
};

}  // namespace methods
}  // namespace denoise
