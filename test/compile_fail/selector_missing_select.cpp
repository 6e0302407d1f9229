// A user-written Selector whose State has no select(context) is rejected with the Selector
// policy's message.
// expect: denoise: a Selector's State<B> needs 'std::vector<offset_t> select
#include <denoise/backends/eigen.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

#include <cstdint>
#include <vector>

namespace {

struct keep_all {
  static constexpr const char* name() { return "keep-all"; }
  template <class B>
  class State {
   public:
    State(const keep_all&, std::uint64_t) {}
#if !defined(DENOISE_SHOULD_FAIL)
    template <class Context>
    std::vector<denoise::offset_t> select(Context& ctx) {
      std::vector<denoise::offset_t> ids(ctx.instances());
      for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<denoise::offset_t>(i);
      return ids;
    }
#endif
  };
};

using B = denoise::backends::Eigen<float>;
using Context = denoise::train::selection_context<denoise::models::GMF<B>, denoise::losses::BCE,
                                                  denoise::data::UniformNegativeSampler>;
static_assert(denoise::train::check_selector<keep_all, Context>(), "");

}  // namespace
