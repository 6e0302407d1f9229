// The typed-test helper itself: the body runs once per listed type, and append_if adds a type
// only when its condition holds.
#include "support/typed_test.hpp"

#include <denoise/core/random.hpp>

#include <cmath>
#include <set>
#include <string>
#include <typeinfo>

namespace {
std::set<std::string>& seen_types() {
  static std::set<std::string> names;
  return names;
}
using listed = denoise::test::append_if_t<false, std::tuple<float, double>, long double>;
}  // namespace

BOOST_AUTO_TEST_SUITE(core_typed_test)

DENOISE_TYPED_TEST(runs_for_each_type, listed) {
  using T = TestType;
  seen_types().insert(typeid(T).name());
  // Sum of n uniforms in T agrees with the double sum to T's tolerance.
  const denoise::random::counter_stream s(3);
  T sum_t = 0;
  double sum_d = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    sum_t += static_cast<T>(s.uniform<double>(i));
    sum_d += s.uniform<double>(i);
  }
  BOOST_TEST(static_cast<double>(sum_t) == sum_d, boost::test_tools::tolerance(denoise::test::tolerance<T>()));
}

BOOST_AUTO_TEST_CASE(both_types_ran_and_the_excluded_one_did_not) {
  BOOST_TEST(std::tuple_size<listed>::value == 2u);
  BOOST_TEST(seen_types().count(typeid(float).name()) == 1u);
  BOOST_TEST(seen_types().count(typeid(double).name()) == 1u);
  BOOST_TEST(seen_types().count(typeid(long double).name()) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
