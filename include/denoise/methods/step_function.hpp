// methods::StepFunction<F>: a step-owning Method made of a callable, `void f(step_context&)`. The
// Selector level uses it to train a fresh model with whatever step the selector decides per batch
// (AutoDenoise: sample actions from the policy, reward, then train on the selected instances);
// users can also use it for a one-off step without writing a policy class.
#pragma once

#include <cstdint>

namespace denoise {
namespace methods {

template <class F>
class StepFunction {
 public:
  static constexpr const char* name() { return "step-function"; }

  /// `f` must outlive the trainings that use this method.
  explicit StepFunction(F& f) : f_(&f) {}

  template <class B>
  class State {
   public:
    State(const StepFunction& policy, std::uint64_t /*seed*/) : f_(policy.f_) {}
    template <class Context>
    void step(Context& ctx) {
      (*f_)(ctx);
    }
    template <class EpochContext>
    void on_epoch_end(const EpochContext& /*ctx*/) {}

   private:
    F* f_;
  };

 private:
  F* f_;
};

}  // namespace methods
}  // namespace denoise
