// DynamicDenoiser: a Denoiser policy that holds one of the built-in denoisers chosen at run time
// (mlpack's CFModel idea: a thin run-time layer over compile-time policies). The choice is made
// once per run; each batch costs one std::visit, never a virtual call per sample.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "../methods/methods.hpp"

namespace denoise {
namespace runtime {

class DynamicDenoiser {
 public:
  using policy_variant =
      std::variant<methods::None, methods::TruncatedLoss<methods::linear_drop_schedule>,
                   methods::TruncatedLoss<methods::exponential_drop_schedule>, methods::ReweightedLoss,
                   methods::InverseFrequency>;

  static constexpr const char* name() { return "dynamic"; }

  DynamicDenoiser() = default;
  template <class Policy, class = std::enable_if_t<!std::is_same<std::decay_t<Policy>, DynamicDenoiser>::value>>
  explicit DynamicDenoiser(Policy policy) : policy_(std::move(policy)) {}

  /// The held policy's own name ("t-ce", "r-ce", ...).
  const char* held_name() const {
    return std::visit([](const auto& p) { return std::decay_t<decltype(p)>::name(); }, policy_);
  }

  template <class B>
  class State {
    template <class P>
    using state_of = typename P::template State<B>;

   public:
    using states = std::variant<state_of<methods::None>,
                                state_of<methods::TruncatedLoss<methods::linear_drop_schedule>>,
                                state_of<methods::TruncatedLoss<methods::exponential_drop_schedule>>,
                                state_of<methods::ReweightedLoss>, state_of<methods::InverseFrequency>>;

    State(const DynamicDenoiser& d, std::uint64_t seed)
        : state_(std::visit(
              [seed](const auto& p) -> states {
                using P = std::decay_t<decltype(p)>;
                return states(std::in_place_type<state_of<P>>, p, seed);
              },
              d.policy_)) {}

    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights) {
      return std::visit([&](auto& s) { return s.on_batch(ctx, weights); }, state_);
    }
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx) {
      std::visit([&](auto& s) { s.on_epoch_end(ctx); }, state_);
    }

   private:
    states state_;
  };

 private:
  policy_variant policy_;
};

}  // namespace runtime
}  // namespace denoise
