// The CPU backends available in this build, as std::tuples for DENOISE_TYPED_TEST:
//   backend_list_double  Eigen<double>, Thrust<cpp, double>, Thrust<omp, double>   (gradient checks)
//   backend_list_float   the same in float                                          (training paths)
// The Thrust entries are present when the test links denoise::thrust (DENOISE_TEST_HAVE_THRUST);
// the OMP one unless the build turned DENOISE_TEST_THRUST_OMP off (CI's sanitizer stage does).
#pragma once

#include <tuple>

#include <denoise/backends/eigen.hpp>
#if defined(DENOISE_TEST_HAVE_THRUST)
#include <denoise/backends/thrust.hpp>
#endif

#include "typed_test.hpp"

namespace denoise {
namespace test {

#if defined(DENOISE_TEST_HAVE_THRUST) && !defined(DENOISE_TEST_HAVE_THRUST_OMP)
inline constexpr bool have_thrust = true;
template <class S>
using backend_list = std::tuple<backends::Eigen<S>, backends::Thrust<backends::thrust_system::cpp, S>>;
#elif defined(DENOISE_TEST_HAVE_THRUST)
inline constexpr bool have_thrust = true;
template <class S>
using backend_list = std::tuple<backends::Eigen<S>, backends::Thrust<backends::thrust_system::cpp, S>,
                                backends::Thrust<backends::thrust_system::omp, S>>;
#else
inline constexpr bool have_thrust = false;
template <class S>
using backend_list = std::tuple<backends::Eigen<S>>;
#endif

using backend_list_double = backend_list<double>;
using backend_list_float = backend_list<float>;

}  // namespace test
}  // namespace denoise
