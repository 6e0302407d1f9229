// Sorting, nth_element and per-segment top-k against brute force.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::host_vec;

namespace {
// Brute force: full stable sort of the segment by value, descending (NaN lowest), lower
// position first on ties.
std::vector<index_t> brute_topk(const std::vector<double>& v, const std::vector<offset_t>& off, index_t k) {
  std::vector<index_t> out;
  for (std::size_t s = 0; s + 1 < off.size(); ++s) {
    std::vector<index_t> pos(std::size_t(off[s + 1] - off[s]));
    std::iota(pos.begin(), pos.end(), 0);
    auto key = [&](index_t p) {
      const double x = v[std::size_t(off[s] + p)];
      return std::isnan(x) ? -std::numeric_limits<double>::infinity() : x;
    };
    std::stable_sort(pos.begin(), pos.end(), [&](index_t a, index_t b) { return key(a) > key(b); });
    for (index_t j = 0; j < k; ++j) out.push_back(std::size_t(j) < pos.size() ? pos[std::size_t(j)] : -1);
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(backends_select)

DENOISE_TYPED_TEST(segmented_topk_matches_brute_force, denoise::test::backend_list_double) {
  using B = TestType;
  denoise::random::rng gen(11);
  std::vector<double> v;
  std::vector<offset_t> off{0};
  for (int s = 0; s < 60; ++s) {
    const auto len = static_cast<offset_t>(gen.uniform_index(30));  // includes empty and short segments
    for (offset_t i = 0; i < len; ++i) {
      double x = double(gen.uniform_index(8));  // many ties
      if (gen.uniform_index(25) == 0) x = std::nan("");
      // -inf ranks with NaN below everything: the Eigen backend then selects among the rest
      // when enough remain (k = 1, 5), among all values when not (k = 40)
      if (gen.uniform_index(5) == 0) x = -std::numeric_limits<double>::infinity();
      v.push_back(x);
    }
    off.push_back(off.back() + len);
  }
  typename B::vector values;
  typename B::offset_vector offsets;
  B::from_host(v, values);
  B::from_host(off, offsets);
  for (index_t k : {0, 1, 5, 40}) {
    typename B::index_vector out;
    B::segmented_topk(values, offsets, k, out);
    const auto expect = brute_topk(v, off, k);
    BOOST_TEST(host_vec<B>(out) == expect, boost::test_tools::per_element());
    // Unordered: the same positions per segment, in any order.
    B::segmented_topk(values, offsets, k, out, false);
    auto got = host_vec<B>(out);
    auto sorted_expect = expect;
    const auto kk = static_cast<std::ptrdiff_t>(k);
    for (std::size_t s = 0; s + 1 < off.size(); ++s) {
      const auto at = static_cast<std::ptrdiff_t>(s) * kk;
      std::sort(got.begin() + at, got.begin() + at + kk);
      std::sort(sorted_expect.begin() + at, sorted_expect.begin() + at + kk);
    }
    BOOST_TEST(got == sorted_expect, boost::test_tools::per_element());
  }
}

// Long float segments (the shape T-CE gives: a batch of losses, half of them masked to -inf),
// with signed zeros, infinities, NaN and many ties: the same positions as the brute force.
DENOISE_TYPED_TEST(segmented_topk_long_float_segments, denoise::test::backend_list_float) {
  using B = TestType;
  denoise::random::rng gen(23);
  std::vector<float> v;
  std::vector<double> as_double;
  std::vector<offset_t> off{0};
  const float inf = std::numeric_limits<float>::infinity();
  for (const offset_t len : {2048, 1, 777, 3000}) {
    for (offset_t i = 0; i < len; ++i) {
      float x = static_cast<float>(gen.uniform_index(1u << 20)) * (4.0f / 1048576.0f) - 1.0f;
      const auto pick = gen.uniform_index(16);
      if (pick == 0) x = std::nanf("");
      else if (pick == 1) x = -inf;
      else if (pick == 2) x = inf;
      else if (pick == 3) x = gen.uniform_index(2) == 0 ? -0.0f : 0.0f;
      else if (pick < 8) x = static_cast<float>(gen.uniform_index(5)) * 0.25f;  // ties
      if (i % 2 == 1 && len == 2048) x = -inf;                                  // masked negatives
      v.push_back(x);
      as_double.push_back(static_cast<double>(x));
    }
    off.push_back(off.back() + len);
  }
  typename B::vector values;
  typename B::offset_vector offsets;
  B::from_host(v, values);
  B::from_host(off, offsets);
  for (index_t k : {1, 20, 409, 1024, 1500}) {
    typename B::index_vector out;
    B::segmented_topk(values, offsets, k, out);
    const auto expect = brute_topk(as_double, off, k);
    BOOST_TEST(host_vec<B>(out) == expect, boost::test_tools::per_element());
  }
}

DENOISE_TYPED_TEST(row_topk_ranks_each_row, denoise::test::backend_list_double) {
  using B = TestType;
  typename B::matrix scores;
  B::from_host(std::vector<double>{0.1, 0.9, 0.5, 0.9, 3, 2, 1, 0}, 2, 4, scores);
  typename B::index_vector out;
  B::row_topk(scores, 3, out);
  BOOST_TEST(host_vec<B>(out) == (std::vector<index_t>{1, 3, 2, 0, 1, 2}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(B::row_topk(scores, -1, out), denoise::config_error);
}

DENOISE_TYPED_TEST(sort_sort_by_key_and_nth_element, denoise::test::backend_list_double) {
  using B = TestType;
  const std::vector<double> v{5, 1, 4, 1, 3, 9, 2};
  typename B::vector x;
  B::from_host(v, x);
  BOOST_TEST(B::nth_element(x, 0) == 1.0);
  BOOST_TEST(B::nth_element(x, 3) == 3.0);
  BOOST_TEST(B::nth_element(x, 6) == 9.0);
  BOOST_CHECK_THROW(B::nth_element(x, 7), denoise::config_error);
  B::sort(x);
  BOOST_TEST(host_vec<B>(x) == (std::vector<double>{1, 1, 2, 3, 4, 5, 9}), boost::test_tools::per_element());
  typename B::vector keys;
  typename B::index_vector ids;
  B::from_host(v, keys);
  B::from_host(std::vector<index_t>{0, 1, 2, 3, 4, 5, 6}, ids);
  B::sort_by_key(keys, ids, true);
  BOOST_TEST(host_vec<B>(ids) == (std::vector<index_t>{5, 0, 2, 4, 6, 1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
