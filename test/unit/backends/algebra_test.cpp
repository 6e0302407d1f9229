// gemm, elementwise maps and reductions against plain loops, on every CPU backend.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "support/backend_list.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

using namespace denoise;
using denoise::test::host;
using denoise::test::make_matrix;

namespace {
struct twice_plus_one {
  template <class T>
  T operator()(T x) const { return T(2) * x + T(1); }
};
struct product {
  template <class T>
  T operator()(T a, T b) const { return a * b; }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(backends_algebra)

DENOISE_TYPED_TEST(gemm_matches_loop_for_every_transpose, denoise::test::backend_list_double) {
  using B = TestType;
  const index_t m = 37, k = 19, n = 141;  // more than one row block, odd sizes
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      auto a = ta ? make_matrix<B>(k, m, 1) : make_matrix<B>(m, k, 1);
      auto b = tb ? make_matrix<B>(n, k, 2) : make_matrix<B>(k, n, 2);
      auto c = make_matrix<B>(m, n, 3);
      const auto c0 = host<B>(c);
      B::gemm(ta != 0, tb != 0, 0.5, a, b, 2.0, c);
      const auto ha = host<B>(a), hb = host<B>(b), hc = host<B>(c);
      double worst = 0;
      for (index_t i = 0; i < m; ++i) {
        for (index_t j = 0; j < n; ++j) {
          double acc = 0;
          for (index_t p = 0; p < k; ++p) {
            const double av = ta ? ha[std::size_t(p * m + i)] : ha[std::size_t(i * k + p)];
            const double bv = tb ? hb[std::size_t(j * k + p)] : hb[std::size_t(p * n + j)];
            acc += av * bv;
          }
          const double expect = 0.5 * acc + 2.0 * c0[std::size_t(i * n + j)];
          worst = std::max(worst, std::abs(expect - hc[std::size_t(i * n + j)]));
        }
      }
      BOOST_TEST(worst < 1e-12, "ta=" << ta << " tb=" << tb << " error " << worst);
    }
  }
}

DENOISE_TYPED_TEST(gemm_beta_zero_ignores_nan_and_resizes, denoise::test::backend_list_double) {
  using B = TestType;
  auto a = make_matrix<B>(300, 8, 1), b = make_matrix<B>(8, 5, 2);
  typename B::matrix c(300, 5);
  B::fill(c, std::nan(""));
  B::gemm(false, false, 1.0, a, b, 0.0, c);
  for (double v : host<B>(c)) BOOST_REQUIRE(std::isfinite(v));
  typename B::matrix d;  // empty: takes the product's shape
  B::gemm(false, false, 1.0, a, b, 0.0, d);
  BOOST_TEST(d.rows() == 300);
  BOOST_TEST(d.cols() == 5);
  BOOST_TEST(host<B>(c) == host<B>(d), boost::test_tools::per_element());
}

DENOISE_TYPED_TEST(gemm_shape_mismatch_throws, denoise::test::backend_list_double) {
  using B = TestType;
  auto a = make_matrix<B>(4, 3, 1), b = make_matrix<B>(4, 3, 2);
  typename B::matrix c;
  BOOST_CHECK_THROW(B::gemm(false, false, 1.0, a, b, 0.0, c), denoise::config_error);
  typename B::matrix wrong(2, 2);
  BOOST_CHECK_THROW(B::gemm(false, true, 1.0, a, b, 1.0, wrong), denoise::config_error);
  BOOST_CHECK_NO_THROW(B::gemm(false, true, 1.0, a, b, 0.0, c));
}

DENOISE_TYPED_TEST(elementwise_and_reductions_match_loops, denoise::test::backend_list_double) {
  using B = TestType;
  const index_t r = 53, c = 7;
  auto x = make_matrix<B>(r, c, 4), y = make_matrix<B>(r, c, 5);
  const auto hx = host<B>(x), hy = host<B>(y);
  typename B::matrix out;
  B::map(x, out, twice_plus_one{});
  auto ho = host<B>(out);
  for (std::size_t i = 0; i < hx.size(); ++i) BOOST_REQUIRE_EQUAL(ho[i], 2 * hx[i] + 1);
  B::zip(x, y, out, product{});
  ho = host<B>(out);
  for (std::size_t i = 0; i < hx.size(); ++i) BOOST_REQUIRE_EQUAL(ho[i], hx[i] * hy[i]);
  B::axpy(3.0, x, y);
  ho = host<B>(y);
  for (std::size_t i = 0; i < hx.size(); ++i) BOOST_REQUIRE_EQUAL(ho[i], hy[i] + 3.0 * hx[i]);

  typename B::vector rs, cs, rd;
  B::row_sum(x, rs);
  B::col_sum(x, cs);
  B::row_dot(x, x, rd);
  const auto hrs = denoise::test::host_vec<B>(rs), hcs = denoise::test::host_vec<B>(cs),
             hrd = denoise::test::host_vec<B>(rd);
  BOOST_REQUIRE_EQUAL(hrs.size(), std::size_t(r));
  BOOST_REQUIRE_EQUAL(hcs.size(), std::size_t(c));
  for (index_t i = 0; i < r; ++i) {
    double s = 0, d = 0;
    for (index_t j = 0; j < c; ++j) {
      s += hx[std::size_t(i * c + j)];
      d += hx[std::size_t(i * c + j)] * hx[std::size_t(i * c + j)];
    }
    BOOST_TEST(hrs[std::size_t(i)] == s, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(hrd[std::size_t(i)] == d, boost::test_tools::tolerance(1e-12));
  }
  for (index_t j = 0; j < c; ++j) {
    double s = 0;
    for (index_t i = 0; i < r; ++i) s += hx[std::size_t(i * c + j)];
    BOOST_TEST(hcs[std::size_t(j)] == s, boost::test_tools::tolerance(1e-12));
  }
  // col_sum with beta accumulates
  B::col_sum(x, cs, 1.0);
  const auto hcs2 = denoise::test::host_vec<B>(cs);
  for (index_t j = 0; j < c; ++j) BOOST_TEST(hcs2[std::size_t(j)] == 2 * hcs[std::size_t(j)], boost::test_tools::tolerance(1e-12));

  double total = 0;
  for (double v : hx) total += v;
  BOOST_TEST(B::sum(x) == total, boost::test_tools::tolerance(1e-12));
  BOOST_CHECK_THROW(B::axpy(1.0, x, out = typename B::matrix(2, 2)), denoise::config_error);
}

DENOISE_TYPED_TEST(add_row_broadcast_adds_bias, denoise::test::backend_list_double) {
  using B = TestType;
  auto y = make_matrix<B>(6, 4, 1);
  const auto before = host<B>(y);
  typename B::matrix b(1, 4);
  B::from_host(std::vector<double>{1, 2, 3, 4}, 1, 4, b);
  B::add_row_broadcast(y, b);
  const auto after = host<B>(y);
  for (std::size_t i = 0; i < after.size(); ++i) BOOST_REQUIRE_EQUAL(after[i], before[i] + double(i % 4 + 1));
  typename B::matrix wrong(1, 3);
  BOOST_CHECK_THROW(B::add_row_broadcast(y, wrong), denoise::config_error);
}

// The Eigen backend's loops and gemm are bit-identical at 1 and at 2 OpenMP threads.
BOOST_AUTO_TEST_CASE(eigen_results_do_not_depend_on_thread_count) {
  using B = denoise::backends::Eigen<float>;
  auto run = [](int threads) {
#if defined(_OPENMP)
    omp_set_num_threads(threads);
#else
    static_cast<void>(threads);
#endif
    auto a = make_matrix<B>(1000, 64, 1), b = make_matrix<B>(64, 200, 2);
    typename B::matrix c;
    B::gemm(false, false, 1.0f, a, b, 0.0f, c);
    typename B::matrix d;
    B::gemm(true, false, 1.0f, a, c, 0.0f, d);  // a long inner dimension (1000)
    std::vector<float> out = host<B>(d);
    out.push_back(B::sum(c));
    typename B::vector cs;
    B::col_sum(c, cs);
    for (float v : denoise::test::host_vec<B>(cs)) out.push_back(v);
    return out;
  };
  const auto one = run(1), two = run(2);
#if defined(_OPENMP)
  omp_set_num_threads(2);
#endif
  BOOST_TEST(one == two, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
