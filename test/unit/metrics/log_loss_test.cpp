#include <denoise/metrics/log_loss.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace dm = denoise::metrics;

BOOST_AUTO_TEST_SUITE(metrics_log_loss)

BOOST_AUTO_TEST_CASE(hand_computed) {
  // -(ln 0.9 + ln 0.8) / 2
  BOOST_TEST(dm::log_loss(std::vector<float>{0.9f, 0.2f}, std::vector<float>{1, 0}) ==
                 (0.10536051565782628 + 0.2231435513142097) / 2.0,
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(dm::log_loss(std::vector<float>{0.5f}, std::vector<std::uint8_t>{1}) == std::log(2.0),
             boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(probabilities_are_clipped) {
  // fully wrong predictions cost -ln(1e-7) each; fully right ones -ln(1 - 1e-7)
  BOOST_TEST(dm::log_loss(std::vector<float>{0.0f, 1.0f}, std::vector<float>{1, 0}) == -std::log(1e-7),
             boost::test_tools::tolerance(1e-8));
  BOOST_TEST(dm::log_loss(std::vector<float>{1.0f, 0.0f}, std::vector<float>{1, 0}) == -std::log1p(-1e-7),
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(dm::log_loss(std::vector<float>{0.0f}, std::vector<float>{1}, 1e-3) == -std::log(1e-3),
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_input_is_an_error_naming_the_field) {
  const auto field = [](std::vector<float> p, std::vector<float> y) -> std::string {
    try {
      dm::log_loss(p, y);
    } catch (const denoise::input_error& e) {
      return e.field();
    }
    return "no error";
  };
  BOOST_TEST(field({0.5f, NAN}, {1, 0}) == "probabilities");
  BOOST_TEST(field({0.5f, 1.5f}, {1, 0}) == "probabilities");
  BOOST_TEST(field({0.5f, 0.5f}, {1, 2}) == "labels");
  BOOST_TEST(field({0.5f, 0.5f}, {1, NAN}) == "labels");
  BOOST_TEST(field({0.5f}, {1, 0}) == "labels");
  BOOST_TEST(field({}, {}) == "probabilities");
  try {
    dm::log_loss(std::vector<float>{0.5f, 0.5f}, std::vector<float>{0, 3});
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.reason() == "sample 1 has label 3.000000; labels must be 0 or 1");
  }
  BOOST_CHECK_THROW(dm::log_loss(std::vector<float>{0.5f}, std::vector<float>{1}, 0.0), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
