// Embedding lookup (gather rows) and its gradient (scatter-add rows) against plain loops.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <vector>

#include "helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::host;
using denoise::test::host_vec;
using denoise::test::make_matrix;

BOOST_AUTO_TEST_SUITE(backends_index)

DENOISE_TYPED_TEST(gather_and_scatter_add_match_loops, denoise::test::backend_list_double) {
  using B = TestType;
  const index_t rows = 50, dim = 6;
  auto table = make_matrix<B>(rows, dim, 1);
  std::vector<index_t> hidx;
  denoise::random::rng gen(3);
  for (int i = 0; i < 400; ++i) hidx.push_back(static_cast<index_t>(gen.uniform_index(20) * 2));  // repeats
  typename B::index_vector idx;
  B::from_host(hidx, idx);
  typename B::matrix out;
  B::gather_rows(table, idx, out);
  const auto ht = host<B>(table), ho = host<B>(out);
  BOOST_REQUIRE_EQUAL(out.rows(), 400);
  for (std::size_t i = 0; i < hidx.size(); ++i) {
    for (std::size_t c = 0; c < std::size_t(dim); ++c) {
      BOOST_REQUIRE_EQUAL(ho[i * dim + c], ht[std::size_t(hidx[i]) * dim + c]);
    }
  }
  auto src = make_matrix<B>(400, dim, 2);
  auto dst = make_matrix<B>(rows, dim, 4);
  auto expect = host<B>(dst);
  const auto hs = host<B>(src);
  for (std::size_t i = 0; i < hidx.size(); ++i) {
    for (std::size_t c = 0; c < std::size_t(dim); ++c) expect[std::size_t(hidx[i]) * dim + c] += hs[i * dim + c];
  }
  typename B::index_vector touched;
  typename B::scatter_workspace ws;
  B::scatter_add_rows(dst, idx, src, touched, ws);
  const auto got = host<B>(dst);
  // Each row is summed in source order, exactly as the loop above: equal bits.
  BOOST_TEST(got == expect, boost::test_tools::per_element());
  const std::set<index_t> distinct(hidx.begin(), hidx.end());
  const auto ht2 = host_vec<B>(touched);
  BOOST_TEST(ht2 == std::vector<index_t>(distinct.begin(), distinct.end()), boost::test_tools::per_element());
}

DENOISE_TYPED_TEST(indices_out_of_range_throw_input_error, denoise::test::backend_list_double) {
  using B = TestType;
  auto table = make_matrix<B>(5, 2, 1);
  typename B::index_vector idx;
  B::from_host(std::vector<index_t>{0, 5}, idx);
  typename B::matrix out;
  BOOST_CHECK_THROW(B::gather_rows(table, idx, out), denoise::input_error);
  B::from_host(std::vector<index_t>{-1}, idx);
  BOOST_CHECK_THROW(B::gather_rows(table, idx, out), denoise::input_error);
  auto src = make_matrix<B>(1, 2, 2);
  typename B::index_vector touched;
  typename B::scatter_workspace ws;
  BOOST_CHECK_THROW(B::scatter_add_rows(table, idx, src, touched, ws), denoise::input_error);
  auto wrong = make_matrix<B>(1, 3, 2);
  B::from_host(std::vector<index_t>{1}, idx);
  BOOST_CHECK_THROW(B::scatter_add_rows(table, idx, wrong, touched, ws), denoise::config_error);
}

DENOISE_TYPED_TEST(merge_scatter_and_fill_rows, denoise::test::backend_list_double) {
  using B = TestType;
  typename B::index_vector a, b, scratch;
  B::from_host(std::vector<index_t>{1, 4, 9}, a);
  B::from_host(std::vector<index_t>{0, 4, 10}, b);
  B::merge_rows(a, b, scratch);
  BOOST_TEST(host_vec<B>(a) == (std::vector<index_t>{0, 1, 4, 9, 10}), boost::test_tools::per_element());

  auto m = make_matrix<B>(6, 3, 1);
  auto before = host<B>(m);
  typename B::index_vector rows;
  B::from_host(std::vector<index_t>{4, 1}, rows);
  auto src = make_matrix<B>(2, 3, 2);
  B::scatter_rows(m, rows, src);
  const auto hs = host<B>(src);
  auto after = host<B>(m);
  for (std::size_t c = 0; c < 3; ++c) {
    before[4 * 3 + c] = hs[c];
    before[1 * 3 + c] = hs[3 + c];
  }
  BOOST_TEST(after == before, boost::test_tools::per_element());
  B::fill_rows(m, rows, 0.0);
  after = host<B>(m);
  for (std::size_t c = 0; c < 3; ++c) {
    BOOST_TEST(after[4 * 3 + c] == 0.0);
    BOOST_TEST(after[1 * 3 + c] == 0.0);
    BOOST_TEST(after[0 * 3 + c] == before[c]);
  }
}

BOOST_AUTO_TEST_SUITE_END()
