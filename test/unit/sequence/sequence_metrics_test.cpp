// Precision, Recall, F1 and NDCG at cutoffs on hand-computed rankings; history exclusion on and
// off; the evaluation driver end to end on a fixed scorer.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/metrics/sequence_ranking.hpp>

namespace dm = denoise::metrics;
using denoise::index_t;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(sequence_metrics)

BOOST_AUTO_TEST_CASE(hand_computed_two_users) {
  dm::SequenceRanking r({1, 3});
  // User A: item 0 is in its history; ranking without it: 1, 3, 5, 4, 2; targets {1, 3}.
  const std::vector<double> a{0.9, 0.8, 0.1, 0.7, 0.5, 0.6};
  const std::vector<index_t> ta{1, 3}, ha{0};
  r.add_user<double>(a, ta, ha);
  auto res = r.result();
  BOOST_TEST(res.users == 1u);
  BOOST_TEST(res.at("precision", 1) == 1.0);
  BOOST_TEST(res.at("recall", 1) == 0.5);
  BOOST_TEST(res.at("f1", 1) == 2.0 / 3, tt::tolerance(1e-12));
  BOOST_TEST(res.at("ndcg", 1) == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(res.at("precision", 3) == 2.0 / 3, tt::tolerance(1e-12));
  BOOST_TEST(res.at("f1", 3) == 0.8, tt::tolerance(1e-12));
  // User B: all scores tie -> order 0, 1, 2, ...; target 2 at rank 3.
  const std::vector<double> b(6, 0.5);
  const std::vector<index_t> tb{2}, none;
  r.add_user<double>(b, tb, none);
  r.add_user<double>(b, none, none);  // no target: not counted
  res = r.result();
  BOOST_TEST(res.users == 2u);
  BOOST_TEST(res.at("precision", 3) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(res.at("recall", 3) == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(res.at("f1", 3) == 0.65, tt::tolerance(1e-12));
  BOOST_TEST(res.at("ndcg", 3) == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(res.at("ndcg", 1) == 0.5, tt::tolerance(1e-12));
  BOOST_CHECK_THROW(res.at("ndcg", 10), denoise::config_error);
  BOOST_CHECK_THROW(res.at("map", 1), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(history_kept_for_next_item) {
  dm::SequenceRanking keep({1, 3}, false);
  const std::vector<double> a{0.9, 0.8, 0.1, 0.7, 0.5, 0.6};
  const std::vector<index_t> ta{1, 3}, ha{0};
  keep.add_user<double>(a, ta, ha);
  const auto res = keep.result();
  BOOST_TEST(res.at("precision", 1) == 0.0);
  BOOST_TEST(res.at("f1", 1) == 0.0);
  BOOST_TEST(res.at("recall", 3) == 1.0);
  const double expect = (1 / std::log2(3.0) + 0.5) / (1 + 1 / std::log2(3.0));
  BOOST_TEST(res.at("ndcg", 3) == expect, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(default_cutoffs_and_errors) {
  dm::SequenceRanking r;
  std::vector<float> s(60);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<float>(i);  // item 59 first
  const std::vector<index_t> t{40}, none;  // rank 20
  r.add_user<float>(s, t, none);
  const auto res = r.result();
  BOOST_TEST(res.at("recall", 10) == 0.0);
  BOOST_TEST(res.at("recall", 20) == 1.0);
  BOOST_TEST(res.at("precision", 50) == 1.0 / 50, tt::tolerance(1e-12));
  BOOST_TEST(res.at("ndcg", 20) == 1 / std::log2(21.0), tt::tolerance(1e-12));
  const std::vector<index_t> outside{60};
  BOOST_CHECK_THROW(r.add_user<float>(s, outside, none), denoise::config_error);
  BOOST_CHECK_THROW(dm::SequenceRanking({0}), denoise::config_error);
  BOOST_CHECK_THROW(dm::SequenceRanking(std::vector<index_t>{}), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
