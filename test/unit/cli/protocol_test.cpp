// The CLI refuses to report a number that means nothing: an evaluation set without a single user,
// a cut-off beyond the items, a metric no run reports, a synthetic setting the generator cannot
// honour. Each is a config_error naming the flag, raised before any training.
#include "cli/harness/experiment.hpp"
#include "cli/pairs/prepared_data.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

namespace dc = denoise_cli;

namespace {

dc::flags flags_of(std::initializer_list<std::string> args) {
  static std::vector<std::string> storage;
  storage.assign(args.begin(), args.end());
  std::vector<char*> argv{const_cast<char*>("denoise")};
  for (auto& a : storage) argv.push_back(&a[0]);
  return dc::read_flags(static_cast<int>(argv.size()), argv.data());
}

/// The field of the config_error raised by parsing and preparing the data, or "".
std::string field_of(std::initializer_list<std::string> args) {
  try {
    const auto e = dc::parse_experiment(flags_of(args));
    dc::prepare_data(e.config);
  } catch (const denoise::config_error& err) {
    BOOST_TEST_MESSAGE(err.what());
    return err.field();
  }
  return "";
}

/// A CSV of `user,item,rating` rows in the temp folder.
std::string csv(const std::string& name, const std::vector<std::vector<int>>& rows) {
  const auto path = (std::filesystem::temp_directory_path() / ("denoise_cli_" + name + ".csv")).string();
  std::ofstream out(path);
  for (const auto& r : rows) out << r[0] << ',' << r[1] << ',' << r[2] << '\n';
  return path;
}

/// Every user rates every one of `items` items with `rating`.
std::vector<std::vector<int>> dense(int users, int items, int rating) {
  std::vector<std::vector<int>> rows;
  for (int u = 0; u < users; ++u)
    for (int i = 0; i < items; ++i) rows.push_back({u, i, rating});
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_protocol)

BOOST_AUTO_TEST_CASE(an_empty_evaluation_set_names_the_flag_that_emptied_it) {
  BOOST_TEST(field_of({}).empty());
  BOOST_TEST(field_of({"--ratios", "1:0:0"}) == "--ratios");
  BOOST_TEST(field_of({"--ratios", "1:1:0"}) == "--ratios");
  BOOST_TEST(field_of({"--split", "leave-last", "--leave-last", "1000"}) == "--leave-last");
  // Every rating is below 6: the test rows exist but none is a clean positive.
  const std::string all_noisy = "csv:" + csv("all_noisy", dense(20, 30, 5));
  BOOST_TEST(field_of({"--data", all_noisy}).empty());
  BOOST_TEST(field_of({"--data", all_noisy, "--noisy-below", "6"}) == "--noisy-below");
  // One interaction per user: a user's only row stays in train (leave-last) or its item is cold.
  std::vector<std::vector<int>> single;
  for (int u = 0; u < 50; ++u) single.push_back({u, u, 5});
  BOOST_TEST(field_of({"--data", "csv:" + csv("single", single), "--split", "leave-last"}) == "--leave-last");
  BOOST_TEST(field_of({"--data", "csv:" + csv("single", single)}) == "--ratios");
}

BOOST_AUTO_TEST_CASE(synthetic_settings_are_checked_against_their_flags) {
  BOOST_TEST(field_of({"--synthetic-positives", "inf"}) == "--synthetic-positives");
  BOOST_TEST(field_of({"--synthetic-positives", "1e30"}) == "--synthetic-positives");
  BOOST_TEST(field_of({"--synthetic-positives", "0"}) == "--synthetic-positives");
  BOOST_TEST(field_of({"--synthetic-items", "10", "--synthetic-positives", "11"}) == "--synthetic-positives");
  BOOST_TEST(field_of({"--popularity-skew", "-1"}) == "--popularity-skew");
  BOOST_TEST(field_of({"--noise-appeal", "inf"}) == "--noise-appeal");
  BOOST_TEST(field_of({"--noise-rate", "2"}) == "--noise-rate");
  BOOST_TEST(field_of({"--like-share", "0.9", "--dislike-share", "0.2"}) == "--like-share");
  BOOST_TEST(field_of({"--data", "ml-100k:u.data", "--noise-rate", "0.1"}) == "--noise-rate");
}

BOOST_AUTO_TEST_CASE(metric_columns_must_be_reported_by_some_run) {
  BOOST_TEST(field_of({"--metrics", "recall@10"}) == "--metrics");
  BOOST_TEST(field_of({"--metrics", "auc"}) == "--metrics");
  BOOST_TEST(field_of({"--metrics", "ndcg@20,ndcg@20"}) == "--metrics");
  BOOST_TEST(field_of({"--k", "10", "--metrics", "recall@10,drop_f1"}).empty());
  const auto e = dc::parse_experiment(flags_of({"--k", "5,10"}));
  BOOST_TEST(e.columns ==
             (std::vector<std::string>{"recall@5", "ndcg@5", "recall@10", "ndcg@10", "drop_precision", "drop_recall"}));
}

BOOST_AUTO_TEST_SUITE_END()
