// A user-written Loss that lacks backward() is rejected with the Loss policy's message.
// expect: denoise: a Loss policy needs 'template <class B> static void backward
#include <denoise/backends/eigen.hpp>
#include <denoise/losses/losses.hpp>

namespace {

struct squared_error {
  static constexpr const char* name() { return "squared_error"; }
  static std::size_t sample_count(const denoise::losses::layout& l) { return l.logits(); }
  static std::size_t anchor(std::size_t s, const denoise::losses::layout&) { return s; }
  template <class B>
  static void forward(const typename B::vector&, const typename B::vector&, const denoise::losses::layout&,
                      typename B::vector&, typename B::vector&, typename B::vector&) {}
#if !defined(DENOISE_SHOULD_FAIL)
  template <class B>
  static void backward(const typename B::vector&, const typename B::vector&, const denoise::losses::layout&,
                       const typename B::vector&, typename B::scalar, typename B::vector&) {}
#endif
};

static_assert(denoise::losses::check_loss<squared_error, denoise::backends::Eigen<float>>(), "");

}  // namespace
