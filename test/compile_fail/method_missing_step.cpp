// A user-written Method whose State has neither on_batch() (weighting level) nor step()
// (step-owning level) is rejected with the Method policy's message.
// expect: denoise: a Method's State<B> needs either 'scalar on_batch
#include <denoise/backends/eigen.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/static_checks.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/nn/optim/adam.hpp>

#include <cstdint>

namespace {

struct keep_everything {
  static constexpr const char* name() { return "keep_everything"; }
  template <class B>
  class State {
   public:
    State(const keep_everything&, std::uint64_t) {}
#if !defined(DENOISE_SHOULD_FAIL)
    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights) {
      weights.resize(ctx.samples());
      B::fill(weights, typename B::scalar(1));
      return static_cast<typename B::scalar>(ctx.samples());
    }
#endif
    template <class E>
    void on_epoch_end(const E&) {}
  };
};

using B = denoise::backends::Eigen<float>;
using Model = denoise::models::GMF<B>;
static_assert(denoise::methods::check_method<keep_everything, Model, denoise::losses::BCE, denoise::nn::Adam<B>>(), "");

}  // namespace
