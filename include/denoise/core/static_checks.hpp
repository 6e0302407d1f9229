// Compile-time checks of user policies, in the style of ensmallen's static_checks: each check is
// one static_assert whose message names the missing member and the page that documents it, so a
// user sees one readable line instead of a template backtrace.
//
// Define DENOISE_DISABLE_STATIC_CHECKS to turn them off (for example to see the raw error).
#pragma once

#include <type_traits>

namespace denoise {
namespace traits {

namespace detail {
template <class Void, template <class...> class Op, class... Args>
struct detector : std::false_type {};

template <template <class...> class Op, class... Args>
struct detector<std::void_t<Op<Args...>>, Op, Args...> : std::true_type {};
}  // namespace detail

/// True when the expression Op<Args...> is well formed (the detection idiom).
template <template <class...> class Op, class... Args>
inline constexpr bool is_detected_v = detail::detector<void, Op, Args...>::value;

/// A false that depends on T, for static_asserts in templates that must only fire on use.
template <class...>
inline constexpr bool always_false_v = false;

}  // namespace traits
}  // namespace denoise

#if defined(DENOISE_DISABLE_STATIC_CHECKS)
#define DENOISE_STATIC_CHECK(condition, message) static_assert(true, "")
#else
/// Every policy check goes through this macro so that one switch turns them all off.
#define DENOISE_STATIC_CHECK(condition, message) static_assert(condition, message)
#endif
