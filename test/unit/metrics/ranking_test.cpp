#include <denoise/metrics/metrics.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "csr_fixture.hpp"

namespace dm = denoise::metrics;
using denoise::index_t;
using denoise::span;
using metrics_test::owned_csr;

namespace {

// A scorer that reads a fixed users x items matrix and records the users it was asked for.
struct matrix_scorer {
  const std::vector<float>* matrix;
  std::size_t items;
  std::vector<index_t>* asked;
  void operator()(span<const index_t> users, span<float> block) const {
    BOOST_REQUIRE_EQUAL(block.size(), users.size() * items);
    for (std::size_t j = 0; j < users.size(); ++j) {
      if (asked != nullptr) asked->push_back(users[j]);
      const auto u = static_cast<std::size_t>(users[j]);
      std::copy(matrix->begin() + static_cast<std::ptrdiff_t>(u * items),
                matrix->begin() + static_cast<std::ptrdiff_t>((u + 1) * items),
                block.begin() + j * items);
    }
  }
};

// Reference ranking: sort every candidate, ties by lower item index.
std::vector<index_t> sorted_reference(const std::vector<float>& s, const std::vector<index_t>& exclude, std::size_t k) {
  std::vector<index_t> items;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::find(exclude.begin(), exclude.end(), static_cast<index_t>(i)) == exclude.end()) {
      items.push_back(static_cast<index_t>(i));
    }
  }
  std::stable_sort(items.begin(), items.end(), [&](index_t a, index_t b) {
    return s[static_cast<std::size_t>(a)] > s[static_cast<std::size_t>(b)];
  });
  if (items.size() > k) items.resize(k);
  return items;
}

struct random_problem {
  std::size_t users, items;
  std::vector<float> scores;
  std::vector<std::vector<index_t>> train, test;
};

random_problem make_random(std::size_t users, std::size_t items, unsigned seed, bool coarse) {
  random_problem p{users, items, std::vector<float>(users * items), {}, {}};
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u01(0.0f, 1.0f);
  // coarse scores (multiples of 1/8) make many ties
  for (auto& s : p.scores) s = coarse ? std::floor(u01(gen) * 8.0f) / 8.0f : u01(gen);
  for (std::size_t u = 0; u < users; ++u) {
    std::vector<index_t> tr, te;
    for (std::size_t i = 0; i < items; ++i) {
      const float r = u01(gen);
      if (r < 0.08f) tr.push_back(static_cast<index_t>(i));
      else if (r < 0.11f) te.push_back(static_cast<index_t>(i));
    }
    if (u % 7 == 3) te.clear();  // some users have no test item
    p.train.push_back(tr);
    p.test.push_back(te);
  }
  return p;
}

void check_same(const dm::ranking_result& a, const dm::ranking_result& b) {
  BOOST_REQUIRE_EQUAL(a.at.size(), b.at.size());
  BOOST_TEST(a.users_evaluated == b.users_evaluated);
  for (std::size_t q = 0; q < a.at.size(); ++q) {
    // bit-identical, not approximately equal
    BOOST_TEST(a.at[q].k == b.at[q].k);
    BOOST_TEST(a.at[q].recall == b.at[q].recall);
    BOOST_TEST(a.at[q].precision == b.at[q].precision);
    BOOST_TEST(a.at[q].f1 == b.at[q].f1);
    BOOST_TEST(a.at[q].ndcg == b.at[q].ndcg);
    BOOST_TEST(a.at[q].hit_rate == b.at[q].hit_rate);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics_ranking)

// One user, six items. Scores 0.9 0.1 0.8 0.4 0.7 0.3; item 0 (the best score) is a training
// positive; the test items are {2, 5}. Ranking without item 0: 2 4 3 5 1.
BOOST_AUTO_TEST_CASE(hand_computed_six_items) {
  const std::vector<float> scores{0.9f, 0.1f, 0.8f, 0.4f, 0.7f, 0.3f};
  const owned_csr train(metrics_test::row_list{{0}}), test(metrics_test::row_list{{2, 5}});
  const std::vector<int> ks{3, 5};
  const auto r = dm::evaluate_ranking(matrix_scorer{&scores, 6, nullptr}, 6, train.view(), test.view(),
                                      dm::ranking_options{ks, 256, 1, dm::top_k_method::partial});
  BOOST_TEST(r.users_evaluated == 1u);
  const double log2_3 = std::log2(3.0), log2_5 = std::log2(5.0);
  // @3: top 2 4 3, one hit at rank 0
  const auto& a3 = r.at_k(3);
  BOOST_TEST(a3.recall == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a3.precision == 1.0 / 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a3.f1 == 0.4, boost::test_tools::tolerance(1e-12));  // 2 (1/3)(1/2) / (5/6)
  BOOST_TEST(a3.ndcg == 1.0 / (1.0 + 1.0 / log2_3), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a3.ndcg == 0.6131471927654584, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a3.hit_rate == 1.0);
  // @5: top 2 4 3 5 1, hits at ranks 0 and 3
  const auto& a5 = r.at_k(5);
  BOOST_TEST(a5.recall == 1.0);
  BOOST_TEST(a5.precision == 0.4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a5.f1 == 2.0 * 0.4 / 1.4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a5.ndcg == (1.0 + 1.0 / log2_5) / (1.0 + 1.0 / log2_3), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a5.hit_rate == 1.0);

  // The direct per-user function agrees.
  const auto ranked = dm::top_k(scores, std::vector<index_t>{0}, 5);
  BOOST_TEST(ranked == (std::vector<index_t>{2, 4, 3, 5, 1}), boost::test_tools::per_element());
  const auto direct = dm::ranked_list_metrics(ranked, std::vector<index_t>{5, 2}, ks);
  BOOST_TEST(direct[0].ndcg == a3.ndcg);
  BOOST_TEST(direct[1].ndcg == a5.ndcg);
  BOOST_TEST(direct[1].f1 == a5.f1);

  const auto list = r.metrics();
  BOOST_TEST(dm::find_metric(list, "ndcg@3", -1.0) == a3.ndcg);
  BOOST_TEST(dm::find_metric(list, "hit_rate@5", -1.0) == 1.0);
  BOOST_TEST(dm::find_metric(list, "users", -1.0) == 1.0);
  BOOST_TEST(list.size() == 11u);
  BOOST_CHECK_THROW(r.at_k(10), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(precision_divides_by_k_when_few_candidates) {
  // 3 items, 1 in training: only 2 can be ranked, K = 5. Test item 1 at rank 0.
  const std::vector<float> scores{0.2f, 0.3f, 0.1f};
  const auto m = dm::ranked_list_metrics(dm::top_k(scores, std::vector<index_t>{0}, 5), std::vector<index_t>{1},
                                         std::vector<int>{5});
  BOOST_TEST(m[0].precision == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(m[0].recall == 1.0);
  BOOST_TEST(m[0].ndcg == 1.0);
}

BOOST_AUTO_TEST_CASE(ties_break_by_lower_item_index) {
  const std::vector<float> s{0.5f, 0.5f, 0.5f, 0.2f};
  BOOST_TEST(dm::top_k(s, {}, 2) == (std::vector<index_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(dm::top_k(s, std::vector<index_t>{0}, 2) == (std::vector<index_t>{1, 2}),
             boost::test_tools::per_element());
  // late ties never displace an earlier equal item; a later better one does
  const std::vector<float> t{0.1f, 0.5f, 0.3f, 0.5f, 0.5f, 0.6f};
  BOOST_TEST(dm::top_k(t, {}, 3) == (std::vector<index_t>{5, 1, 3}), boost::test_tools::per_element());
  // fewer candidates than K
  BOOST_TEST(dm::top_k(s, std::vector<index_t>{0, 1, 2}, 3) == (std::vector<index_t>{3}),
             boost::test_tools::per_element());
  // infinities are ordinary scores
  const std::vector<float> inf{-INFINITY, 1.0f, INFINITY};
  BOOST_TEST(dm::top_k(inf, {}, 3) == (std::vector<index_t>{2, 1, 0}), boost::test_tools::per_element());
}

// Rows shorter and longer than the selection's 128 groups; scores that are all distinct, few
// distinct values (ties beyond the candidate buffer's room, so it is cut back many times), signed
// values with -0 and +0 (equal scores), infinities, and a rising trend (every item beats the
// running K-th best).
BOOST_AUTO_TEST_CASE(partial_selection_equals_full_sort_on_random_data) {
  std::mt19937 gen(11);
  std::uniform_real_distribution<float> u01(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(trial * 37 % 3000);
    std::vector<float> s(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (trial % 5) {
        case 0: s[i] = u01(gen); break;
        case 1: s[i] = std::floor(u01(gen) * 4.0f); break;
        case 2: s[i] = u01(gen) < 0.3f ? (u01(gen) < 0.5f ? -0.0f : 0.0f) : normal(gen); break;
        case 3: s[i] = u01(gen) < 0.05f ? (u01(gen) < 0.5f ? -INFINITY : INFINITY) : normal(gen); break;
        default: s[i] = static_cast<float>(i) * 0.01f + 0.1f * normal(gen); break;
      }
    }
    std::vector<index_t> excl;
    for (std::size_t i = 0; i < n; ++i) {
      if (u01(gen) < 0.1f) excl.push_back(static_cast<index_t>(i));
    }
    const std::size_t k = 1 + static_cast<std::size_t>(trial % 40);
    const auto got = dm::top_k(s, excl, static_cast<int>(k));
    const auto want = sorted_reference(s, excl, k);
    BOOST_TEST(got == want, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(training_positives_excluded_and_users_without_test_skipped) {
  // user 0: training item 3 has the top score and is also... not a test item; test {1}
  // user 1: no test item -> skipped, never scored
  // user 2: test {0, 2}; training {1}
  const std::vector<float> m{0.1f, 0.5f, 0.2f, 0.9f,   //
                             0.3f, 0.3f, 0.3f, 0.3f,   //
                             0.4f, 0.8f, 0.3f, 0.1f};
  const owned_csr train(metrics_test::row_list{{3}, {0}, {1}}), test(metrics_test::row_list{{1}, {}, {0, 2}});
  std::vector<index_t> asked;
  const auto r = dm::evaluate_ranking(matrix_scorer{&m, 4, &asked}, 4, train.view(), test.view(),
                                      dm::ranking_options{{1, 2}, 256, 0, dm::top_k_method::partial});
  BOOST_TEST(asked == (std::vector<index_t>{0, 2}), boost::test_tools::per_element());
  BOOST_TEST(r.users_evaluated == 2u);
  // user 0 ranks 1 2 0 (3 excluded): hit at rank 0 -> recall@1 1, ndcg@1 1.
  // user 2 ranks 0 2 3 (1 excluded): hit at ranks 0,1 -> recall@1 1/2, recall@2 1, ndcg 1.
  BOOST_TEST(r.at_k(1).recall == 0.75);
  BOOST_TEST(r.at_k(1).precision == 1.0);
  BOOST_TEST(r.at_k(1).ndcg == 1.0);
  BOOST_TEST(r.at_k(2).recall == 1.0);
  BOOST_TEST(r.at_k(2).precision == 0.75);  // (1/2 + 2/2) / 2
  BOOST_TEST(r.at_k(2).ndcg == 1.0, boost::test_tools::tolerance(1e-12));
  // F1 is per user then averaged: user 0 @2: P 1/2 R 1 -> 2/3; user 2: 1 -> mean 5/6
  BOOST_TEST(r.at_k(2).f1 == 5.0 / 6.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(same_results_at_one_and_two_threads_partial_and_full_sort) {
  const auto p = make_random(700, 157, 5, true);
  const owned_csr train(p.train), test(p.test);
  const std::vector<int> ks{1, 5, 20, 50};
  dm::ranking_evaluator one(dm::ranking_options{ks, 64, 1, dm::top_k_method::partial});
  dm::ranking_evaluator two(dm::ranking_options{ks, 64, 2, dm::top_k_method::partial});
  dm::ranking_evaluator full(dm::ranking_options{ks, 33, 2, dm::top_k_method::full_sort});
  const matrix_scorer scorer{&p.scores, p.items, nullptr};
  const auto index_items = static_cast<index_t>(p.items);
  const auto r1 = one.evaluate(scorer, index_items, train.view(), test.view());
  const auto r2 = two.evaluate(scorer, index_items, train.view(), test.view());
  const auto r3 = full.evaluate(scorer, index_items, train.view(), test.view());
  const auto r4 = two.evaluate(scorer, index_items, train.view(), test.view());  // buffers reused
  check_same(r1, r2);
  check_same(r1, r3);
  check_same(r1, r4);
  std::size_t with_test = 0;
  for (const auto& t : p.test) with_test += t.empty() ? 0u : 1u;
  BOOST_TEST(r1.users_evaluated == with_test);

  // and against the per-user reference (full stable sort + direct metrics), summed in order
  double recall20 = 0.0, ndcg20 = 0.0;
  for (std::size_t u = 0; u < p.users; ++u) {
    if (p.test[u].empty()) continue;
    const std::vector<float> row(p.scores.begin() + static_cast<std::ptrdiff_t>(u * p.items),
                                 p.scores.begin() + static_cast<std::ptrdiff_t>((u + 1) * p.items));
    const auto m = dm::ranked_list_metrics(sorted_reference(row, p.train[u], 50), p.test[u], ks);
    recall20 += m[2].recall;
    ndcg20 += m[2].ndcg;
  }
  BOOST_TEST(r1.at_k(20).recall == recall20 / static_cast<double>(with_test), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r1.at_k(20).ndcg == ndcg20 / static_cast<double>(with_test), boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(no_user_with_test_items_gives_zero_users) {
  const std::vector<float> m(6, 0.5f);
  const owned_csr train(metrics_test::row_list{{0}, {1}}), test(metrics_test::row_list{{}, {}});
  std::vector<index_t> asked;
  const auto r = dm::evaluate_ranking(matrix_scorer{&m, 3, &asked}, 3, train.view(), test.view());
  BOOST_TEST(r.users_evaluated == 0u);
  BOOST_TEST(asked.empty());
  BOOST_TEST(r.at_k(20).recall == 0.0);
  BOOST_TEST(r.at_k(20).ndcg == 0.0);
}

BOOST_AUTO_TEST_CASE(nan_score_names_the_user) {
  std::vector<float> m{0.1f, 0.2f, 0.3f, 0.4f, NAN, 0.6f};
  const owned_csr train(metrics_test::row_list{{}, {}}), test(metrics_test::row_list{{0}, {2}});
  try {
    dm::evaluate_ranking(matrix_scorer{&m, 3, nullptr}, 3, train.view(), test.view());
    BOOST_FAIL("expected an error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.field() == "scores");
    BOOST_TEST(e.reason().find("user 1, item 1") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW(dm::top_k(m, {}, 2), denoise::input_error);
}

// The NaN test shared by the evaluator's row check and the top-K keys: every NaN (either sign,
// quiet or signalling payloads) and nothing else, infinities included.
BOOST_AUTO_TEST_CASE(nan_bit_test_finds_every_nan_and_nothing_else) {
  namespace dd = denoise::metrics::detail;
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> clean{0.0f, -0.0f, 1.5f, -inf, inf, std::numeric_limits<float>::max(),
                                 -std::numeric_limits<float>::denorm_min()};
  BOOST_TEST(!dd::any_nan(clean.data(), clean.size()));
  BOOST_TEST(!dd::any_nan(clean.data(), 0));
  for (const float nan : {std::nanf(""), -std::nanf(""), std::numeric_limits<float>::signaling_NaN()}) {
    for (std::size_t at = 0; at <= clean.size(); ++at) {
      auto row = clean;
      row.insert(row.begin() + static_cast<std::ptrdiff_t>(at), nan);
      BOOST_TEST(dd::any_nan(row.data(), row.size()));
      BOOST_TEST(dd::order_key(nan) == std::numeric_limits<std::int32_t>::min());
    }
  }
  BOOST_TEST(dd::order_key(-inf) > std::numeric_limits<std::int32_t>::min());
  BOOST_TEST(dd::order_key(-0.0f) == dd::order_key(0.0f));
}

// The pieces of select_top_k's fast paths against plain definitions: the k-th highest key by
// two-bit steps against nth_element, the score a key starts at against order_key, and the vector
// compare of the second pass against the portable loop.
BOOST_AUTO_TEST_CASE(top_k_fast_paths_agree_with_plain_definitions) {
  namespace dd = denoise::metrics::detail;
  std::mt19937 gen(5);
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> pool{0.0f, -0.0f, inf, -inf, std::nanf(""), -std::nanf(""),
                          std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(), 1.0f, -1.0f};
  std::normal_distribution<float> normal(0.0f, 3.0f);
  for (int i = 0; i < 200; ++i) pool.push_back(normal(gen));
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);

  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t count = 1 + static_cast<std::size_t>(trial) % dd::top_k_groups;
    std::vector<std::int32_t> keys(count);
    for (auto& key : keys) key = dd::order_key(pool[trial % 3 == 0 ? pick(gen) % 12 : pick(gen)]);  // many ties
    const std::size_t k = 1 + static_cast<std::size_t>(trial * 7) % count;
    auto sorted = keys;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1), sorted.end(),
                     std::greater<std::int32_t>());
    BOOST_TEST(dd::kth_highest(keys.data(), count, k) == sorted[k - 1]);
  }

  std::vector<std::int32_t> floors{std::numeric_limits<std::int32_t>::min() + 1, dd::order_key(-inf) - 1,
                                   dd::order_key(-inf), 0, dd::order_key(inf)};
  for (const float x : pool) floors.push_back(dd::order_key(x) == std::numeric_limits<std::int32_t>::min() ? 1 : dd::order_key(x));
  for (const std::int32_t floor : floors) {
    const float at = dd::score_at_key(floor);
    BOOST_TEST(!std::isnan(at));
    for (const float x : pool) {
      if (std::isnan(x)) continue;
      BOOST_TEST((dd::order_key(x) >= floor) == (x >= at), "x " << x << " floor key " << floor);
    }
    std::vector<float> lanes(dd::top_k_lanes);
    for (int rep = 0; rep < 20; ++rep) {
      for (auto& v : lanes) v = pool[pick(gen)];
      BOOST_TEST(dd::reach_mask(lanes.data(), at) == dd::reach_mask_portable(lanes.data(), at));
    }
  }
}

// A scorer in the second form: it returns scores in storage of its own, which the evaluator may
// overwrite (a model's own score block). Same results as the first form; a wrong size is an error.
BOOST_AUTO_TEST_CASE(owning_scorer_gives_the_same_results_and_is_checked) {
  const auto p = make_random(300, 97, 9, true);
  const owned_csr train(p.train), test(p.test);
  const std::vector<int> ks{5, 20};
  const matrix_scorer writes{&p.scores, p.items, nullptr};
  std::vector<float> own;
  std::size_t extra = 0;
  const auto owns = [&](span<const index_t> users) {
    own.assign(users.size() * p.items + extra, -1.0f);
    writes(users, span<float>(own.data(), users.size() * p.items));
    return span<float>(own.data(), own.size());
  };
  dm::ranking_evaluator evaluator(dm::ranking_options{ks, 40, 1, dm::top_k_method::partial});
  const auto items = static_cast<index_t>(p.items);
  const auto expected = evaluator.evaluate(writes, items, train.view(), test.view());
  const auto got = evaluator.evaluate(owns, items, train.view(), test.view());
  check_same(expected, got);
  BOOST_TEST(got.users_evaluated > 0u);
  extra = 1;
  try {
    evaluator.evaluate(owns, items, train.view(), test.view());
    BOOST_FAIL("expected an error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.field() == "scores");
    BOOST_TEST(e.reason().find("returned") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(bad_views_and_options_are_errors) {
  const std::vector<float> m(6, 0.5f);
  const matrix_scorer scorer{&m, 3, nullptr};
  const owned_csr ok(metrics_test::row_list{{0}, {1}}), out_of_range(metrics_test::row_list{{0}, {3}}), unsorted(metrics_test::row_list{{2, 1}, {0}}), fewer(metrics_test::row_list{{0}});
  const auto field_of = [&](const owned_csr& train, const owned_csr& test) -> std::string {
    try {
      dm::evaluate_ranking(scorer, 3, train.view(), test.view());
    } catch (const denoise::input_error& e) {
      return e.field();
    }
    return "no error";
  };
  BOOST_TEST(field_of(ok, out_of_range) == "test");
  BOOST_TEST(field_of(out_of_range, ok) == "train");
  BOOST_TEST(field_of(ok, unsorted) == "test");
  BOOST_TEST(field_of(fewer, ok) == "train");
  BOOST_TEST(field_of(unsorted, ok) == "no error");  // training rows may be in any order

  const auto config_field = [&](dm::ranking_options o) -> std::string {
    try {
      dm::evaluate_ranking(scorer, 3, ok.view(), ok.view(), std::move(o));
    } catch (const denoise::config_error& e) {
      return e.field();
    }
    return "no error";
  };
  BOOST_TEST(config_field(dm::ranking_options{{0}, 256, 0, dm::top_k_method::partial}) == "k");
  BOOST_TEST(config_field(dm::ranking_options{{10, -3}, 256, 0, dm::top_k_method::partial}) == "k");
  BOOST_TEST(config_field(dm::ranking_options{{}, 256, 0, dm::top_k_method::partial}) == "k");
  BOOST_TEST(config_field(dm::ranking_options{{5}, 0, 0, dm::top_k_method::partial}) == "block_users");
  BOOST_CHECK_THROW(dm::top_k(m, {}, 0), denoise::config_error);
  BOOST_CHECK_THROW(dm::top_k(m, std::vector<index_t>{6}, 2), denoise::input_error);
  BOOST_CHECK_THROW(dm::ranked_list_metrics(std::vector<index_t>{1}, std::vector<index_t>{}, std::vector<int>{1}),
                    denoise::input_error);
  BOOST_CHECK_THROW(dm::evaluate_ranking(scorer, 0, ok.view(), ok.view()), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
