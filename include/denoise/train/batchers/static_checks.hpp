// check_batcher<Batcher, B, Model>(): readable static_asserts for a Batcher policy (see
// docs/policies/batcher.md). DENOISE_DISABLE_STATIC_CHECKS turns them off.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../../core/span.hpp"
#include "../../core/static_checks.hpp"
#include "../batch.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {
namespace batchers {
namespace detail {
namespace probe {

template <class P> using kind_t = typename P::input_kind;
template <class P, class B> using state_t = typename P::template State<B>;
template <class P, class B> using construct_t =
    decltype(typename P::template State<B>(std::declval<const P&>(), std::declval<const trainer_options&>(),
                                           std::uint64_t{}));
template <class P, class B> using start_t =
    decltype(std::declval<typename P::template State<B>&>().start_epoch(std::size_t{}));
template <class P, class B, class Input> using next_t = decltype(static_cast<bool>(
    std::declval<typename P::template State<B>&>().next(std::declval<train::batch<B, Input>&>())));
template <class P, class B> using instances_t =
    decltype(static_cast<std::size_t>(std::declval<const typename P::template State<B>&>().instances()));
template <class P, class B> using flags_t = decltype(static_cast<span<const std::uint8_t>>(
    std::declval<const typename P::template State<B>&>().noise_flags()));

}  // namespace probe
}  // namespace detail

template <class P, class B, class Model>
constexpr bool check_batcher() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::kind_t, P>),
                       "denoise: a Batcher policy needs 'using input_kind = data::pairs_tag;' (the kind of batch it "
                       "makes); see docs/policies/batcher.md");
  if constexpr (is_detected_v<p::kind_t, P>) {
    DENOISE_STATIC_CHECK((std::is_same<typename P::input_kind, typename Model::batch_type::kind>::value),
                         "denoise: the Batcher makes a different kind of batch than the Model consumes (e.g. field "
                         "rows for a pair model); see docs/policies/batcher.md");
  }
  DENOISE_STATIC_CHECK((is_detected_v<p::state_t, P, B>),
                       "denoise: a Batcher policy needs a nested 'template <class Backend> class State'; see "
                       "docs/policies/batcher.md");
  if constexpr (is_detected_v<p::state_t, P, B>) {
    DENOISE_STATIC_CHECK((is_detected_v<p::construct_t, P, B>),
                         "denoise: a Batcher's State<B> needs 'State(const Batcher&, const train::trainer_options&, "
                         "std::uint64_t seed)'; see docs/policies/batcher.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::start_t, P, B>),
                         "denoise: a Batcher's State<B> needs 'void start_epoch(std::size_t epoch)'; see "
                         "docs/policies/batcher.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::next_t, P, B, typename Model::batch_type>),
                         "denoise: a Batcher's State<B> needs 'bool next(train::batch<B, Model::batch_type>& out)'; see "
                         "docs/policies/batcher.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::instances_t, P, B>),
                         "denoise: a Batcher's State<B> needs 'std::size_t instances() const' (the instance-id range); "
                         "see docs/policies/batcher.md");
    DENOISE_STATIC_CHECK((is_detected_v<p::flags_t, P, B>),
                         "denoise: a Batcher's State<B> needs 'span<const std::uint8_t> noise_flags() const' (empty "
                         "when unknown); see docs/policies/batcher.md");
  }
  return true;
}

}  // namespace batchers
}  // namespace train
}  // namespace denoise
