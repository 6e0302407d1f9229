// ReweightedLoss: R-CE of ADT (Wang et al., WSDM 2021). Each sample's loss is multiplied by
// ω = ŷ^β for positives and (1 − ŷ)^β for negatives, treated as a constant for the gradient;
// hard positives (low ŷ, likely noise) get small weights. β = 0 is plain training; the paper's
// best β is 0.15–0.3. With BPR, ŷ = sigmoid(z+ − z−), so ω = ŷ^β down-weights pairs the model
// strongly disagrees with. The batch loss is the mean over all samples.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "../../core/fast_math.hpp"
#include "../../core/macros.hpp"

namespace denoise {
namespace methods {

class ReweightedLoss {
 public:
  static constexpr const char* name() { return "r-ce"; }

  explicit ReweightedLoss(double beta = 0.25) : beta_(beta) {
    if (!(beta >= 0.0) || !std::isfinite(beta)) {
      throw config_error("must be finite and >= 0 (got " + std::to_string(beta) + ")", location::of_field("beta"));
    }
  }
  double beta() const noexcept { return beta_; }

  template <class S>
  struct weight_kernel {
    const S* prediction;
    const S* positive;
    S beta;
    S* weight;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      const S p = positive[i] > S(0.5) ? prediction[i] : S(1) - prediction[i];
      weight[i] = math::fast_pow(p, beta);  // float: vectorizable (libm's powf is a scalar call)
    }
  };

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    State(const ReweightedLoss& policy, std::uint64_t /*seed*/) : beta_(static_cast<scalar>(policy.beta_)) {}

    template <class Context>
    scalar on_batch(const Context& ctx, typename B::vector& weights) {
      weights.resize(ctx.samples());
      B::launch(ctx.samples(), weight_kernel<scalar>{B::ptr(ctx.prediction), B::ptr(ctx.positive), beta_, B::ptr(weights)});
      return static_cast<scalar>(ctx.samples());
    }

    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}

   private:
    scalar beta_;
  };

 private:
  double beta_;
};

}  // namespace methods
}  // namespace denoise
