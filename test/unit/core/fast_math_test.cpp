#include <denoise/core/fast_math.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <denoise/core/random.hpp>

namespace dm = denoise::math;

namespace {

// Relative error of a float result against the double-precision value, where the latter is not 0.
double relative_error(float got, double exact) { return std::fabs((static_cast<double>(got) - exact) / exact); }

float from_bits(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_fast_math)

// Every exponent of the positive normal floats, 20,000 random mantissas each, plus the values
// around 1 where log is near 0 and a relative bound is hardest.
BOOST_AUTO_TEST_CASE(log_is_within_four_ten_millionths_over_the_normal_floats) {
  const denoise::random::counter_stream stream(5);
  double worst = 0.0;
  std::uint64_t n = 0;
  for (std::uint32_t exponent = 1; exponent < 255; ++exponent) {
    for (int i = 0; i < 20000; ++i) {
      const auto mantissa = static_cast<std::uint32_t>(stream.bits(n++) >> 41);
      const float x = from_bits(exponent << 23 | mantissa);
      const double exact = std::log(static_cast<double>(x));
      if (exact == 0.0) continue;
      worst = std::max(worst, relative_error(dm::fast_log(x), exact));
    }
  }
  for (int k = -20000; k <= 20000; ++k) {
    if (k == 0) continue;
    const float x = 1.0f + static_cast<float>(k) * std::numeric_limits<float>::epsilon();
    worst = std::max(worst, relative_error(dm::fast_log(x), std::log(static_cast<double>(x))));
  }
  BOOST_TEST_MESSAGE("fast_log worst relative error " << worst);
  BOOST_TEST(worst < 4e-7);
  BOOST_TEST(dm::fast_log(1.0f) == 0.0f);
}

BOOST_AUTO_TEST_CASE(exp_is_within_four_ten_millionths_where_the_result_is_normal) {
  double worst = 0.0;
  const double smallest_normal = static_cast<double>(std::numeric_limits<float>::min());
  for (int i = -873365; i <= 887228; ++i) {
    const float x = static_cast<float>(i) * 1e-4f;
    const double exact = std::exp(static_cast<double>(x));
    if (exact < smallest_normal || exact > static_cast<double>(std::numeric_limits<float>::max())) continue;
    worst = std::max(worst, relative_error(dm::fast_exp(x), exact));
  }
  // Small arguments, where exp is 1 + x.
  for (int k = -1000; k <= 1000; ++k) {
    const float x = static_cast<float>(k) * 1e-9f;
    worst = std::max(worst, relative_error(dm::fast_exp(x), std::exp(static_cast<double>(x))));
  }
  BOOST_TEST_MESSAGE("fast_exp worst relative error " << worst);
  BOOST_TEST(worst < 4e-7);
}

BOOST_AUTO_TEST_CASE(exp_flushes_underflow_to_zero_and_keeps_inf_and_nan) {
  BOOST_TEST(dm::fast_exp(-87.5f) == 0.0f);
  BOOST_TEST(dm::fast_exp(-1000.0f) == 0.0f);
  BOOST_TEST(dm::fast_exp(-std::numeric_limits<float>::infinity()) == 0.0f);
  BOOST_TEST(std::isinf(dm::fast_exp(89.0f)));
  BOOST_TEST(std::isinf(dm::fast_exp(std::numeric_limits<float>::infinity())));
  BOOST_TEST(std::isnan(dm::fast_exp(std::numeric_limits<float>::quiet_NaN())));
  BOOST_TEST(dm::fast_exp(0.0f) == 1.0f);
  // The top of the range: 2^n with n = 128 is built from two halves.
  BOOST_TEST(relative_error(dm::fast_exp(88.7f), std::exp(static_cast<double>(88.7f))) < 4e-7);
}

// Every exponent from 2^-126 to 2^100 (random mantissas), where 1 + x rounds to 1 (the answer is x)
// and where it is far from 1, plus 0.
BOOST_AUTO_TEST_CASE(log1p_is_within_five_ten_millionths_over_the_non_negative_floats) {
  const denoise::random::counter_stream stream(7);
  double worst = 0.0;
  std::uint64_t n = 0;
  for (std::uint32_t exponent = 1; exponent < 227; ++exponent) {
    for (int i = 0; i < 20000; ++i) {
      const auto mantissa = static_cast<std::uint32_t>(stream.bits(n++) >> 41);
      const float x = from_bits(exponent << 23 | mantissa);
      worst = std::max(worst, relative_error(dm::fast_log1p(x), std::log1p(static_cast<double>(x))));
    }
  }
  BOOST_TEST_MESSAGE("fast_log1p worst relative error " << worst);
  BOOST_TEST(worst < 5e-7);
  BOOST_TEST(dm::fast_log1p(0.0f) == 0.0f);
  BOOST_TEST(dm::fast_log1p(1e-9f) == 1e-9f);
}

// x over every float exponent in (0, 1] (R-CE's predictions; denormals included) and y from 0 to 2.
BOOST_AUTO_TEST_CASE(pow_is_within_its_bound_from_denormals_to_one) {
  const denoise::random::counter_stream stream(9);
  double worst = 0.0;  // error / bound
  std::uint64_t n = 0;
  for (float y : {0.0f, 0.05f, 0.1f, 0.25f, 0.5f, 1.0f, 2.0f}) {
    for (std::uint32_t exponent = 0; exponent < 127; ++exponent) {
      for (int i = 0; i < 2000; ++i) {
        const auto mantissa = static_cast<std::uint32_t>(stream.bits(n++) >> 41);
        const float x = from_bits(exponent << 23 | mantissa);
        if (x == 0.0f) continue;
        const double exact = std::pow(static_cast<double>(x), static_cast<double>(y));
        if (exact < static_cast<double>(std::numeric_limits<float>::min())) continue;  // flushed, as fast_exp
        const double bound = 4e-7 * (2.0 + std::fabs(static_cast<double>(y) * std::log(static_cast<double>(x))));
        worst = std::max(worst, relative_error(dm::fast_pow(x, y), exact) / bound);
      }
    }
  }
  BOOST_TEST_MESSAGE("fast_pow worst error / bound " << worst);
  BOOST_TEST(worst < 1.0);
  BOOST_TEST(dm::fast_pow(0.0f, 0.25f) == 0.0f);
  BOOST_TEST(dm::fast_pow(0.0f, 0.0f) == 1.0f);
  BOOST_TEST(dm::fast_pow(1.0f, 0.25f) == 1.0f);
  BOOST_TEST(dm::fast_pow(0.3f, 0.0f) == 1.0f);
}

BOOST_AUTO_TEST_CASE(double_arguments_are_libm) {
  BOOST_TEST(dm::fast_pow(0.3, 0.25) == std::pow(0.3, 0.25));
  BOOST_TEST(dm::fast_log1p(0.3) == std::log1p(0.3));
  BOOST_TEST(dm::fast_log(0.3) == std::log(0.3));
  BOOST_TEST(dm::fast_exp(-12.5) == std::exp(-12.5));
}

BOOST_AUTO_TEST_SUITE_END()
