#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/implicit.hpp>
#include <denoise/data/movielens.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

#include "temp_files.hpp"

namespace dd = denoise::data;

BOOST_AUTO_TEST_SUITE(data_reader)

BOOST_AUTO_TEST_CASE(reads_tab_separated_ratings) {
  denoise::test::temp_dir dir;
  const auto path = dir.write("u.data", "7\t30\t5\t881250949\n8\t30\t1\t891717742\r\n7\t40\t3\t878887116\n\n");
  dd::LoadReport report;
  const auto d = dd::load_movielens_100k(path, &report);
  BOOST_TEST(d.size() == 3u);
  BOOST_TEST(d.n_users() == 2);
  BOOST_TEST(d.n_items() == 2);
  BOOST_TEST(d.ratings()[1] == 1.0f);
  BOOST_TEST(d.timestamps()[2] == 878887116);
  BOOST_TEST(d.user_ids().raw_of(d.users()[1]) == 8);
  BOOST_TEST(report.records == 3u);
  BOOST_TEST(report.blank == 1u);
  BOOST_TEST(report.skipped == 0u);
  BOOST_TEST(d.has_ratings());
  BOOST_TEST(d.has_timestamps());
}

BOOST_AUTO_TEST_CASE(reads_double_colon_ratings_dat) {
  denoise::test::temp_dir dir;
  const auto path = dir.write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4.5::978298413");
  const auto d = dd::load_movielens_dat(path);
  BOOST_TEST(d.size() == 3u);
  BOOST_TEST(d.n_items() == 2);
  BOOST_TEST(d.ratings()[2] == 4.5f);
}

BOOST_AUTO_TEST_CASE(csv_with_header_and_named_columns_and_features) {
  denoise::test::temp_dir dir;
  // Columns in an unusual order, found by header name.
  const auto good = dir.write("y.csv", "ts,item,user,clicked,city\n5,20,1,1,paris\n6,21,2,0,berlin\n7,20,2,1,paris\n");
  dd::ColumnMapping map;
  map.user = dd::Column::named("user");
  map.item = dd::Column::named("item");
  map.timestamp = dd::Column::named("ts");
  map.label = dd::Column::named("clicked");
  map.features.emplace_back("city", dd::Column::named("city"));
  dd::ReadOptions opt;
  opt.header = true;
  const auto d = dd::read_delimited(good, map, opt);
  BOOST_TEST(d.size() == 3u);
  BOOST_TEST(d.labels()[1] == 0.0f);
  BOOST_TEST(d.timestamps()[2] == 7);
  BOOST_TEST(d.n_fields() == 1u);
  BOOST_TEST(d.field_cardinality(0) == 2);
  BOOST_TEST(d.field(0)[0] == 1);  // berlin < paris
  BOOST_TEST(d.field(0)[1] == 0);
  BOOST_TEST(d.field_vocabulary(0)[1] == "paris");
  BOOST_TEST(!d.has_ratings());
}

BOOST_AUTO_TEST_CASE(text_reader_and_comments_and_padding) {
  dd::ReadOptions opt;
  opt.comment = '#';
  dd::ColumnMapping map;
  map.rating = dd::Column::at(2);
  const auto d = dd::read_delimited_text("# a comment\n 1 , 2 , 3.5\n+4,5,-1e0\n", "mem", map, opt);
  BOOST_TEST(d.size() == 2u);
  BOOST_TEST(d.ratings()[0] == 3.5f);
  BOOST_TEST(d.ratings()[1] == -1.0f);
  BOOST_TEST(d.user_ids().raw_of(1) == 4);
}

BOOST_AUTO_TEST_CASE(pair_list_formats) {
  denoise::test::temp_dir dir;
  const auto two = dd::load_pair_list(dir.write("a.txt", "0 1\n0  2\n3\t1\n"));
  BOOST_TEST(two.size() == 3u);
  BOOST_TEST(!two.has_ratings());
  BOOST_TEST(two.labels()[2] == 1.0f);
  const auto four = dd::load_pair_list(dir.write("b.txt", "# user item rating time\n1 2 4 100\n2 2 1 50\n"));
  BOOST_TEST(four.size() == 2u);
  BOOST_TEST(four.has_timestamps());
  BOOST_TEST(four.timestamps()[1] == 50);
}

BOOST_AUTO_TEST_CASE(lines_longer_than_a_chunk_and_many_chunks) {
  // 3 MiB of lines: lines straddle the 1 MiB chunk boundaries, and one line is longer than a chunk.
  std::string text;
  std::size_t n = 0;
  while (text.size() < (std::size_t(3) << 20)) {
    text += std::to_string(n % 1000) + "\t" + std::to_string(n % 777) + "\t" + std::to_string(1 + n % 5) + "\t" +
            std::to_string(n) + "\n";
    ++n;
  }
  denoise::test::temp_dir dir;
  const auto path = dir.write("big.data", text);
  dd::LoadReport report;
  const auto d = dd::load_movielens_100k(path, &report);
  BOOST_TEST(d.size() == n);
  BOOST_TEST(report.bytes == text.size());
  BOOST_TEST(d.timestamps()[n - 1] == static_cast<std::int64_t>(n - 1));

  dd::ColumnMapping map;
  map.features.emplace_back("blob", dd::Column::at(2));
  const std::string blob(std::size_t(3) << 20, 'x');
  const auto long_path = dir.write("long.csv", "1,2," + blob + "\n3,4,y\n");
  const auto l = dd::read_delimited(long_path, map);
  BOOST_TEST(l.size() == 2u);
  BOOST_TEST(l.field_vocabulary(0)[0].size() == blob.size());
}

BOOST_AUTO_TEST_CASE(implicit_conversion_marks_low_ratings_noisy) {
  auto d = dd::read_delimited_text("1,1,1\n1,2,2\n1,3,3\n2,1,2.5\n2,2,5\n", "mem",
                                   dd::ColumnMapping{dd::Column::at(0), dd::Column::at(1), dd::Column::at(2), {}, {}, {}});
  dd::make_implicit(d);
  BOOST_TEST(dd::count_noisy(d) == 3u);
  for (float l : d.labels()) BOOST_TEST(l == 1.0f);
  BOOST_TEST(d.noisy()[2] == 0);
  dd::ImplicitOptions strict;
  strict.noisy_below = 4.0f;
  BOOST_TEST(dd::count_noisy(dd::to_implicit(d, strict)) == 4u);
  auto no_rating = dd::read_delimited_text("1,1\n", "mem");
  BOOST_CHECK_THROW(dd::make_implicit(no_rating), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(movielens_100k_side_files_latin1) {
  denoise::test::temp_dir dir;
  const std::string flags_action = "|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
  const std::string flags_drama_war = "|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|1|0";
  // The second line of `items` has one field too few (the URL is missing).
  const auto items = dir.write("u.item", "1|Some Film (1995)|01-Jan-1995||http://x" + flags_action + "\n" +
                                             "2|\xC1 title|||" + flags_drama_war.substr(1) + "\n");
  const auto items_ok = dir.write("u2.item", "1|Some Film (1995)|01-Jan-1995||http://x" + flags_action + "\n" +
                                                 "2|\xC1 title|||" + flags_drama_war + "\n");
  const auto movies = dd::load_movielens_100k_items(items_ok);
  BOOST_TEST(movies.size() == 2u);
  BOOST_TEST(movies[0].year == "1995");
  BOOST_TEST(movies[0].genres == "Action");
  BOOST_TEST(movies[1].title == "\xC3\x81 title");  // Latin-1 0xC1 -> UTF-8
  BOOST_TEST(movies[1].year.empty());
  BOOST_TEST(movies[1].genres == "Drama|War");
  BOOST_CHECK_THROW(dd::load_movielens_100k_items(items), denoise::input_error);

  const auto users = dd::load_movielens_100k_users(dir.write("u.user", "1|24|M|technician|85711\n2|53|F|other|K1A0A\n"));
  BOOST_TEST(users.size() == 2u);
  BOOST_TEST(users[1].age == 53);
  BOOST_TEST(users[1].zip == "K1A0A");
  BOOST_TEST(users[0].occupation == "technician");
}

BOOST_AUTO_TEST_CASE(movielens_1m_side_files) {
  denoise::test::temp_dir dir;
  const auto movies = dd::load_movielens_movies_dat(dir.write("movies.dat", "1::Toy Story (1995)::Animation|Children's|Comedy\n2::No Year::Drama\n"));
  BOOST_TEST(movies[0].year == "1995");
  BOOST_TEST(movies[0].genres == "Animation|Children's|Comedy");
  BOOST_TEST(movies[1].year.empty());
  const auto users = dd::load_movielens_users_dat(dir.write("users.dat", "1::F::1::10::48067\n"));
  BOOST_TEST(users[0].gender == "F");
  BOOST_TEST(users[0].age == 1);
  BOOST_TEST(users[0].occupation == "10");
}

BOOST_AUTO_TEST_SUITE_END()
