// The generic delimited reader (CSV, TSV, "::", blank-separated), streaming in 1 MiB chunks,
// with a column mapping by position or by header name. Every MovieLens and paper-format loader
// is built on it.
//
// Bad input is an input_error naming file, line and column (the column's role: "user", "item",
// "rating", "timestamp", "label", or a feature field's name). With skip_bad_lines the bad line is
// skipped and counted in LoadReport::skipped instead.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "detail/line_reader.hpp"
#include "detail/text.hpp"
#include "interactions.hpp"
#include "label_encoder.hpp"

namespace denoise {
namespace data {

/// A column of the input, by 0-based position or by header name; default: not present.
struct Column {
  int index = -1;
  std::string name;

  static Column at(int i) { return Column{i, {}}; }
  static Column named(std::string n) { return Column{-1, std::move(n)}; }
  bool used() const noexcept { return index >= 0 || !name.empty(); }
};

/// Which input column feeds which Interactions column.
struct ColumnMapping {
  Column user = Column::at(0);
  Column item = Column::at(1);
  Column rating;     ///< optional
  Column timestamp;  ///< optional
  Column label;      ///< optional; without it every row is a positive (label 1)
  /// Categorical feature fields (field name, column); label-encoded over sorted distinct values.
  std::vector<std::pair<std::string, Column>> features;
};

struct ReadOptions {
  std::string delimiter = ",";  ///< one character or a string such as "::"
  bool blanks = false;          ///< split on runs of spaces/tabs instead of `delimiter`
  bool header = false;          ///< the first non-comment line names the columns
  bool skip_bad_lines = false;  ///< skip malformed lines (counted) instead of throwing
  char comment = '\0';          ///< lines starting with this character are ignored ('\0': none)
  /// Number of fields every line must have; 0: taken from the header or the first data line.
  std::size_t fields = 0;
  bool allow_empty = false;     ///< an input without records is not an error
};

/// What a load did.
struct LoadReport {
  std::size_t lines = 0;      ///< lines read, including header, comments and blank lines
  std::size_t records = 0;    ///< rows added
  std::size_t skipped = 0;    ///< malformed lines skipped (skip_bad_lines only)
  std::size_t blank = 0;      ///< empty lines ignored
  std::size_t bytes = 0;      ///< bytes read
  std::vector<std::string> first_errors;  ///< messages of the first (up to 10) skipped lines
};

namespace detail {

struct resolved_column {
  std::size_t pos = 0;
  bool present = false;
  std::string role;
};

inline resolved_column resolve(const Column& c, std::string role,
                               const std::vector<std::string>& header, const std::string& file,
                               std::size_t line) {
  resolved_column r;
  r.role = std::move(role);
  if (!c.used()) return r;
  r.present = true;
  if (c.index >= 0) {
    r.pos = static_cast<std::size_t>(c.index);
    return r;
  }
  for (std::size_t k = 0; k < header.size(); ++k)
    if (header[k] == c.name) {
      r.pos = k;
      return r;
    }
  if (header.empty())
    throw config_error("column '" + c.name + "' is named but the input has no header",
                       location::at(file, line, r.role));
  throw config_error("no column named '" + c.name + "' in the header", location::at(file, line, r.role));
}

/// The reader proper, over an open line_reader.
inline Interactions read_delimited(line_reader& in, const ColumnMapping& map, const ReadOptions& opt,
                                   LoadReport* report) {
  const std::string& file = in.name();
  separator sep;
  sep.text = opt.delimiter;
  sep.blanks = opt.blanks;
  if (!sep.blanks && sep.text.empty())
    throw config_error("empty delimiter", location::at(file, 0, "delimiter"));

  Interactions out;
  out.set_has_ratings(map.rating.used());
  out.set_has_timestamps(map.timestamp.used());
  LoadReport rep;
  std::vector<std::string_view> fields;
  std::vector<std::string> header;
  std::string_view line;
  bool resolved = !opt.header;
  std::size_t expected = opt.fields;

  std::vector<resolved_column> cols;  // user, item, rating, timestamp, label, features...
  auto resolve_all = [&](std::size_t line_no) {
    cols.clear();
    cols.push_back(resolve(map.user, "user", header, file, line_no));
    cols.push_back(resolve(map.item, "item", header, file, line_no));
    cols.push_back(resolve(map.rating, "rating", header, file, line_no));
    cols.push_back(resolve(map.timestamp, "timestamp", header, file, line_no));
    cols.push_back(resolve(map.label, "label", header, file, line_no));
    for (const auto& f : map.features) cols.push_back(resolve(f.second, f.first, header, file, line_no));
    if (!cols[0].present || !cols[1].present)
      throw config_error("the user and item columns are required", location::at(file, line_no, "user"));
  };
  if (resolved) resolve_all(0);
  std::size_t needed = 0;
  auto compute_needed = [&] {
    needed = 0;
    for (const auto& c : cols)
      if (c.present && c.pos + 1 > needed) needed = c.pos + 1;
  };
  if (resolved) compute_needed();

  std::vector<LabelEncoder> encoders(map.features.size());
  std::vector<std::vector<index_t>> feature_codes(map.features.size());

  while (in.next(line)) {
    ++rep.lines;
    if (opt.comment != '\0' && !line.empty() && line.front() == opt.comment) continue;
    if (trim(line).empty()) {
      ++rep.blank;
      continue;
    }
    split_fields(line, sep, fields);
    const std::size_t line_no = in.line_number();
    if (!resolved) {
      header.assign(fields.begin(), fields.end());
      for (auto& h : header) h = std::string(trim(h));
      resolve_all(line_no);
      compute_needed();
      if (expected == 0) expected = header.size();
      resolved = true;
      continue;
    }
    try {
      if (expected == 0) expected = fields.size();
      if (fields.size() != expected || fields.size() < needed) {
        std::string where_field;
        for (const auto& c : cols)
          if (c.present && c.pos >= fields.size()) {
            where_field = c.role;
            break;
          }
        if (where_field.empty()) where_field = "column " + std::to_string(fields.size());
        throw input_error("wrong field count: expected " + std::to_string(std::max(expected, needed)) +
                              ", got " + std::to_string(fields.size()),
                          location::at(file, line_no, where_field));
      }
      const field_context cu{&file, line_no, "user"};
      const field_context ci{&file, line_no, "item"};
      const std::int64_t raw_user = parse_id(fields[cols[0].pos], cu);
      const std::int64_t raw_item = parse_id(fields[cols[1].pos], ci);
      double rating = 0, label = 1;
      std::int64_t ts = 0;
      if (cols[2].present) rating = parse_real(fields[cols[2].pos], field_context{&file, line_no, "rating"});
      if (cols[3].present) ts = parse_int(fields[cols[3].pos], field_context{&file, line_no, "timestamp"});
      if (cols[4].present) label = parse_real(fields[cols[4].pos], field_context{&file, line_no, "label"});
      const index_t u = out.add_user(raw_user);
      const index_t i = out.add_item(raw_item);
      out.push_back(u, i, static_cast<float>(label), static_cast<float>(rating), ts, false);
      for (std::size_t f = 0; f < encoders.size(); ++f)
        feature_codes[f].push_back(encoders[f].add(trim(fields[cols[5 + f].pos])));
      ++rep.records;
    } catch (const input_error& e) {
      if (!opt.skip_bad_lines) throw;
      ++rep.skipped;
      if (rep.first_errors.size() < 10) rep.first_errors.push_back(e.what());
    }
  }
  rep.bytes = in.bytes_read();
  if (rep.records == 0 && !opt.allow_empty)
    throw input_error(rep.skipped ? "no valid record (all " + std::to_string(rep.skipped) + " lines were bad)"
                                  : std::string("empty file: no records"),
                      location::in_file(file));
  for (std::size_t f = 0; f < encoders.size(); ++f) {
    const auto perm = encoders[f].finish();
    for (auto& c : feature_codes[f]) c = perm[static_cast<std::size_t>(c)];
    out.add_field(map.features[f].first, std::move(feature_codes[f]),
                  static_cast<index_t>(encoders[f].size()), encoders[f].vocabulary());
  }
  if (report) *report = std::move(rep);
  return out;
}

}  // namespace detail

/// Reads a delimited file. An unreadable path is an io_error; malformed content an input_error.
inline Interactions read_delimited(const std::string& path, const ColumnMapping& map = {},
                                   const ReadOptions& options = {}, LoadReport* report = nullptr) {
  detail::line_reader in(path);
  return detail::read_delimited(in, map, options, report);
}

/// Reads delimited text held in memory; `name` stands for the file name in error messages.
inline Interactions read_delimited_text(std::string_view text, const std::string& name,
                                        const ColumnMapping& map = {}, const ReadOptions& options = {},
                                        LoadReport* report = nullptr) {
  detail::line_reader in(text, name);
  return detail::read_delimited(in, map, options, report);
}

}  // namespace data
}  // namespace denoise
