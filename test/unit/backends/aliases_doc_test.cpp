// docs/policies/backend.md's aliases, compiled verbatim with the Thrust backend linked: each names a
// backend that passes check_backend and round-trips a vector through the host.
// [doc: backend.md aliases]
#include <denoise/backends/backends.hpp>   // both backends + check_backend (Eigen is skipped under nvcc)

using cpu   = denoise::backends::Eigen<float>;                                   // training
using check = denoise::backends::Eigen<double>;                                  // gradient checks
using omp   = denoise::backends::Thrust<denoise::backends::thrust_system::omp>;  // float
using seq   = denoise::backends::Thrust<denoise::backends::thrust_system::cpp, double>;
// [end]

#include <boost/test/unit_test.hpp>

#include <vector>

static_assert(denoise::backends::check_backend<cpu>(), "");
static_assert(denoise::backends::check_backend<check>(), "");
static_assert(denoise::backends::check_backend<omp>(), "");
static_assert(denoise::backends::check_backend<seq>(), "");

BOOST_AUTO_TEST_CASE(the_documented_aliases_are_working_backends) {
  const std::vector<double> host{1.5, -2.0, 3.25};
  seq::vector v;
  seq::from_host(host, v);
  std::vector<double> back;
  seq::to_host(v, back);
  BOOST_TEST(back == host, boost::test_tools::per_element());
  BOOST_TEST(static_cast<double>(seq::sum(v)) == 2.75);
}
