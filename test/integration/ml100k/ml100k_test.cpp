// GMF on MovieLens-100K with SGDL's protocol (random 8:1:1, noisy = rating < 3, clean validation
// and test, all items ranked except training positives), through the same run-time layer as the
// CLI. The thresholds sit well below what a 6-epoch run reaches (R@20 ≈ 0.29, N@20 ≈ 0.23) and
// far above a popularity-free random ranking (R@20 ≈ 0.012).
#include "support/data_dir.hpp"

#include <denoise/runtime/runtime.hpp>

#include <boost/test/unit_test.hpp>

namespace dr = denoise::runtime;

using denoise::test::require_data_dir;
BOOST_TEST_GLOBAL_FIXTURE(require_data_dir);

BOOST_AUTO_TEST_SUITE(ml100k)

BOOST_AUTO_TEST_CASE(gmf_reaches_published_range_on_the_clean_test_set) {
  dr::experiment_config c;
  c.data.kind = dr::data_kind::movielens_100k;
  c.data.path = denoise::test::data_dir() + "/ml-100k/u.data";
  c.model = "gmf";
  c.lr = 0.005;
  c.epochs = 6;
  c.negatives = 4;
  c.methods = {"normal"};
  const auto data = dr::prepare_data(c);
  BOOST_TEST(data.split.train.size() == 80000u);
  BOOST_TEST(data.n_users() == 943);
  BOOST_TEST(data.n_items() == 1682);
  // The clean test set has no noisy interaction left.
  for (std::size_t k = 0; k < data.test_clean.size(); ++k) BOOST_REQUIRE(data.test_clean.noisy()[k] == 0);

  const auto run = dr::run_method(c, data, "normal", 1);
  const double recall = dr::metric_of(run.test, "recall@20"), ndcg = dr::metric_of(run.test, "ndcg@20");
  BOOST_TEST_MESSAGE("GMF ml-100k: recall@20 " << recall << ", ndcg@20 " << ndcg << " (best epoch "
                                               << run.fit.best_epoch << ")");
  BOOST_TEST(recall > 0.25);
  BOOST_TEST(ndcg > 0.18);
}

BOOST_AUTO_TEST_CASE(a_drop_rate_that_drops_every_positive_is_refused) {
  dr::experiment_config c;
  c.negatives = 4;
  c.max_drop_rate = 0.2;
  try {
    c.validate();
    BOOST_FAIL("expected a config_error");
  } catch (const denoise::config_error& e) {
    BOOST_TEST(e.field() == "--drop-rate");
  }
}

BOOST_AUTO_TEST_SUITE_END()
