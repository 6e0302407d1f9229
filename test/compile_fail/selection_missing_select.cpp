// A user-written Selection whose State lacks select() is rejected with the Selection policy's message.
// expect: denoise: a Selection's State<B> needs 'void select
#include <denoise/backends/eigen.hpp>
#include <denoise/rl/static_checks.hpp>

#include <cstdint>

namespace {

struct keep_all {
  static constexpr const char* name() { return "keep_all"; }
  template <class B>
  class State {
   public:
    State(const keep_all&, std::uint64_t) {}
#if !defined(DENOISE_SHOULD_FAIL)
    void select(const typename B::matrix& probs, const typename B::index_vector& /*ids*/,
                typename B::index_vector& actions) {
      actions.assign(static_cast<std::size_t>(probs.rows()), 1);
    }
#endif
  };
};

static_assert(denoise::rl::check_selection<keep_all, denoise::backends::Eigen<float>>(), "");

}  // namespace
