// A user-written Batcher whose State cannot make the model's batch is rejected with the Batcher
// policy's message.
// expect: denoise: a Batcher's State<B> needs 'bool next
#include <denoise/backends/eigen.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/batchers/static_checks.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

struct one_fixed_batch {
  using input_kind = denoise::data::pairs_tag;
  template <class B>
  class State {
   public:
    State(const one_fixed_batch&, const denoise::train::trainer_options&, std::uint64_t) {}
    void start_epoch(std::size_t) { done_ = false; }
#if !defined(DENOISE_SHOULD_FAIL)
    bool next(denoise::train::batch<B, denoise::data::pair_batch<B>>& out) {
      if (done_) return false;
      const std::vector<denoise::index_t> zero{0};
      B::from_host(zero, out.input.users);
      B::from_host(zero, out.input.items);
      out.layout = denoise::losses::layout{1, 1};
      out.instance.assign(1, 0);
      done_ = true;
      return true;
    }
#endif
    std::size_t instances() const { return 1; }
    denoise::span<const std::uint8_t> noise_flags() const { return {}; }

   private:
    bool done_ = false;
  };
};

using B = denoise::backends::Eigen<float>;
static_assert(denoise::train::batchers::check_batcher<one_fixed_batch, B, denoise::models::GMF<B>>(), "");

}  // namespace
