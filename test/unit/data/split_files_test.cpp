// Three-file splits (SGDL's `user \t item \t flag` format and the generic pair lists): loading,
// every named error, BOM/CRLF acceptance, the unseen-id policies, and SGDL's evaluation protocol
// (holdout targets and the ranking metrics on hand-computed values).
#include <denoise/data/split_files.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/metrics/ranking_evaluator.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "temp_files.hpp"

namespace dd = denoise::data;
namespace dm = denoise::metrics;
using denoise::index_t;
using denoise::offset_t;

namespace {

const std::string ok_train = "0\t1\t1\n0\t2\t0\n1\t1\t1\n1\t3\t1\n";
const std::string ok_valid = "0\t3\t1\n1\t2\t0\n";
const std::string ok_test = "0\t4\t1\n1\t4\t1\n";

/// Writes the three files (train, valid, test) into `dir` and loads them.
dd::Split load3(const denoise::test::temp_dir& dir, const std::string& train, const std::string& valid,
                const std::string& test, const dd::SplitFileOptions& opt = {}, dd::SplitFileReport* rep = nullptr) {
  return dd::load_split_files(dir.write("d.train.rating", train), dir.write("d.valid.rating", valid),
                              dir.write("d.test.negative", test), opt, rep);
}

/// Loads the three files and checks the input_error's file (by name), line, field and reason.
void expect_bad(const std::string& train, const std::string& valid, const std::string& test,
                const std::string& file, std::size_t line, const std::string& field,
                const std::string& reason_part, const dd::SplitFileOptions& opt = {}) {
  denoise::test::temp_dir dir;
  try {
    load3(dir, train, valid, test, opt);
    BOOST_ERROR("no error for: " << train << " | " << valid << " | " << test);
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == dir.file(file));
    BOOST_TEST(e.line() == line);
    BOOST_TEST(e.field() == field);
    BOOST_TEST(e.reason().find(reason_part) != std::string::npos, e.reason() << " lacks " << reason_part);
    const std::string what = e.what();
    BOOST_TEST(what.find(file) != std::string::npos, what);
  }
}

std::vector<std::int64_t> raw_items(const dd::Interactions& d) {
  std::vector<std::int64_t> out;
  for (index_t i : d.items()) out.push_back(d.item_ids().raw_of(i));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_split_files)

BOOST_AUTO_TEST_CASE(loads_three_files_with_one_id_space) {
  denoise::test::temp_dir dir;
  dd::SplitFileReport rep;
  const auto s = load3(dir, ok_train, ok_valid, ok_test, {}, &rep);
  BOOST_TEST(s.train.size() == 4u);
  BOOST_TEST(s.validation.size() == 2u);
  BOOST_TEST(s.test.size() == 2u);
  // One pair of id maps for the three parts; dense indices in order of first appearance.
  BOOST_TEST((s.train.shared_user_ids() == s.validation.shared_user_ids()));
  BOOST_TEST((s.train.shared_item_ids() == s.test.shared_item_ids()));
  BOOST_TEST(s.train.n_users() == 2);
  BOOST_TEST(s.train.n_items() == 4);  // items 1, 2, 3 from train, 4 first seen in test
  BOOST_TEST(s.test.item_ids().raw_of(3) == 4);
  BOOST_TEST((raw_items(s.train) == std::vector<std::int64_t>{1, 2, 1, 3}));
  // Flag 0 = noisy ground truth; every row is a positive.
  BOOST_TEST((std::vector<std::uint8_t>(s.train.noisy().begin(), s.train.noisy().end()) ==
              std::vector<std::uint8_t>{0, 1, 0, 0}));
  BOOST_TEST(s.validation.noisy()[1] == 1);
  for (float l : s.test.labels()) BOOST_TEST(l == 1.0f);
  // Instance ids run over train, validation, test.
  BOOST_TEST(s.validation.instances()[0] == 4);
  BOOST_TEST(s.test.instances()[1] == 7);
  BOOST_TEST(rep.train.records == 4u);
  BOOST_TEST(rep.noisy_train == 1u);
  BOOST_TEST(rep.noisy_validation == 1u);
  BOOST_TEST(rep.noisy_test == 0u);
  // Item 4 is not in train: kept (SGDL's behaviour) and counted.
  BOOST_TEST(s.report.cold_validation == 0u);
  BOOST_TEST(s.report.cold_test == 2u);
  BOOST_TEST(s.report.dropped.empty());
}

BOOST_AUTO_TEST_CASE(pairs_without_flag_are_clean) {
  denoise::test::temp_dir dir;
  const auto s = load3(dir, "5 7\n6 7\n", "5 8\n", "6 8\n", [] {
    dd::SplitFileOptions o;
    o.blanks = true;
    return o;
  }());
  BOOST_TEST(s.train.size() == 2u);
  for (auto f : s.train.noisy()) BOOST_TEST(f == 0);
  BOOST_TEST(s.train.user_ids().raw_of(0) == 5);
  dd::SplitFileOptions absent;
  absent.flag = dd::FlagColumn::absent;
  const auto t = load3(dir, "5\t7\n", "5\t8\n", "5\t9\n", absent);
  BOOST_TEST(t.test.size() == 1u);
  expect_bad("5\t7\t1\n", "5\t8\n", "5\t9\n", "d.train.rating", 1, "column 3", "wrong field count", absent);
}

BOOST_AUTO_TEST_CASE(bom_and_crlf_are_accepted) {
  denoise::test::temp_dir plain_dir, dir;
  const auto plain = load3(plain_dir, ok_train, ok_valid, ok_test);
  auto crlf = [](std::string s) {
    std::string out;
    for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
  };
  const std::string bom = "\xEF\xBB\xBF";
  const auto s = load3(dir, bom + crlf(ok_train), bom + ok_valid, crlf(ok_test) + "\r\n");
  BOOST_TEST((s.train == plain.train));
  BOOST_TEST((s.validation == plain.validation));
  BOOST_TEST((s.test == plain.test));
  // A BOM anywhere but at the start of the file is not accepted.
  expect_bad(ok_train + bom + "1\t1\t1\n", ok_valid, ok_test, "d.train.rating", 5, "user", "not an integer");
}

BOOST_AUTO_TEST_CASE(malformed_lines_name_file_line_and_field) {
  expect_bad("0\t1\t1\n0\t2\n", ok_valid, ok_test, "d.train.rating", 2, "flag", "wrong field count");
  expect_bad(ok_train, "0\t3\t1\n0\t3\t1\t7\n", ok_test, "d.valid.rating", 2, "column 4", "wrong field count");
  expect_bad(ok_train, ok_valid, "0\n", "d.test.negative", 1, "item", "expected 2 or 3 fields");
  expect_bad(ok_train, ok_valid, "0\t1\t1\t1\n", "d.test.negative", 1, "column 4", "expected 2 or 3 fields");
  expect_bad("0\t1\t1\nx\t2\t1\n", ok_valid, ok_test, "d.train.rating", 2, "user", "not an integer");
  expect_bad(ok_train, "0\t2.5\t1\n", ok_test, "d.valid.rating", 1, "item", "not an integer");
  expect_bad(ok_train, ok_valid, "0\t1\t1\n\n-3\t1\t1\n", "d.test.negative", 3, "user", "negative id");
  expect_bad(ok_train, ok_valid, "0\t\t1\n", "d.test.negative", 1, "item", "empty field");
  expect_bad("0\t99999999999999999999\t1\n", ok_valid, ok_test, "d.train.rating", 1, "item", "out of range");
  dd::SplitFileOptions required;
  required.flag = dd::FlagColumn::required;
  expect_bad("0\t1\n", ok_valid, ok_test, "d.train.rating", 1, "flag", "wrong field count", required);
}

BOOST_AUTO_TEST_CASE(flag_must_be_0_or_1) {
  expect_bad("0\t1\t2\n", ok_valid, ok_test, "d.train.rating", 1, "flag", "flag must be 0 (noisy) or 1 (clean)");
  expect_bad(ok_train, "0\t3\t1\n1\t2\t-1\n", ok_test, "d.valid.rating", 2, "flag", "got -1");
  expect_bad(ok_train, ok_valid, "0\t4\tyes\n", "d.test.negative", 1, "flag", "not an integer");
  expect_bad(ok_train, ok_valid, "0\t4\t0.5\n", "d.test.negative", 1, "flag", "not an integer");
}

BOOST_AUTO_TEST_CASE(missing_and_empty_files) {
  denoise::test::temp_dir dir;
  const auto train = dir.write("t", ok_train);
  const auto valid = dir.write("v", ok_valid);
  try {
    dd::load_split_files(train, valid, dir.file("absent"));
    BOOST_ERROR("no error for a missing file");
  } catch (const denoise::io_error& e) {
    BOOST_TEST(e.file() == dir.file("absent"));
    BOOST_TEST(e.reason().find("cannot open") != std::string::npos);
  }
  expect_bad(ok_train, "", ok_test, "d.valid.rating", 0, "", "empty file: no records");
  expect_bad("\n  \n\r\n", ok_valid, ok_test, "d.train.rating", 0, "", "empty file: no records");
  expect_bad(ok_train, ok_valid, "\xEF\xBB\xBF", "d.test.negative", 0, "", "empty file: no records");
}

BOOST_AUTO_TEST_CASE(unseen_ids_keep_drop_or_error) {
  const std::string valid = "0\t3\t1\n7\t1\t1\n0\t9\t0\n";  // user 7 and item 9 are not in train
  denoise::test::temp_dir dir;
  const auto kept = load3(dir, ok_train, valid, ok_test);
  BOOST_TEST(kept.validation.size() == 3u);
  BOOST_TEST(kept.report.cold_validation == 2u);
  BOOST_TEST(kept.train.n_users() == 3);

  dd::SplitFileOptions drop;
  drop.unseen = dd::UnseenIds::drop;
  const auto dropped = load3(dir, ok_train, valid, ok_test, drop);
  BOOST_TEST(dropped.validation.size() == 1u);
  BOOST_TEST(dropped.test.size() == 0u);  // item 4 of the test file is not in train either
  BOOST_TEST(dropped.report.cold_validation == 2u);
  BOOST_TEST(dropped.report.cold_test == 2u);
  BOOST_TEST((dropped.report.dropped == std::vector<offset_t>{5, 6, 7, 8}));
  BOOST_TEST(dropped.train.n_users() == 2);  // dropped ids get no index
  BOOST_TEST(dropped.train.n_items() == 3);

  dd::SplitFileOptions error;
  error.unseen = dd::UnseenIds::error;
  expect_bad(ok_train, valid, ok_test, "d.valid.rating", 2, "user", "user 7 never appears in the training file", error);
  expect_bad(ok_train, "0\t3\t1\n0\t9\t0\n", ok_test, "d.valid.rating", 2, "item", "item 9 never appears", error);
  expect_bad(ok_train, ok_valid, ok_test, "d.test.negative", 1, "item", "item 4 never appears", error);
}

BOOST_AUTO_TEST_CASE(raw_layout_keeps_ids_as_indices) {
  denoise::test::temp_dir dir;
  dd::SplitFileOptions raw;
  raw.ids = dd::IdLayout::raw;
  const auto s = load3(dir, ok_train, ok_valid, "0\t4\t1\n1\t9\t1\n", raw);
  BOOST_TEST(s.train.n_users() == 2);
  BOOST_TEST(s.train.n_items() == 10);  // 0..9, as SGDL sizes its tables
  for (std::size_t k = 0; k < s.train.size(); ++k)
    BOOST_TEST(s.train.item_ids().raw_of(s.train.items()[k]) == s.train.items()[k]);
  BOOST_TEST(s.test.items()[1] == 9);
  BOOST_TEST(s.report.cold_test == 2u);  // items 4 and 9 are in the id space but not in train
  raw.raw_id_limit = 5;
  expect_bad(ok_train, ok_valid, "0\t4\t1\n1\t9\t1\n", "d.test.negative", 2, "item", "above the raw layout", raw);
}

BOOST_AUTO_TEST_CASE(sgdl_folder_naming) {
  denoise::test::temp_dir dir;
  load3(dir, ok_train, ok_valid, ok_test);
  const auto s = dd::load_sgdl_split(dir.path());
  BOOST_TEST(s.train.size() == 4u);
  const auto named = dd::load_sgdl_split(dir.path(), "d");
  BOOST_TEST((named.test == s.test));
  BOOST_CHECK_THROW(dd::load_sgdl_split(dir.path(), "other"), denoise::io_error);
  denoise::test::temp_dir empty;
  try {
    dd::load_sgdl_split(empty.path());
    BOOST_ERROR("no error for a folder without a split");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == empty.path());
    BOOST_TEST(e.reason().find("no *.train.rating") != std::string::npos);
  }
  // SGDL's files always carry the flag.
  denoise::test::temp_dir pairs;
  pairs.write("p.train.rating", "0\t1\n");
  pairs.write("p.valid.rating", "0\t1\n");
  pairs.write("p.test.negative", "0\t1\n");
  BOOST_CHECK_THROW(dd::load_sgdl_split(pairs.path()), denoise::input_error);
}

BOOST_AUTO_TEST_CASE(text_loader_matches_file_loader) {
  denoise::test::temp_dir dir;
  const auto files = load3(dir, ok_train, ok_valid, ok_test);
  const auto text = dd::load_split_text(ok_train, ok_valid, ok_test);
  BOOST_TEST((files.train == text.train));
  BOOST_TEST((files.test == text.test));
  try {
    dd::load_split_text(ok_train, "0\t1\t3\n", ok_test);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == "validation");
    BOOST_TEST(e.field() == "flag");
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- SGDL's protocol ---------------------------------------------------------------------------

namespace {

// Raw ids = indices (0..29). User 0: train {0, 1}, valid {2, 3 (noisy)}, test {4, 10, 25}.
// User 1: train {0, 5}, valid {1}, test {2} (fewer test items than K). User 2: train only.
dd::Split protocol_split() {
  dd::SplitFileOptions raw;
  raw.ids = dd::IdLayout::raw;
  return dd::load_split_text("0\t0\t1\n0\t1\t1\n1\t0\t1\n1\t5\t1\n2\t29\t1\n", "0\t2\t1\n0\t3\t0\n1\t1\t1\n",
                             "0\t4\t1\n0\t10\t1\n0\t25\t1\n1\t2\t1\n", raw);
}

// Every user ranks items by ascending index: score(i) = -i.
void by_index(denoise::span<const index_t> users, denoise::span<float> scores) {
  const std::size_t n = scores.size() / users.size();
  for (std::size_t j = 0; j < users.size(); ++j)
    for (std::size_t i = 0; i < n; ++i) scores[j * n + i] = -static_cast<float>(i);
}

std::vector<index_t> row(denoise::csr_view v, std::size_t r) {
  const auto x = v.row(r);
  return std::vector<index_t>(x.begin(), x.end());
}

double d(int rank) { return 1.0 / std::log2(rank + 2.0); }  // discount of 0-based rank

}  // namespace

BOOST_AUTO_TEST_SUITE(data_sgdl_protocol)

BOOST_AUTO_TEST_CASE(test_target_excludes_train_and_validation) {
  const auto s = protocol_split();
  const auto v = dm::holdout_target::validation(s);
  const auto t = dm::holdout_target::test(s);
  BOOST_TEST(v.n_items() == 30);
  BOOST_TEST((row(v.exclude(), 0) == std::vector<index_t>{0, 1}));
  BOOST_TEST((row(v.relevant(), 0) == std::vector<index_t>{2, 3}));  // noisy item 3 counts
  BOOST_TEST((row(t.exclude(), 0) == std::vector<index_t>{0, 1, 2, 3}));
  BOOST_TEST((row(t.exclude(), 1) == std::vector<index_t>{0, 1, 5}));
  BOOST_TEST((row(t.relevant(), 0) == std::vector<index_t>{4, 10, 25}));
  BOOST_TEST(t.users_evaluated() == 2u);
  const auto clean = dm::holdout_target::validation(s, dm::relevance::clean_only);
  BOOST_TEST((row(clean.relevant(), 0) == std::vector<index_t>{2}));
  const denoise::train::ranking_target rt = t.target();
  BOOST_TEST(rt.exclude.nnz() == t.exclude().nnz());
  BOOST_TEST(rt.relevant.rows() == 3u);
  // Parts of different splits cannot be mixed.
  const auto other = protocol_split();
  BOOST_CHECK_THROW(dm::holdout_target::build({&s.train}, other.test), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(test_metrics_hand_computed) {
  const auto s = protocol_split();
  const auto t = dm::holdout_target::test(s);
  dm::ranking_options opt;
  opt.ks = {5, 20};
  const auto r = dm::evaluate_ranking(by_index, t.n_items(), t.exclude(), t.relevant(), opt);
  BOOST_TEST(r.users_evaluated == 2u);
  // User 0 ranks 4 5 6 7 8 9 10 ... (0-3 excluded): hits at ranks 0 (item 4) and 6 (item 10).
  // IDCG over min(K, 3) = 3 ranks. User 1 ranks 2 3 4 6 ...: its one test item at rank 0.
  const double idcg0 = d(0) + d(1) + d(2);
  const auto& at5 = r.at_k(5);
  BOOST_TEST(at5.recall == (1.0 / 3 + 1.0) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at5.precision == (1.0 / 5 + 1.0 / 5) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at5.ndcg == (d(0) / idcg0 + 1.0) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at5.ndcg == (1.0 / 2.1309297535714574 + 1.0) / 2, boost::test_tools::tolerance(1e-9));
  const auto& at20 = r.at_k(20);
  BOOST_TEST(at20.recall == (2.0 / 3 + 1.0) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at20.precision == (2.0 / 20 + 1.0 / 20) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at20.ndcg == ((d(0) + d(6)) / idcg0 + 1.0) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(at20.ndcg == ((1.0 + 1.0 / 3.0) / 2.1309297535714574 + 1.0) / 2, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(validation_metrics_hand_computed) {
  const auto s = protocol_split();
  dm::ranking_options opt;
  opt.ks = {5, 20};
  // Noisy valid split: user 0 ranks 2 3 4 ... with relevant {2, 3}; user 1 ranks 1 2 3 ... with {1}.
  const auto v = dm::holdout_target::validation(s);
  const auto r = dm::evaluate_ranking(by_index, v.n_items(), v.exclude(), v.relevant(), opt);
  BOOST_TEST(r.users_evaluated == 2u);
  BOOST_TEST(r.at_k(5).recall == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.at_k(5).precision == (2.0 / 5 + 1.0 / 5) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.at_k(20).ndcg == 1.0, boost::test_tools::tolerance(1e-12));
  // Clean only: user 0's relevant set is {2}; user 1's {1}.
  const auto c = dm::holdout_target::validation(s, dm::relevance::clean_only);
  const auto rc = dm::evaluate_ranking(by_index, c.n_items(), c.exclude(), c.relevant(), opt);
  BOOST_TEST(rc.at_k(5).precision == 1.0 / 5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(rc.at_k(20).precision == 1.0 / 20, boost::test_tools::tolerance(1e-12));
  // Scores that put a validation item first change nothing at test time (it is excluded).
  const auto t = dm::holdout_target::test(s);
  auto valid_first = [](denoise::span<const index_t> users, denoise::span<float> scores) {
    by_index(users, scores);
    const std::size_t n = scores.size() / users.size();
    for (std::size_t j = 0; j < users.size(); ++j) scores[j * n + (users[j] == 0 ? 3 : 1)] = 100.0f;
  };
  const auto a = dm::evaluate_ranking(by_index, t.n_items(), t.exclude(), t.relevant(), opt);
  const auto b = dm::evaluate_ranking(valid_first, t.n_items(), t.exclude(), t.relevant(), opt);
  BOOST_TEST(a.at_k(5).ndcg == b.at_k(5).ndcg);
  BOOST_TEST(a.at_k(20).recall == b.at_k(20).recall);
}

BOOST_AUTO_TEST_SUITE_END()
