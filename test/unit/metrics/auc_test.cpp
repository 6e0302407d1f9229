#include <denoise/metrics/auc.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dm = denoise::metrics;
using denoise::index_t;

namespace {

double brute_force_auc(const std::vector<float>& s, const std::vector<float>& y) {
  double correct = 0.0, pairs = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (y[i] != 1.0f) continue;
    for (std::size_t j = 0; j < s.size(); ++j) {
      if (y[j] != 0.0f) continue;
      pairs += 1.0;
      correct += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
    }
  }
  return correct / pairs;
}

std::string labels_field(const std::vector<float>& s, const std::vector<float>& y) {
  try {
    dm::auc(s, y);
  } catch (const denoise::input_error& e) {
    return e.field();
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics_auc)

BOOST_AUTO_TEST_CASE(hand_computed) {
  // positives 0.35, 0.8; negatives 0.1, 0.4: 3 of 4 pairs ordered correctly
  BOOST_TEST(dm::auc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f}, std::vector<float>{0, 0, 1, 1}) == 0.75);
  // with a tie: positives 0.5, 0.9; negatives 0.5, 0.2 -> 0.5 + 1 + 1 + 1 = 3.5 of 4
  BOOST_TEST(dm::auc(std::vector<float>{0.5f, 0.5f, 0.2f, 0.9f}, std::vector<float>{1, 0, 0, 1}) == 0.875);
  // all tied -> 0.5; perfectly reversed -> 0
  BOOST_TEST(dm::auc(std::vector<float>{1, 1, 1}, std::vector<float>{1, 0, 1}) == 0.5);
  BOOST_TEST(dm::auc(std::vector<float>{3, 2, 1}, std::vector<float>{0, 0, 1}) == 0.0);
  // -0 and +0 tie; negative and infinite scores keep their order
  BOOST_TEST(dm::auc(std::vector<float>{-0.0f, 0.0f}, std::vector<float>{1, 0}) == 0.5);
  BOOST_TEST(dm::auc(std::vector<float>{-INFINITY, -2.5f, -1.0f, INFINITY}, std::vector<float>{0, 1, 0, 1}) == 0.75);
  // uint8 labels
  BOOST_TEST(dm::auc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f}, std::vector<std::uint8_t>{0, 0, 1, 1}) == 0.75);
}

BOOST_AUTO_TEST_CASE(equals_brute_force_pair_count_with_ties) {
  std::mt19937 gen(3);
  std::uniform_int_distribution<int> level(0, 9);
  std::bernoulli_distribution coin(0.3);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 50 + static_cast<std::size_t>(trial) * 37;
    std::vector<float> s(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = static_cast<float>(level(gen) - 5) * 0.1f;  // ten score levels around 0: many ties
      y[i] = coin(gen) ? 1.0f : 0.0f;
    }
    y[0] = 1.0f;
    y[1] = 0.0f;
    BOOST_TEST(dm::auc(s, y) == brute_force_auc(s, y), boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(grouped_auc_hand_computed) {
  // group 0: AUC 1 (3 samples); group 1: AUC 0 (2 samples); group 2: one class -> skipped
  const std::vector<float> s{0.9f, 0.2f, 0.4f, 0.3f, 0.7f, 0.1f, 0.5f};
  const std::vector<float> y{1, 0, 0, 1, 0, 1, 1};
  const std::vector<index_t> g{0, 0, 0, 1, 1, 2, 2};
  // groups given out of order must give the same result
  const std::vector<float> s2{0.5f, 0.7f, 0.9f, 0.1f, 0.2f, 0.3f, 0.4f};
  const std::vector<float> y2{1, 0, 1, 1, 0, 1, 0};
  const std::vector<index_t> g2{2, 1, 0, 2, 0, 1, 0};
  for (const auto& r : {dm::grouped_auc(s, y, g), dm::grouped_auc(s2, y2, g2)}) {
    BOOST_TEST(r.weighted == 0.6, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(r.mean == 0.5);
    BOOST_TEST(r.groups_used == 2u);
    BOOST_TEST(r.groups_skipped == 1u);
    BOOST_TEST(r.metrics().front().name == "gauc");
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_an_error_naming_the_field) {
  BOOST_TEST(labels_field({0.1f, 0.2f}, {1, 1}) == "labels");  // one class
  BOOST_TEST(labels_field({}, {}) == "labels");
  BOOST_TEST(labels_field({0.1f, 0.2f}, {1, 2}) == "labels");
  BOOST_TEST(labels_field({0.1f, 0.2f}, {1, NAN}) == "labels");
  BOOST_TEST(labels_field({0.1f, 0.2f}, {1}) == "labels");  // size mismatch
  BOOST_TEST(labels_field({0.1f, NAN}, {1, 0}) == "scores");
  try {
    dm::auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{0, 0});
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.reason() == "AUC needs both classes (got 0 positives and 2 negatives)");
  }
  BOOST_CHECK_THROW(dm::grouped_auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{1, 0},
                                    std::vector<index_t>{0, 1}),
                    denoise::input_error);
}

BOOST_AUTO_TEST_SUITE_END()
