// MovieLens loaders: ratings (100K `u.data`, 1M/10M `ratings.dat`) and side files (100K
// `u.item` / `u.user`, 1M `movies.dat` / `users.dat`). Side files are Latin-1 (ISO-8859-1) in the
// 100K and 1M releases; text is converted to UTF-8.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "delimited_reader.hpp"
#include "detail/line_reader.hpp"
#include "detail/text.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

namespace detail {
// The four-column MovieLens ratings layout (user, item, rating, timestamp) with a given separator.
inline Interactions load_movielens_ratings(const std::string& path, const char* delimiter, LoadReport* report,
                                           bool skip_bad_lines) {
  ColumnMapping map;
  map.rating = Column::at(2);
  map.timestamp = Column::at(3);
  ReadOptions opt;
  opt.delimiter = delimiter;
  opt.fields = 4;
  opt.skip_bad_lines = skip_bad_lines;
  return read_delimited(path, map, opt, report);
}
}  // namespace detail

/// MovieLens 100K `u.data`: user \t item \t rating \t timestamp.
inline Interactions load_movielens_100k(const std::string& path, LoadReport* report = nullptr,
                                        bool skip_bad_lines = false) {
  return detail::load_movielens_ratings(path, "\t", report, skip_bad_lines);
}

/// MovieLens 1M / 10M `ratings.dat`: UserID::MovieID::Rating::Timestamp.
inline Interactions load_movielens_dat(const std::string& path, LoadReport* report = nullptr,
                                       bool skip_bad_lines = false) {
  return detail::load_movielens_ratings(path, "::", report, skip_bad_lines);
}

/// The `user item [rating] [timestamp]` list many papers ship (blank-separated). Every line must
/// have the same number of fields (2, 3 or 4) as the first one.
inline Interactions load_pair_list(const std::string& path, LoadReport* report = nullptr,
                                   bool skip_bad_lines = false) {
  // Peek at the first data line to learn how many columns there are.
  std::size_t n_fields = 0;
  {
    detail::line_reader peek(path);
    std::string_view line;
    std::vector<std::string_view> fields;
    detail::separator sep;
    sep.blanks = true;
    while (peek.next(line)) {
      detail::split_fields(line, sep, fields);
      if (!fields.empty() && fields[0][0] != '#') {
        n_fields = fields.size();
        if (n_fields < 2 || n_fields > 4)
          throw input_error("expected 2 to 4 fields (user item [rating] [timestamp]), got " +
                                std::to_string(n_fields),
                            location::at(path, peek.line_number(), n_fields < 2 ? "item" : "column 5"));
        break;
      }
    }
  }
  ColumnMapping map;
  if (n_fields >= 3) map.rating = Column::at(2);
  if (n_fields >= 4) map.timestamp = Column::at(3);
  ReadOptions opt;
  opt.blanks = true;
  opt.comment = '#';
  opt.fields = n_fields;
  opt.skip_bad_lines = skip_bad_lines;
  return read_delimited(path, map, opt, report);
}

/// One movie of a side file.
struct MovieInfo {
  std::int64_t id = 0;
  std::string title;         ///< UTF-8
  std::string release_date;  ///< as in the file ("01-Jan-1995"); empty when unknown
  std::string year;          ///< four digits, or empty when unknown
  std::string genres;        ///< genre names joined with '|', in the file's genre order
};

/// One user of a side file.
struct UserInfo {
  std::int64_t id = 0;
  int age = 0;             ///< years (100K) or the 1M age-bucket code
  std::string gender;      ///< "M" / "F"
  std::string occupation;  ///< name (100K) or code (1M)
  std::string zip;
};

/// The 19 genres of MovieLens 100K `u.item`, in column order (as listed in `u.genre`).
inline const std::vector<std::string>& movielens_100k_genres() {
  static const std::vector<std::string> names{
      "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
      "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
      "Romance", "Sci-Fi", "Thriller", "War", "Western"};
  return names;
}

namespace detail {

inline std::string year_of_date(std::string_view date) {
  // "01-Jan-1995" -> "1995"
  if (date.size() >= 4) {
    const auto y = date.substr(date.size() - 4);
    bool digits = true;
    for (char c : y) digits = digits && c >= '0' && c <= '9';
    if (digits) return std::string(y);
  }
  return {};
}

inline std::string year_of_title(std::string_view title) {
  // "Toy Story (1995)" -> "1995"
  const std::string_view t = trim(title);
  if (t.size() >= 6 && t.back() == ')' && t[t.size() - 6] == '(') return year_of_date(t.substr(t.size() - 5, 4));
  return {};
}

template <class Handler>
inline void for_each_record(const std::string& path, const separator& sep, std::size_t n_fields,
                            Handler&& handle) {
  line_reader in(path);
  std::string_view line;
  std::vector<std::string_view> fields;
  std::size_t records = 0;
  while (in.next(line)) {
    if (trim(line).empty()) continue;
    split_fields(line, sep, fields);
    if (fields.size() != n_fields)
      throw input_error("wrong field count: expected " + std::to_string(n_fields) + ", got " +
                            std::to_string(fields.size()),
                        location::at(path, in.line_number(), "column " + std::to_string(std::min(fields.size(), n_fields) + 1)));
    handle(fields, in.line_number());
    ++records;
  }
  if (records == 0) throw input_error("empty file: no records", location::in_file(path));
}

}  // namespace detail

/// MovieLens 100K `u.item`: id | title | release date | video release date | URL | 19 genre flags.
inline std::vector<MovieInfo> load_movielens_100k_items(const std::string& path) {
  std::vector<MovieInfo> out;
  detail::separator sep;
  sep.text = "|";
  const auto& genres = movielens_100k_genres();
  detail::for_each_record(path, sep, 5 + genres.size(), [&](const std::vector<std::string_view>& f, std::size_t line) {
    MovieInfo m;
    m.id = detail::parse_id(f[0], detail::field_context{&path, line, "movie id"});
    detail::append_latin1_as_utf8(m.title, f[1]);
    m.release_date = std::string(detail::trim(f[2]));
    m.year = detail::year_of_date(m.release_date);
    for (std::size_t g = 0; g < genres.size(); ++g) {
      const std::int64_t flag = detail::parse_int(f[5 + g], detail::field_context{&path, line, genres[g]});
      if (flag != 0 && flag != 1)
        throw input_error("genre flag must be 0 or 1", location::at(path, line, genres[g]));
      if (flag) {
        if (!m.genres.empty()) m.genres += '|';
        m.genres += genres[g];
      }
    }
    out.push_back(std::move(m));
  });
  return out;
}

/// MovieLens 100K `u.user`: id | age | gender | occupation | zip.
inline std::vector<UserInfo> load_movielens_100k_users(const std::string& path) {
  std::vector<UserInfo> out;
  detail::separator sep;
  sep.text = "|";
  detail::for_each_record(path, sep, 5, [&](const std::vector<std::string_view>& f, std::size_t line) {
    UserInfo u;
    u.id = detail::parse_id(f[0], detail::field_context{&path, line, "user id"});
    const std::int64_t age = detail::parse_int(f[1], detail::field_context{&path, line, "age"});
    if (age < 0 || age > 200) throw input_error("age out of range", location::at(path, line, "age"));
    u.age = static_cast<int>(age);
    u.gender = std::string(detail::trim(f[2]));
    detail::append_latin1_as_utf8(u.occupation, detail::trim(f[3]));
    detail::append_latin1_as_utf8(u.zip, detail::trim(f[4]));
    out.push_back(std::move(u));
  });
  return out;
}

/// MovieLens 1M `movies.dat`: MovieID::Title::Genres (genres '|'-separated).
inline std::vector<MovieInfo> load_movielens_movies_dat(const std::string& path) {
  std::vector<MovieInfo> out;
  detail::separator sep;
  sep.text = "::";
  detail::for_each_record(path, sep, 3, [&](const std::vector<std::string_view>& f, std::size_t line) {
    MovieInfo m;
    m.id = detail::parse_id(f[0], detail::field_context{&path, line, "movie id"});
    detail::append_latin1_as_utf8(m.title, f[1]);
    m.year = detail::year_of_title(f[1]);
    m.genres = std::string(detail::trim(f[2]));
    out.push_back(std::move(m));
  });
  return out;
}

/// MovieLens 1M `users.dat`: UserID::Gender::Age::Occupation::Zip-code.
inline std::vector<UserInfo> load_movielens_users_dat(const std::string& path) {
  std::vector<UserInfo> out;
  detail::separator sep;
  sep.text = "::";
  detail::for_each_record(path, sep, 5, [&](const std::vector<std::string_view>& f, std::size_t line) {
    UserInfo u;
    u.id = detail::parse_id(f[0], detail::field_context{&path, line, "user id"});
    u.gender = std::string(detail::trim(f[1]));
    const std::int64_t age = detail::parse_int(f[2], detail::field_context{&path, line, "age"});
    if (age < 0 || age > 200) throw input_error("age out of range", location::at(path, line, "age"));
    u.age = static_cast<int>(age);
    u.occupation = std::string(detail::trim(f[3]));
    u.zip = std::string(detail::trim(f[4]));
    out.push_back(std::move(u));
  });
  return out;
}

}  // namespace data
}  // namespace denoise
