// check_selector<S, Context>(): readable static_asserts for a dataset-level Selector policy (see
// docs/policies/selector.md). A Selector has
//   static const char* name();
//   template <class B> class State {               // created by the caller; outlives every fit()
//     State(const Selector&, std::uint64_t seed);
//     template <class Context> std::vector<offset_t> select(Context& ctx);   // the kept instance ids
//   };
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/static_checks.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace train {
namespace detail {
namespace probe {

template <class S> using selector_name_t = decltype(static_cast<const char*>(S::name()));
template <class S, class B> using selector_state_t = typename S::template State<B>;
template <class S, class B> using selector_construct_t =
    decltype(typename S::template State<B>(std::declval<const S&>(), std::uint64_t{}));
template <class S, class B, class Context> using select_t = decltype(static_cast<std::vector<offset_t>>(
    std::declval<typename S::template State<B>&>().select(std::declval<Context&>())));

}  // namespace probe
}  // namespace detail

template <class S, class Context>
constexpr bool check_selector() {
  using traits::is_detected_v;
  using B = typename Context::B;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::selector_name_t, S>),
                       "denoise: a Selector policy needs 'static const char* name()'; see docs/policies/selector.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::selector_state_t, S, B>),
                       "denoise: a Selector policy needs a nested 'template <class Backend> class State'; see "
                       "docs/policies/selector.md");
  if constexpr (is_detected_v<p::selector_state_t, S, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::selector_construct_t, S, B>),
                         "denoise: a Selector's State<B> needs a constructor State(const Selector&, std::uint64_t seed); "
                         "see docs/policies/selector.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::select_t, S, B, Context>),
                         "denoise: a Selector's State<B> needs 'std::vector<offset_t> select(Context& ctx)' returning the "
                         "kept instance ids; see docs/policies/selector.md");
  }
  return true;
}

/// Runs a Selector's state on a context and returns its subset of instance ids (sorted, distinct,
/// each an instance of the training data: anything else is a config_error naming the selector).
template <class Selector, class Context>
std::vector<offset_t> select(typename Selector::template State<typename Context::B>& state, Context& ctx) {
  static_assert(check_selector<Selector, Context>(), "");
  std::vector<offset_t> ids = state.select(ctx);
  std::sort(ids.begin(), ids.end());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < 0 || static_cast<std::size_t>(ids[k]) >= ctx.instances() || (k > 0 && ids[k] == ids[k - 1])) {
      throw config_error(std::string("the selector '") + Selector::name() + "' returned instance id " +
                             std::to_string(ids[k]) + ", which is out of range or repeated",
                         location::of_field("subset"));
    }
  }
  return ids;
}

}  // namespace train
}  // namespace denoise
