// --data split:DIR on SGDL's own split of MovieLens-100K (../shared/data/sgdl-ml100k): the three
// files are read as they are, validation ranks every item but the training items and counts the
// noisy validation rows as relevant, test excludes training and validation items, the cut-offs are
// SGDL's 5 and 20 with precision reported, and early stopping tests the best validation epoch.
#include "support/data_dir.hpp"

#include "cli/harness/experiment.hpp"
#include "cli/pairs/prepared_data.hpp"
#include "cli/harness/report.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace dc = denoise_cli;

using denoise::test::require_data_dir;
BOOST_TEST_GLOBAL_FIXTURE(require_data_dir);

namespace {

dc::experiment experiment_of(std::vector<std::string> args) {
  const std::string data = "split:" + denoise::test::data_dir() + "/sgdl-ml100k";
  args.insert(args.begin(), {"denoise", "--data", data});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(&a[0]);
  return dc::parse_experiment(dc::read_flags(static_cast<int>(argv.size()), argv.data()));
}

bool contains(const denoise::csr_view& rows, std::size_t user, denoise::index_t item) {
  const auto row = rows.row(user);
  return std::binary_search(row.begin(), row.end(), item);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_split)

BOOST_AUTO_TEST_CASE(the_three_files_are_the_split_with_sgdls_targets) {
  const auto e = experiment_of({"--methods", "normal"});
  BOOST_TEST(e.config.ks == (std::vector<int>{5, 20}));
  BOOST_TEST(e.config.monitor == "ndcg@20");
  BOOST_TEST(e.columns == (std::vector<std::string>{"recall@5", "precision@5", "ndcg@5", "recall@20", "precision@20",
                                                    "ndcg@20", "drop_precision", "drop_recall"}));
  const auto d = dc::prepare_data(e.config);
  // SOURCE.md's counts; item ids are the raw ml-100k ids, 0..1682, as SGDL sizes its tables.
  BOOST_TEST(d.split.train.size() == 66899u);
  BOOST_TEST(d.split.validation.size() == 8652u);
  BOOST_TEST(d.split.test.size() == 7208u);
  BOOST_TEST(d.n_users() == 497);
  BOOST_TEST(d.n_items() == 1683);

  const auto validation = d.validation_target(), test = d.test_target();
  // Validation counts its noisy rows (1,532 of them) as relevant: every validation row is a target.
  std::size_t relevant = 0;
  for (std::size_t u = 0; u < validation.relevant.rows(); ++u) relevant += validation.relevant.row(u).size();
  BOOST_TEST(relevant == 8652u);
  // Test excludes the user's training and validation items; validation only the training items.
  for (std::size_t k = 0; k < d.split.validation.size(); ++k) {
    const auto u = static_cast<std::size_t>(d.split.validation.users()[k]);
    const auto i = d.split.validation.items()[k];
    BOOST_REQUIRE(contains(test.exclude, u, i));
    BOOST_REQUIRE(!contains(validation.exclude, u, i) || contains(d.train_by_user.view(), u, i));
  }
  for (std::size_t k = 0; k < d.split.train.size(); k += 97) {
    const auto u = static_cast<std::size_t>(d.split.train.users()[k]);
    BOOST_REQUIRE(contains(test.exclude, u, d.split.train.items()[k]));
    BOOST_REQUIRE(contains(validation.exclude, u, d.split.train.items()[k]));
  }
}

BOOST_AUTO_TEST_CASE(early_stopping_tests_the_best_validation_epoch) {
  const auto e = experiment_of({"--methods", "normal", "--epochs", "40", "--patience", "2", "--lr", "0.01",
                                "--negatives", "4"});
  const auto d = dc::prepare_data(e.config);
  const auto run = e.task->run(e.config, d, e.method("normal"), "normal", 1);
  const auto& history = run.fit.history;
  BOOST_TEST_MESSAGE("GMF sgdl-ml100k: R@20 " << dc::metric_of(run.test, "recall@20") << " N@20 "
                                             << dc::metric_of(run.test, "ndcg@20") << ", best epoch "
                                             << run.fit.best_epoch << " of " << history.size());
  // Patience 2 stopped the run two epochs after its best one, well before 40.
  BOOST_REQUIRE(history.size() < 40u);
  BOOST_TEST(run.fit.best_epoch + 2 == history.size());
  double best = -1;
  std::size_t best_epoch = 0;
  for (const auto& h : history)
    if (h.value("ndcg@20") > best) best = h.value("ndcg@20"), best_epoch = h.epoch;
  BOOST_TEST(run.fit.best_epoch == best_epoch);
  for (const char* m : {"recall@5", "precision@5", "ndcg@5", "recall@20", "precision@20", "ndcg@20"})
    BOOST_TEST(dc::metric_of(run.test, m) > 0.0, m);
  // Far above a random ranking (R@20 ≈ 20 / 1683 · hits ≈ 0.012) and in the range of SGDL's Table 2
  // (NeuMF R@20 0.27; GMF is weaker); an exact figure is not the point of this test.
  BOOST_TEST(dc::metric_of(run.test, "recall@20") > 0.15);
  BOOST_TEST(dc::metric_of(run.test, "precision@5") > dc::metric_of(run.test, "precision@20"));
}

BOOST_AUTO_TEST_CASE(split_flags_do_not_apply_to_a_given_split) {
  for (const char* flag : {"--ratios", "--split", "--noisy-below"}) {
    const char* value = std::string(flag) == "--split" ? "chrono" : std::string(flag) == "--ratios" ? "8:1:1" : "3";
    try {
      experiment_of({flag, value});
      BOOST_ERROR(flag << " accepted");
    } catch (const denoise::config_error& err) {
      BOOST_TEST(err.field() == flag);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
