// data/duplicates.hpp, the library side of the CLI's --duplicates: each policy on a hand-made file
// whose repeated pairs and expected rows are worked out by hand.
#include <boost/test/unit_test.hpp>

#include <denoise/core/error.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/duplicates.hpp>

#include <string>
#include <vector>

namespace dd = denoise::data;

namespace {

// Pair (1,10) three times (records 1, 3, 5), (2,20) twice (records 2, 6), (3,30) once.
const char* const text =
    "1,10,4,100\n"
    "2,20,1,200\n"
    "1,10,2,300\n"
    "3,30,5,400\n"
    "1,10,1,50\n"
    "2,20,5,500\n";

dd::Interactions load() {
  dd::ColumnMapping map;
  map.rating = dd::Column::at(2);
  map.timestamp = dd::Column::at(3);
  auto data = dd::read_delimited_text(text, "mem.csv", map);
  // Ground-truth flags: (1,10) noisy in two of its three rows, (2,20) in both.
  auto noisy = data.mutable_noisy();
  noisy[0] = noisy[2] = noisy[1] = noisy[5] = 1;
  return data;
}

struct row {
  long long user, item;
  float rating;
  long long time, instance;
  int noisy;
  bool operator==(const row& o) const {
    return user == o.user && item == o.item && rating == o.rating && time == o.time && instance == o.instance &&
           noisy == o.noisy;
  }
};
std::ostream& operator<<(std::ostream& os, const row& r) {
  return os << "(" << r.user << "," << r.item << "," << r.rating << "," << r.time << ",#" << r.instance << ","
            << r.noisy << ")";
}

std::vector<row> rows_of(const dd::Interactions& d) {
  std::vector<row> out;
  for (std::size_t k = 0; k < d.size(); ++k)
    out.push_back({d.user_ids().raw_of(d.users()[k]), d.item_ids().raw_of(d.items()[k]), d.ratings()[k],
                   d.timestamps()[k], d.instances()[k], d.noisy()[k]});
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_duplicates)

BOOST_AUTO_TEST_CASE(error_names_the_file_the_pair_and_its_records) {
  dd::DuplicateReport report;
  try {
    dd::resolve_duplicates(load(), dd::DuplicatePolicy::error, &report, "mem.csv");
    BOOST_ERROR("duplicates accepted");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == "mem.csv");
    BOOST_TEST(e.reason().find("user 1, item 10 at records 1 and 3 (3 repeated rows") != std::string::npos, e.what());
  }
  BOOST_TEST(report.pairs == 2u);
  BOOST_TEST(report.removed == 3u);
}

BOOST_AUTO_TEST_CASE(keep_first_and_keep_last_keep_one_row_in_input_order) {
  dd::DuplicateReport report;
  const auto first = dd::resolve_duplicates(load(), dd::DuplicatePolicy::keep_first, &report);
  BOOST_TEST(report.removed == 3u);
  BOOST_TEST(rows_of(first) == (std::vector<row>{{1, 10, 4, 100, 0, 1}, {2, 20, 1, 200, 1, 1}, {3, 30, 5, 400, 3, 0}}),
             boost::test_tools::per_element());
  const auto last = dd::resolve_duplicates(load(), dd::DuplicatePolicy::keep_last);
  BOOST_TEST(rows_of(last) == (std::vector<row>{{3, 30, 5, 400, 3, 0}, {1, 10, 1, 50, 4, 0}, {2, 20, 5, 500, 5, 1}}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sum_adds_ratings_into_the_first_row) {
  const auto sum = dd::resolve_duplicates(load(), dd::DuplicatePolicy::sum);
  // (1,10): 4 + 2 + 1, latest time 300, noisy only if all were (one was not); (2,20): 1 + 5, both noisy.
  BOOST_TEST(rows_of(sum) == (std::vector<row>{{1, 10, 7, 300, 0, 0}, {2, 20, 6, 500, 1, 1}, {3, 30, 5, 400, 3, 0}}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(data_without_repeats_is_returned_unchanged) {
  const auto data = dd::read_delimited_text("1,10\n1,11\n2,10\n", "mem.csv");
  dd::DuplicateReport report;
  BOOST_TEST((dd::resolve_duplicates(data, dd::DuplicatePolicy::error, &report) == data));
  BOOST_TEST(report.removed == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
