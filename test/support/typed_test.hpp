// Run one test body over a list of types, with a per-type tolerance (ensmallen runs its tests over
// matrix types the same way). Backend tests use DENOISE_BACKEND_TEST with the list of backends
// available in this build (see backend_list.hpp).
//
//   DENOISE_TYPED_TEST(gather_matches_loop, std::tuple<float, double>) {
//     using T = TestType;  // the type under test
//     BOOST_TEST(x == y, boost::test_tools::tolerance(denoise::test::tolerance<T>()));
//   }
#pragma once

#include <boost/test/unit_test.hpp>

#include <tuple>
#include <type_traits>

namespace denoise {
namespace test {

/// A tuple of types, with T appended only when the condition holds (for optional backends).
template <bool Condition, class List, class T>
struct append_if {
  using type = List;
};
template <class... Ts, class T>
struct append_if<true, std::tuple<Ts...>, T> {
  using type = std::tuple<Ts..., T>;
};
template <bool Condition, class List, class T>
using append_if_t = typename append_if<Condition, List, T>::type;

/// The scalar a type under test computes in: T itself, or T::scalar for a backend.
template <class T, class = void>
struct scalar_of {
  using type = T;
};
template <class T>
struct scalar_of<T, std::void_t<typename T::scalar>> {
  using type = typename T::scalar;
};

/// Relative tolerance for comparisons in the type's scalar: loose for float, tight for double.
template <class T>
constexpr double tolerance() {
  using S = typename scalar_of<T>::type;
  return std::is_same<S, float>::value ? 1e-4 : 1e-10;
}

}  // namespace test
}  // namespace denoise

/// One test case instantiated for every type of a std::tuple; the body sees it as TestType.
#define DENOISE_TYPED_TEST(name, type_list) BOOST_AUTO_TEST_CASE_TEMPLATE(name, TestType, type_list)
