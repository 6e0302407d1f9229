// ADT denoisers (T-CE, R-CE), the inverse-frequency heuristic and the drop schedules, on
// hand-built batch contexts for every CPU backend.
#include "support/backend_list.hpp"
#include "support/host_device.hpp"

#include <denoise/methods/methods.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/train/batch_context.hpp>

#include <cmath>
#include <vector>

namespace dd = denoise::methods;
using denoise::test::backend_list_double;

namespace {

using denoise::test::device;
using denoise::test::host;

struct no_model {};


// A batch of 10 samples: positives at even positions, their losses chosen so the order is known.
struct fixture {
  std::vector<double> loss{0.9, 5.0, 0.1, 7.0, 2.5, 0.3, 0.2, 9.0, 1.7, 0.4};
  std::vector<double> positive{1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  std::vector<double> prediction{0.9, 0.2, 0.5, 0.7, 0.1, 0.05, 0.99, 0.3, 0.6, 0.5};
  std::vector<denoise::offset_t> instance{0, -1, 1, -1, 2, -1, 3, -1, 4, -1};
  std::vector<denoise::index_t> item{0, 5, 1, 5, 2, 6, 1, 6, 1, 7};
};

template <class B, class D>
std::pair<std::vector<double>, double> run(const D& denoiser, const fixture& f, std::uint64_t iteration) {
  const auto loss = device<B>(f.loss), positive = device<B>(f.positive), prediction = device<B>(f.prediction);
  no_model model;
  denoise::data::pair_batch<B> input;
  const std::vector<denoise::index_t> users(f.item.size(), 0), anchors{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  B::from_host(users, input.users);
  B::from_host(f.item, input.items);
  typename B::index_vector anchor;
  B::from_host(anchors, anchor);
  const denoise::train::batch_context<B, no_model, denoise::data::pair_batch<B>> ctx{
      loss,
      prediction,
      positive,
      loss,
      denoise::span<const denoise::offset_t>(f.instance),
      denoise::span<const denoise::index_t>(f.item),
      denoise::losses::layout{10, 1},
      0,
      iteration,
      model,
      input,
      positive,
      anchor};
  typename D::template State<B> state(denoiser, 1);
  typename B::vector weights;
  const double divisor = static_cast<double>(state.on_batch(ctx, weights));
  return {host<B>(weights), divisor};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denoisers)

BOOST_AUTO_TEST_CASE(linear_schedule_ramps_then_holds) {
  const dd::linear_drop_schedule s(0.2, 1000);
  BOOST_TEST(s.rate(0) == 0.0);
  BOOST_TEST(s.rate(500) == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s.rate(1000) == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s.rate(50000) == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(dd::linear_drop_schedule(0.1, 0).rate(0) == 0.1);
  BOOST_CHECK_THROW(dd::linear_drop_schedule(1.0, 10), denoise::config_error);
  BOOST_CHECK_THROW(dd::linear_drop_schedule(-0.1, 10), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(exponential_schedule_saturates) {
  const dd::exponential_drop_schedule s(0.2, 100.0);
  BOOST_TEST(s.rate(0) == 0.0);
  BOOST_TEST(s.rate(100) == 0.2 * (1 - std::exp(-1.0)), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s.rate(100000) == 0.2, boost::test_tools::tolerance(1e-9));
  BOOST_CHECK_THROW(dd::exponential_drop_schedule(0.1, 0.0), denoise::config_error);
}

DENOISE_TYPED_TEST(truncated_loss_drops_the_largest_positive_losses, backend_list_double) {
  using B = TestType;
  const fixture f;
  // Rate 0.3 of 10 samples: drop 3 positives, the ones with losses 2.5, 1.7 and 0.9 (positions 4, 8, 0);
  // negatives (losses up to 9.0) are never dropped.
  const dd::TruncatedLoss<dd::linear_drop_schedule> tce(dd::linear_drop_schedule(0.3, 0));
  const auto [w, divisor] = run<B>(tce, f, 7);
  const std::vector<double> expected{0, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  BOOST_TEST(w == expected, boost::test_tools::per_element());
  BOOST_TEST(divisor == 7.0);
}

DENOISE_TYPED_TEST(truncated_loss_never_drops_negatives, backend_list_double) {
  using B = TestType;
  fixture f;
  f.positive = {0, 0, 1, 0, 0, 0, 0, 0, 1, 0};  // two positives, drop count 9 at rate 0.9
  const dd::TruncatedLoss<dd::linear_drop_schedule> tce(dd::linear_drop_schedule(0.9, 0));
  const auto [w, divisor] = run<B>(tce, f, 0);
  const std::vector<double> expected{1, 1, 0, 1, 1, 1, 1, 1, 0, 1};
  BOOST_TEST(w == expected, boost::test_tools::per_element());
  BOOST_TEST(divisor == 8.0);
}

DENOISE_TYPED_TEST(truncated_loss_follows_the_schedule, backend_list_double) {
  using B = TestType;
  const fixture f;
  const dd::TruncatedLoss<> tce(dd::linear_drop_schedule(0.2, 100));
  BOOST_TEST(run<B>(tce, f, 0).second == 10.0);   // rate 0: nothing dropped
  BOOST_TEST(run<B>(tce, f, 50).second == 9.0);   // rate 0.1: one
  BOOST_TEST(run<B>(tce, f, 100).second == 8.0);  // rate 0.2: two
}

DENOISE_TYPED_TEST(reweighted_loss_uses_prediction_to_the_beta, backend_list_double) {
  using B = TestType;
  const fixture f;
  const auto [w, divisor] = run<B>(dd::ReweightedLoss(0.25), f, 0);
  BOOST_TEST(divisor == 10.0);
  // By hand: positives ŷ^0.25, negatives (1 − ŷ)^0.25 — 0.9^¼, 0.8^¼, 0.5^¼, 0.3^¼, 0.1^¼,
  // 0.95^¼, 0.99^¼, 0.7^¼, 0.6^¼, 0.5^¼ (9 digits, from a calculator).
  const std::vector<double> expected{0.974003746, 0.945741609, 0.840896415, 0.740082804, 0.562341325,
                                     0.987258545, 0.997490570, 0.914691219, 0.880111737, 0.840896415};
  BOOST_TEST_REQUIRE(w.size() == expected.size());
  for (std::size_t i = 0; i < w.size(); ++i) BOOST_TEST(w[i] == expected[i], boost::test_tools::tolerance(1e-8));
  const auto plain = run<B>(dd::ReweightedLoss(0.0), f, 0).first;
  for (double x : plain) BOOST_TEST(x == 1.0);
  BOOST_CHECK_THROW(dd::ReweightedLoss(-1.0), denoise::config_error);
}

DENOISE_TYPED_TEST(inverse_frequency_weights_positives_by_item_rarity, backend_list_double) {
  using B = TestType;
  // Training positives: item 0 once, item 1 three times, item 2 twice -> mean count 2.
  const std::vector<denoise::index_t> items{0, 1, 1, 1, 2, 2, 3};
  const std::vector<float> labels{1, 1, 1, 1, 1, 1, 0};
  const dd::InverseFrequency inv(items, labels, 8);
  BOOST_TEST(inv.item_weight(0) == 2.0f);
  BOOST_TEST(inv.item_weight(1) == 2.0f / 3.0f);
  BOOST_TEST(inv.item_weight(2) == 1.0f);
  BOOST_TEST(inv.item_weight(3) == 1.0f);  // no positives: neutral
  const fixture f;
  const auto [w, divisor] = run<B>(inv, f, 0);
  BOOST_TEST(divisor == 10.0);
  // Positives at 0, 2, 4, 6, 8 have items 0, 1, 2, 1, 1; negatives keep 1.
  const std::vector<double> expected{2.0, 1, 2.0 / 3.0, 1, 1.0, 1, 2.0 / 3.0, 1, 2.0 / 3.0, 1};
  BOOST_TEST(w == expected, boost::test_tools::tolerance(1e-6) << boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
