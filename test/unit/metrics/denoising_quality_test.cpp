#include <denoise/metrics/denoising_quality.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace dm = denoise::metrics;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(metrics_denoising_quality)

// 8 samples; dropped = weight 0 = {0, 1, 5}; noisy = {0, 2, 3, 5}.
BOOST_AUTO_TEST_CASE(hand_computed) {
  const std::vector<float> w{0.0f, 0.0f, 1.0f, 0.5f, 2.0f, 0.0f, 1.0f, 1.0f};
  const std::vector<std::uint8_t> noisy{1, 0, 1, 1, 0, 1, 0, 0};
  const auto r = dm::denoising_quality(w, noisy);
  BOOST_TEST(r.drop.samples == 8u);
  BOOST_TEST(r.drop.dropped == 3u);
  BOOST_TEST(r.drop.noisy == 4u);
  BOOST_TEST(r.drop.dropped_noisy == 2u);
  BOOST_TEST(r.drop.precision == 2.0 / 3.0, tt::tolerance(1e-15));
  BOOST_TEST(r.drop.recall == 0.5);
  BOOST_TEST(r.drop.f1 == 4.0 / 7.0, tt::tolerance(1e-15));
  BOOST_TEST(r.drop.precision_defined);
  BOOST_TEST(r.drop.recall_defined);

  // noisy weights 0 1 0.5 0 -> sorted 0 0 0.5 1
  BOOST_TEST(r.noisy.count == 4u);
  BOOST_TEST(r.noisy.mean == 0.375);
  BOOST_TEST(r.noisy.stddev == std::sqrt(0.171875), tt::tolerance(1e-15));
  BOOST_TEST(r.noisy.min == 0.0);
  BOOST_TEST(r.noisy.max == 1.0);
  BOOST_TEST(r.noisy.q10 == 0.0);
  BOOST_TEST(r.noisy.q25 == 0.0);  // position 0.75 between 0 and 0
  BOOST_TEST(r.noisy.q50 == 0.25);
  BOOST_TEST(r.noisy.q75 == 0.625);
  BOOST_TEST(r.noisy.q90 == 0.85, tt::tolerance(1e-12));
  const std::vector<std::size_t> noisy_hist{2, 0, 1, 0, 0, 1, 0, 0, 0, 0};
  BOOST_TEST(r.noisy.histogram.counts == noisy_hist, tt::per_element());
  // clean weights 0 2 1 1 -> 2.0 falls in the last bin, which holds the upper edge
  BOOST_TEST(r.clean.mean == 1.0);
  BOOST_TEST(r.clean.q50 == 1.0);
  const std::vector<std::size_t> clean_hist{1, 0, 0, 0, 0, 2, 0, 0, 0, 1};
  BOOST_TEST(r.clean.histogram.counts == clean_hist, tt::per_element());
  BOOST_TEST(r.clean.histogram.below + r.clean.histogram.above == 0u);

  const auto list = r.metrics();
  BOOST_TEST(dm::find_metric(list, "drop_precision", -1.0) == r.drop.precision);
  BOOST_TEST(dm::find_metric(list, "weight_noisy_q75", -1.0) == 0.625);
  BOOST_TEST(dm::find_metric(list, "weight_clean_count", -1.0) == 4.0);

  // bool flags give the same report
  const bool flags[] = {true, false, true, true, false, true, false, false};
  const auto b = dm::denoising_quality(w, denoise::span<const bool>(flags, 8));
  BOOST_TEST(b.drop.dropped_noisy == 2u);
  BOOST_TEST(b.noisy.q90 == r.noisy.q90);
}

// The quantiles come from successive selections, not a sort: they must equal numpy's "linear"
// quantiles of the sorted values exactly, for every size, with ties and in any input order.
BOOST_AUTO_TEST_CASE(quantiles_equal_those_of_the_sorted_values) {
  std::uint32_t state = 12345u;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (std::size_t n = 1; n <= 41; ++n) {
    for (int draw = 0; draw < 4; ++draw) {
      std::vector<float> w(n);
      // draw 0: many ties; draw 3: one value (plain training's weights: the summary's shortcut)
      for (float& x : w) x = draw == 3 ? 0.625f : static_cast<float>(next() % (draw == 0 ? 4u : 1000u)) / 8.0f;
      const auto r = dm::denoising_quality(w, std::vector<std::uint8_t>(n, 1));
      std::vector<double> sorted(w.begin(), w.end());
      std::sort(sorted.begin(), sorted.end());
      const auto expect = [&sorted](double q) {
        const double pos = q * static_cast<double>(sorted.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
      };
      BOOST_TEST(r.noisy.min == sorted.front());
      BOOST_TEST(r.noisy.max == sorted.back());
      BOOST_TEST(r.noisy.q10 == expect(0.10));
      BOOST_TEST(r.noisy.q25 == expect(0.25));
      BOOST_TEST(r.noisy.q50 == expect(0.50));
      BOOST_TEST(r.noisy.q75 == expect(0.75));
      BOOST_TEST(r.noisy.q90 == expect(0.90));
    }
  }
}

BOOST_AUTO_TEST_CASE(nothing_dropped_gives_nan_precision_and_a_flag) {
  const std::vector<float> w{1.0f, 1.0f, 0.5f};
  const auto r = dm::denoising_quality(w, std::vector<std::uint8_t>{1, 0, 0});
  BOOST_TEST(r.drop.dropped == 0u);
  BOOST_TEST(!r.drop.precision_defined);
  BOOST_TEST(std::isnan(r.drop.precision));
  BOOST_TEST(r.drop.recall_defined);
  BOOST_TEST(r.drop.recall == 0.0);
  BOOST_TEST(std::isnan(r.drop.f1));
  // no noisy sample: recall undefined, and the noisy summary is empty
  const auto c = dm::denoising_quality(std::vector<float>{0.0f, 1.0f}, std::vector<std::uint8_t>{0, 0});
  BOOST_TEST(c.drop.precision == 0.0);
  BOOST_TEST(!c.drop.recall_defined);
  BOOST_TEST(std::isnan(c.drop.recall));
  BOOST_TEST(c.noisy.count == 0u);
  BOOST_TEST(std::isnan(c.noisy.mean));
  BOOST_TEST(std::isnan(c.noisy.q50));
}

BOOST_AUTO_TEST_CASE(threshold_and_histogram_options) {
  dm::denoising_options o;
  o.drop_threshold = 0.25f;
  o.histogram_low = 0.0;
  o.histogram_high = 1.0;
  o.bins = 4;
  const auto r = dm::denoising_quality(std::vector<float>{0.2f, 0.25f, 0.3f, 1.5f},
                                       std::vector<std::uint8_t>{1, 1, 0, 0}, o);
  BOOST_TEST(r.drop.dropped == 2u);
  BOOST_TEST(r.drop.precision == 1.0);
  BOOST_TEST(r.drop.recall == 1.0);
  BOOST_TEST(r.clean.histogram.above == 1u);
  BOOST_TEST(r.clean.histogram.counts == (std::vector<std::size_t>{0, 1, 0, 0}), tt::per_element());
  BOOST_TEST(r.noisy.histogram.counts == (std::vector<std::size_t>{1, 1, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(bad_input_is_an_error_naming_the_field) {
  const auto field = [](std::vector<float> w, std::vector<std::uint8_t> n) -> std::string {
    try {
      dm::denoising_quality(w, n);
    } catch (const denoise::input_error& e) {
      return e.field();
    }
    return "no error";
  };
  BOOST_TEST(field({1.0f, NAN}, {0, 1}) == "weights");
  BOOST_TEST(field({1.0f, -0.5f}, {0, 1}) == "weights");
  BOOST_TEST(field({1.0f, INFINITY}, {0, 1}) == "weights");
  BOOST_TEST(field({1.0f, 1.0f}, {0, 2}) == "noisy");
  BOOST_TEST(field({1.0f, 1.0f}, {0}) == "noisy");
  dm::denoising_options o;
  o.bins = 0;
  BOOST_CHECK_THROW(dm::denoising_quality(std::vector<float>{1.0f}, std::vector<std::uint8_t>{0}, o),
                    denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
