// A user-written Denoiser whose State lacks on_batch() is rejected with the Denoiser policy's message.
// expect: denoise: a Denoiser's State<B> needs 'scalar on_batch
#include <denoise/backends/eigen.hpp>
#include <denoise/methods/static_checks.hpp>

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
      weights.assign(ctx.samples(), typename B::scalar(1));
      return static_cast<typename B::scalar>(ctx.samples());
    }
#endif
    template <class E>
    void on_epoch_end(const E&) {}
  };
};

struct any_model {};

static_assert(denoise::methods::check_denoiser<keep_everything, denoise::backends::Eigen<float>, any_model>(), "");

}  // namespace
