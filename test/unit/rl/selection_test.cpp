// Selection policies: TopK per batch (hand-checked kept rows, ties, the last partial batch, the
// ML-1M sizes of ALGORITHMS.md §3); Individual sampling (identical on every backend and thread
// count, frequencies within binomial bounds); action weights; bad input.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <denoise/core/error.hpp>
#include <denoise/core/random.hpp>
#include <denoise/rl/selection/selection.hpp>
#include <denoise/rl/static_checks.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {

template <class B, class V>
auto host_v(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

/// rows x 2 probabilities (1 - p, p) from select probabilities p.
template <class B>
typename B::matrix two_column(const std::vector<double>& p) {
  std::vector<typename B::scalar> v;
  for (double x : p) {
    v.push_back(typename B::scalar(1 - x));
    v.push_back(typename B::scalar(x));
  }
  typename B::matrix m;
  B::from_host(v, static_cast<index_t>(p.size()), 2, m);
  return m;
}

template <class B>
typename B::index_vector iota_ids(std::size_t n, index_t first = 0) {
  std::vector<index_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = first + static_cast<index_t>(i);
  typename B::index_vector out;
  B::from_host(ids, out);
  return out;
}

std::size_t count_of(const std::vector<index_t>& actions, index_t a) {
  std::size_t n = 0;
  for (index_t x : actions) n += x == a ? 1 : 0;
  return n;
}

/// |count - n p| within 5 binomial standard deviations (a false alarm has probability ~6e-7).
void check_binomial(std::size_t count, std::size_t n, double p) {
  const double sd = std::sqrt(double(n) * p * (1 - p));
  BOOST_TEST(std::fabs(double(count) - double(n) * p) <= 5 * sd,
             "count " << count << " of " << n << " for p = " << p << " (5 sd = " << 5 * sd << ")");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rl_selection)

DENOISE_TYPED_TEST(policies_pass_their_static_checks, denoise::test::backend_list_float) {
  using B = TestType;
  static_assert(rl::check_selection<rl::Individual, B>(), "");
  static_assert(rl::check_selection<rl::TopK, B>(), "");
  BOOST_TEST(std::string(rl::TopK::name()) == "top_k");
}

// Batches of 5 rows with ratio 0.6: k = round(3.0) = 3; the last partial batch of 3 rows keeps
// round(1.8) = 2. Ties go to the lower row.
//   batch 1 p = 0.4 0.7 0.4 0.9 0.4   -> 0.9 (row 3), 0.7 (row 1), then the 0.4 tie: row 0
//   batch 2 p = 0.3 0.3 0.8           -> 0.8 (row 7), then the 0.3 tie: row 5
DENOISE_TYPED_TEST(top_k_per_batch_by_hand, denoise::test::backend_list_double) {
  using B = TestType;
  const std::vector<double> p{0.4, 0.7, 0.4, 0.9, 0.4, 0.3, 0.3, 0.8};
  const std::vector<index_t> expected{1, 1, 0, 1, 0, 1, 0, 1};
  rl::TopK policy(0.6);
  BOOST_TEST(policy.keep_count(5) == 3u);
  BOOST_TEST(policy.keep_count(3) == 2u);
  rl::TopK::State<B> state(policy, 7);
  typename B::index_vector actions;

  state.select_batches(two_column<B>(p), 5, actions);  // both batches in one segmented top-k
  BOOST_TEST(host_v<B>(actions) == expected, boost::test_tools::per_element());

  // The same with one column (the select probability itself).
  std::vector<typename B::scalar> one(p.begin(), p.end());
  typename B::matrix m1;
  B::from_host(one, 8, 1, m1);
  state.select_batches(m1, 5, actions);
  BOOST_TEST(host_v<B>(actions) == expected, boost::test_tools::per_element());

  // Batch by batch through the Selection interface gives the same rows.
  const std::vector<double> first(p.begin(), p.begin() + 5), last(p.begin() + 5, p.end());
  state.select(two_column<B>(first), iota_ids<B>(5), actions);
  BOOST_TEST(host_v<B>(actions) == (std::vector<index_t>{1, 1, 0, 1, 0}), boost::test_tools::per_element());
  state.select(two_column<B>(last), iota_ids<B>(3, 5), actions);
  BOOST_TEST(host_v<B>(actions) == (std::vector<index_t>{1, 0, 1}), boost::test_tools::per_element());

  // ratio 1 keeps everything; a tiny ratio keeps round(0.05 x 5) = 0 of a batch.
  rl::TopK::State<B> all(rl::TopK(1.0), 0);
  all.select_batches(two_column<B>(p), 5, actions);
  BOOST_TEST(count_of(host_v<B>(actions), 1) == 8u);
  rl::TopK::State<B> few(rl::TopK(0.05), 0);
  few.select_batches(two_column<B>(p), 5, actions);
  BOOST_TEST(count_of(host_v<B>(actions), 1) == 0u);
}

// ALGORITHMS.md §3: ML-1M's 800,167 training rows in batches of 2048 with ratio 0.98 keep 2007
// per full batch and 1418 of the last 1447, 784,148 in all; each batch keeps its own top rows.
DENOISE_TYPED_TEST(top_k_ml1m_sizes, denoise::test::backend_list_float) {
  using B = TestType;
  using S = typename B::scalar;
  const std::size_t rows = 800167, batch = 2048;
  rl::TopK policy(0.98);
  BOOST_TEST(policy.keep_count(2048) == 2007u);
  BOOST_TEST(policy.keep_count(1447) == 1418u);
  typename B::matrix probs(static_cast<index_t>(rows), 1);
  B::fill_uniform(probs, 5);
  rl::TopK::State<B> state(policy, 0);
  typename B::index_vector actions;
  state.select_batches(probs, batch, actions);
  const auto a = host_v<B>(actions);
  BOOST_TEST(count_of(a, 1) == 784148u);
  // Per batch: every kept row is at least as probable as every dropped row of its batch.
  std::vector<S> p;
  B::to_host(probs, p);
  for (std::size_t start : {std::size_t(0), std::size_t(2048 * 200), std::size_t(2048 * 390)}) {
    const std::size_t end = std::min(rows, start + batch);
    S min_kept = S(2), max_dropped = S(-1);
    std::size_t kept = 0;
    for (std::size_t r = start; r < end; ++r) {
      if (a[r] == 1) {
        min_kept = std::min(min_kept, p[r]);
        ++kept;
      } else {
        max_dropped = std::max(max_dropped, p[r]);
      }
    }
    BOOST_TEST(kept == (end - start == batch ? 2007u : 1418u));
    BOOST_TEST(min_kept >= max_dropped);
  }
}

DENOISE_TYPED_TEST(top_k_bad_input, denoise::test::backend_list_float) {
  using B = TestType;
  for (double bad : {0.0, -0.5, 1.0000001, 2.0, std::nan("")}) {
    try {
      rl::TopK policy(bad);
      BOOST_FAIL("ratio " << bad << " accepted");
    } catch (const config_error& e) {
      BOOST_TEST(e.field() == "ratio");
    }
  }
  rl::TopK::State<B> state(rl::TopK(0.5), 0);
  typename B::index_vector actions;
  try {
    state.select(two_column<B>({0.1, 0.2, 0.3}), iota_ids<B>(2), actions);
    BOOST_FAIL("mismatched ids accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "ids");
  }
  typename B::matrix three(2, 3);
  B::fill(three, typename B::scalar(0.3));
  try {
    state.select(three, iota_ids<B>(2), actions);
    BOOST_FAIL("3 columns accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "probs");
  }
}

// The spec of Individual, written out: u = the id-th uniform of stream derive_seed(derive_seed(
// seed, "rl.individual"), draw); the action is the first a with u < p_0 + ... + p_a.
template <class S>
std::vector<index_t> reference_actions(const std::vector<S>& probs, std::size_t cols, const std::vector<index_t>& ids,
                                       std::uint64_t seed, std::uint64_t draw) {
  const random::counter_stream stream(random::derive_seed(random::derive_seed(seed, "rl.individual"), draw));
  std::vector<index_t> out;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const S u = stream.uniform<S>(static_cast<std::uint64_t>(ids[r]));
    if (cols == 1) {
      out.push_back(u >= S(1) - probs[r] ? 1 : 0);
      continue;
    }
    S c = S(0);
    index_t a = static_cast<index_t>(cols - 1);
    for (std::size_t k = 0; k < cols; ++k) {
      c += probs[r * cols + k];
      if (u < c) {
        a = static_cast<index_t>(k);
        break;
      }
    }
    out.push_back(a);
  }
  return out;
}

// The same seed gives the same actions on every backend and thread count: each backend matches
// the written-out rule exactly, over 40,000 rows (enough for the parallel paths).
DENOISE_TYPED_TEST(individual_same_on_every_backend_and_thread_count, denoise::test::backend_list_float) {
  using B = TestType;
  using S = typename B::scalar;
  const std::size_t n = 40000, cols = 3;
  std::vector<S> p(n * cols);
  const random::counter_stream gen(99);
  for (std::size_t r = 0; r < n; ++r) {
    const S a = gen.uniform<S>(2 * r), b = gen.uniform<S>(2 * r + 1) * (S(1) - a);
    p[r * cols] = a;
    p[r * cols + 1] = b;
    p[r * cols + 2] = S(1) - a - b;
  }
  std::vector<index_t> ids(n);
  for (std::size_t r = 0; r < n; ++r) ids[r] = static_cast<index_t>((r * 7919) % 1000003);  // not in order
  typename B::matrix probs;
  typename B::index_vector dev_ids, actions;
  B::from_host(p, static_cast<index_t>(n), static_cast<index_t>(cols), probs);
  B::from_host(ids, dev_ids);

  rl::Individual::State<B> state(rl::Individual{}, 2024);
  state.select(probs, dev_ids, actions);
  BOOST_TEST(host_v<B>(actions) == reference_actions<S>(p, cols, ids, 2024, 0), boost::test_tools::per_element());
  state.select(probs, dev_ids, actions);  // the next draw differs
  const auto second = host_v<B>(actions);
  BOOST_TEST(second == reference_actions<S>(p, cols, ids, 2024, 1), boost::test_tools::per_element());
  BOOST_TEST(state.draws() == 2u);

#if defined(_OPENMP)
  const int threads = omp_get_max_threads();
  for (int t : {1, 3}) {
    omp_set_num_threads(t);
    rl::Individual::State<B> again(rl::Individual{}, 2024);
    again.select_at(probs, dev_ids, 1, actions);
    BOOST_TEST(host_v<B>(actions) == second, boost::test_tools::per_element());
  }
  omp_set_num_threads(threads);
#endif

  // One column (Bernoulli) follows the same rule.
  std::vector<S> p1(n);
  for (std::size_t r = 0; r < n; ++r) p1[r] = p[r * cols];
  typename B::matrix probs1;
  B::from_host(p1, static_cast<index_t>(n), 1, probs1);
  state.select_at(probs1, dev_ids, 5, actions);
  BOOST_TEST(host_v<B>(actions) == reference_actions<S>(p1, 1, ids, 2024, 5), boost::test_tools::per_element());
}

// Empirical frequencies: over 100,000 instances in one draw, and for 50 instances over 200
// draws, each action's count lies within 5 binomial standard deviations of n p.
DENOISE_TYPED_TEST(individual_frequencies_match_probabilities, denoise::test::backend_list_double) {
  using B = TestType;
  using S = typename B::scalar;
  const std::size_t n = 100000;
  const std::vector<double> pa{0.2, 0.5, 0.3};
  std::vector<S> p;
  for (std::size_t r = 0; r < n; ++r) p.insert(p.end(), pa.begin(), pa.end());
  typename B::matrix probs;
  B::from_host(p, static_cast<index_t>(n), 3, probs);
  typename B::index_vector actions;
  rl::Individual::State<B> state(rl::Individual{}, 1);
  state.select(probs, iota_ids<B>(n), actions);
  const auto a = host_v<B>(actions);
  for (index_t k = 0; k < 3; ++k) check_binomial(count_of(a, k), n, pa[std::size_t(k)]);

  // Bernoulli with 2 columns and with 1 column.
  state.select(two_column<B>(std::vector<double>(n, 0.3)), iota_ids<B>(n), actions);
  check_binomial(count_of(host_v<B>(actions), 1), n, 0.3);
  typename B::matrix single(static_cast<index_t>(n), 1);
  B::fill(single, S(0.9));
  state.select(single, iota_ids<B>(n), actions);
  check_binomial(count_of(host_v<B>(actions), 1), n, 0.9);

  // The same 50 instances (p = 0.25) across 200 draws: fresh numbers at every draw.
  const std::size_t draws = 200, batch = 50;
  std::size_t selected = 0;
  std::vector<std::size_t> per_instance(batch, 0);
  const auto same = two_column<B>(std::vector<double>(batch, 0.25));
  const auto ids = iota_ids<B>(batch, 7);
  for (std::size_t t = 0; t < draws; ++t) {
    state.select(same, ids, actions);
    const auto h = host_v<B>(actions);
    for (std::size_t r = 0; r < batch; ++r) per_instance[r] += std::size_t(h[r]);
  }
  for (std::size_t c : per_instance) selected += c;
  check_binomial(selected, draws * batch, 0.25);
  check_binomial(per_instance[0], draws, 0.25);  // one instance over its own draws

  // Probabilities 0 and 1 are never crossed.
  state.select(two_column<B>(std::vector<double>(1000, 0.0)), iota_ids<B>(1000), actions);
  BOOST_TEST(count_of(host_v<B>(actions), 1) == 0u);
  state.select(two_column<B>(std::vector<double>(1000, 1.0)), iota_ids<B>(1000), actions);
  BOOST_TEST(count_of(host_v<B>(actions), 1) == 1000u);
}

DENOISE_TYPED_TEST(individual_bad_input_and_action_weights, denoise::test::backend_list_float) {
  using B = TestType;
  rl::Individual::State<B> state(rl::Individual{}, 0);
  typename B::index_vector actions;
  try {
    state.select(two_column<B>({0.5, 0.5}), iota_ids<B>(3), actions);
    BOOST_FAIL("mismatched ids accepted");
  } catch (const config_error& e) {
    BOOST_TEST(e.field() == "ids");
  }
  typename B::vector w;
  B::from_host(std::vector<index_t>{0, 2, 1, 0}, actions);
  rl::action_weights<B>(actions, w);
  BOOST_TEST(host_v<B>(w) == (std::vector<typename B::scalar>{0, 2, 1, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
