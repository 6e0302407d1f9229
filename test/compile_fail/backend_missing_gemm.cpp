// A user-written Backend policy without gemm: check_backend names the missing member and the
// documentation page instead of failing deep inside a layer.
// expect: denoise: a Backend policy needs 'static void gemm\(bool trans_a, bool trans_b, scalar alpha, const matrix& a, const matrix& b, scalar beta, matrix& c\)'; see docs/policies/backend.md
#include <denoise/backends/eigen.hpp>
#include <denoise/backends/static_checks.hpp>

namespace {

// Reuses the Eigen backend's primitives; the broken one hides gemm behind another name.
struct good_backend : denoise::backends::Eigen<float> {};

struct broken_backend {
  using base = denoise::backends::Eigen<float>;
  using scalar = base::scalar;
  using matrix = base::matrix;
  using vector = base::vector;
  using index_vector = base::index_vector;
  using offset_vector = base::offset_vector;
  using scatter_workspace = base::scatter_workspace;
  static scalar* ptr(matrix& m) { return base::ptr(m); }
  template <class F>
  static void launch(std::size_t n, const F& f) {
    base::launch(n, f);
  }
  static void matmul(bool ta, bool tb, scalar alpha, const matrix& a, const matrix& b, scalar beta, matrix& c) {
    base::gemm(ta, tb, alpha, a, b, beta, c);  // wrong name: should be gemm
  }
};

#if defined(DENOISE_SHOULD_FAIL)
using backend_under_test = broken_backend;
#else
using backend_under_test = good_backend;
#endif

[[maybe_unused]] constexpr bool checked = denoise::backends::check_backend<backend_under_test>();

}  // namespace
