// A training callback with none of the hooks is rejected (it could only be a mistake).
// expect: denoise: a training callback needs at least one of on_train_begin
#include <denoise/train/callbacks/callback_traits.hpp>

namespace {

struct model {};

struct print_epochs {
#if defined(DENOISE_SHOULD_FAIL)
  bool on_epoch_finished(const denoise::train::epoch_record&, model&) { return false; }  // misspelt hook
#else
  bool on_epoch_end(const denoise::train::epoch_record&, model&) { return false; }
#endif
};

[[maybe_unused]] bool run() {
  print_epochs callback;
  model m;
  return denoise::train::detail::call_epoch_end(callback, denoise::train::epoch_record{}, m);
}

}  // namespace
