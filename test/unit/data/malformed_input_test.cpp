// Every kind of bad input is a denoise::error naming the exact file, line and column.
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/movielens.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

#include "temp_files.hpp"

namespace dd = denoise::data;

namespace {

/// Loads `content` as u.data and checks the input_error's file, line and field.
void expect_bad_udata(const std::string& content, std::size_t line, const std::string& field,
                      const std::string& reason_part) {
  denoise::test::temp_dir dir;
  const auto path = dir.write("u.data", content);
  try {
    dd::load_movielens_100k(path);
    BOOST_ERROR("no error for: " + content);
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == path);
    BOOST_TEST(e.line() == line);
    BOOST_TEST(e.field() == field);
    BOOST_TEST(e.reason().find(reason_part) != std::string::npos, e.reason() << " lacks " << reason_part);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_malformed_input)

BOOST_AUTO_TEST_CASE(wrong_field_count) {
  expect_bad_udata("1\t2\t3\t4\n1\t2\t3\n", 2, "timestamp", "wrong field count");
  expect_bad_udata("1\t2\t3\t4\n1\t2\t3\t4\t5\n", 2, "column 5", "wrong field count");
  expect_bad_udata("1\n", 1, "item", "wrong field count");
}

BOOST_AUTO_TEST_CASE(non_numbers) {
  expect_bad_udata("1\t2\t3\t4\nx\t2\t3\t4\n", 2, "user", "not an integer");
  expect_bad_udata("1\t2\t3\t4\n1\t2x\t3\t4\n", 2, "item", "not an integer");
  expect_bad_udata("1\t2\tfive\t4\n", 1, "rating", "not a number");
  expect_bad_udata("1\t2\t3\t4.5\n", 1, "timestamp", "not an integer");
  expect_bad_udata("1\t\t3\t4\n", 1, "item", "empty field");
}

BOOST_AUTO_TEST_CASE(negative_and_overflowing_ids) {
  expect_bad_udata("1\t2\t3\t4\n2\t3\t3\t4\n-5\t2\t3\t4\n", 3, "user", "negative id");
  expect_bad_udata("1\t99999999999999999999\t3\t4\n", 1, "item", "out of range");
  expect_bad_udata("1\t2\t3\t4\n1\t2\t1e999\t4\n", 2, "rating", "out of range");
}

BOOST_AUTO_TEST_CASE(nan_and_infinity) {
  expect_bad_udata("1\t2\tnan\t4\n", 1, "rating", "NaN");
  expect_bad_udata("1\t2\t3\t4\n1\t2\tNaN\t4\n", 2, "rating", "NaN");
  expect_bad_udata("1\t2\tinf\t4\n", 1, "rating", "infinity");
}

BOOST_AUTO_TEST_CASE(empty_file_and_only_blank_lines) {
  denoise::test::temp_dir dir;
  for (const std::string& content : {std::string(), std::string("\n\n  \n")}) {
    const auto path = dir.write("empty.data", content);
    try {
      dd::load_movielens_100k(path);
      BOOST_ERROR("no error for an empty file");
    } catch (const denoise::input_error& e) {
      BOOST_TEST(e.file() == path);
      BOOST_TEST(e.reason().find("empty file") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(unreadable_path) {
  denoise::test::temp_dir dir;
  const auto path = dir.file("does/not/exist.data");
  try {
    dd::load_movielens_100k(path);
    BOOST_ERROR("no error for a missing file");
  } catch (const denoise::io_error& e) {
    BOOST_TEST(e.file() == path);
  }
  // A directory is not a readable data file either; the message says why.
  try {
    dd::load_movielens_100k(dir.path());
    BOOST_ERROR("no error for a directory");
  } catch (const denoise::io_error& e) {
    BOOST_TEST(e.file() == dir.path());
    BOOST_TEST(e.reason().find("directory") != std::string::npos, e.reason());
  }
}

BOOST_AUTO_TEST_CASE(skip_bad_lines_counts_them) {
  denoise::test::temp_dir dir;
  const auto path = dir.write("u.data", "1\t2\t3\t4\nx\t2\t3\t4\n1\t3\tnan\t4\n1\t4\t3\n2\t2\t5\t9\n");
  dd::LoadReport report;
  const auto d = dd::load_movielens_100k(path, &report, /*skip_bad_lines=*/true);
  BOOST_TEST(d.size() == 2u);
  BOOST_TEST(report.skipped == 3u);
  BOOST_TEST(report.records == 2u);
  BOOST_TEST(report.first_errors.size() == 3u);
  BOOST_TEST(report.first_errors[0].find(":2: field 'user'") != std::string::npos);
  // The skipped lines left no trace in the id maps.
  BOOST_TEST(d.n_items() == 1);
  // All lines bad: still an error (nothing was loaded).
  const auto all_bad = dir.write("bad.data", "x\t1\t1\t1\n");
  BOOST_CHECK_THROW(dd::load_movielens_100k(all_bad, nullptr, true), denoise::input_error);
}

BOOST_AUTO_TEST_CASE(header_and_mapping_errors) {
  dd::ColumnMapping map;
  map.user = dd::Column::named("userId");
  dd::ReadOptions opt;
  opt.header = true;
  try {
    dd::read_delimited_text("uid,item\n1,2\n", "mem.csv", map, opt);
    BOOST_ERROR("no error for a missing named column");
  } catch (const denoise::config_error& e) {
    BOOST_TEST(e.file() == "mem.csv");
    BOOST_TEST(e.line() == 1u);
    BOOST_TEST(e.field() == "user");
  }
  dd::ColumnMapping feat;
  feat.features.emplace_back("city", dd::Column::at(2));
  try {
    dd::read_delimited_text("1,2,a\n1,2\n", "mem.csv", feat);
    BOOST_ERROR("no error for a missing feature column");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(e.field() == "city");
  }
}

BOOST_AUTO_TEST_CASE(side_files_and_pair_lists) {
  denoise::test::temp_dir dir;
  const auto users = dir.write("u.user", "1|24|M|technician|85711\n2|old|F|other|1\n");
  try {
    dd::load_movielens_100k_users(users);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == users);
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(e.field() == "age");
  }
  const auto list = dir.write("train.txt", "1 2 3\n1 2\n");
  try {
    dd::load_pair_list(list);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(e.field() == "rating");
  }
  BOOST_CHECK_THROW(dd::load_pair_list(dir.write("one.txt", "1\n")), denoise::input_error);
}

BOOST_AUTO_TEST_CASE(exchange_files) {
  denoise::test::temp_dir dir;
  const auto p = dir.write("x.csv",
                           "# denoise-interactions v1 n_users=2 n_items=2 fields=\n"
                           "instance,user,item,user_raw,item_raw,label,rating,timestamp,noisy\n"
                           "0,0,0,5,6,1,4,0,0\n"
                           "1,2,0,7,6,1,4,0,0\n");
  try {
    dd::read_csv(p);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.line() == 4u);
    BOOST_TEST(e.field() == "user");
  }
  const auto q = dir.write("s.csv", "instance\n1\n-2\n");
  try {
    dd::read_subset_csv(q);
    BOOST_ERROR("no error");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.line() == 3u);
    BOOST_TEST(e.field() == "instance");
  }
  BOOST_CHECK_THROW(dd::read_csv(dir.write("plain.csv", "a,b\n")), denoise::input_error);
}

BOOST_AUTO_TEST_SUITE_END()
