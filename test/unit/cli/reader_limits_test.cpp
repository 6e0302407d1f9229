// The readers' input rules that issue 18 found missing (data/detail/line_reader.hpp): a UTF-8
// byte-order mark is skipped, so the first field or header name stays intact; a line longer than
// the limit is an input_error naming the file and line, so a file without line breaks fails fast.
#include <boost/test/unit_test.hpp>

#include <denoise/core/error.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/detail/line_reader.hpp>

#include <string>
#include <string_view>
#include <sys/stat.h>

namespace dd = denoise::data;

BOOST_AUTO_TEST_SUITE(data_reader_limits)

BOOST_AUTO_TEST_CASE(a_byte_order_mark_does_not_stick_to_the_first_field) {
  const auto plain = dd::read_delimited_text("\xEF\xBB\xBF" "7,3\n8,4\n", "bom.csv");
  BOOST_TEST(plain.size() == 2u);
  BOOST_TEST(plain.user_ids().raw_of(plain.users()[0]) == 7);

  dd::ColumnMapping named;
  named.user = dd::Column::named("user");
  named.item = dd::Column::named("item");
  dd::ReadOptions header;
  header.header = true;
  const auto with_header = dd::read_delimited_text("\xEF\xBB\xBF" "user,item\n7,3\n", "bom.csv", named, header);
  BOOST_TEST(with_header.item_ids().raw_of(with_header.items()[0]) == 3);
  // Only at the start of the input: elsewhere the bytes are data (here: not an integer).
  BOOST_CHECK_THROW(dd::read_delimited_text("7,3\n\xEF\xBB\xBF" "8,4\n", "bom.csv"), denoise::input_error);
}

BOOST_AUTO_TEST_CASE(a_line_over_the_limit_is_an_error_naming_file_and_line) {
  dd::detail::line_reader in(std::string_view("short\nthis line is too long\n"), "mem");
  in.set_max_line_length(10);
  std::string_view line;
  BOOST_TEST(in.next(line));
  BOOST_TEST(line == "short");
  try {
    in.next(line);
    BOOST_ERROR("a 21-byte line passed a 10-byte limit");
  } catch (const denoise::input_error& e) {
    BOOST_TEST(e.file() == "mem");
    BOOST_TEST(e.line() == 2u);
  }
}

BOOST_AUTO_TEST_CASE(a_file_without_line_breaks_fails_fast) {
  struct stat info {};
  if (::stat("/dev/zero", &info) != 0) return;  // not a Unix-like system
  // Stops after reading at most twice the limit (32 MiB), instead of growing to the memory's end.
  BOOST_CHECK_THROW(dd::read_delimited("/dev/zero"), denoise::input_error);
}

BOOST_AUTO_TEST_SUITE_END()
