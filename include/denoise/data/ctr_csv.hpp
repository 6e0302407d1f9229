// Readers of CTR field data from delimited text:
//   read_autodenoise_csv  the public AutoDenoise data files: no header, F integer field columns
//                         (already label-encoded, codes >= 0) then the 0/1 label. Several files
//                         (train, validation, test) are read together so that they share the
//                         cardinalities: cardinality(f) = 1 + the largest code of field f in any.
//   read_field_csv        a CSV with a header: the named field columns (any text; each
//                         label-encoded over its sorted distinct values) and a named 0/1 label.
// Bad input is an input_error naming the file, line and field (the field's name, "label", or
// "field k" for an unnamed AutoDenoise column).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "detail/line_reader.hpp"
#include "detail/text.hpp"
#include "field_dataset.hpp"
#include "label_encoder.hpp"

namespace denoise {
namespace data {
namespace detail {

/// A 0/1 label; anything else is an input_error at ctx.
inline float parse_click_label(std::string_view text, const field_context& ctx) {
  const double v = parse_real(text, ctx);
  if (v != 0.0 && v != 1.0) throw input_error("label must be 0 or 1, got '" + excerpt(trim(text)) + "'", ctx.where());
  return static_cast<float>(v);
}

}  // namespace detail

/// Reads AutoDenoise CSV files (F = `fields` integer columns then the label, no header) with
/// shared cardinalities; returns one dataset per path, in order. Field names are "field0"...
inline std::vector<FieldDataset> read_autodenoise_csv(const std::vector<std::string>& paths, std::size_t fields = 8) {
  if (fields == 0) throw config_error("read_autodenoise_csv: needs at least one field", location::of_field("fields"));
  std::vector<std::vector<index_t>> codes(paths.size());
  std::vector<std::vector<float>> labels(paths.size());
  std::vector<index_t> cards(fields, 1);
  std::vector<std::string> names(fields), roles(fields);
  for (std::size_t f = 0; f < fields; ++f) {
    names[f] = "field" + std::to_string(f);
    roles[f] = "field " + std::to_string(f);
  }
  detail::separator sep;
  sep.text = ",";
  std::vector<std::string_view> cols;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    detail::line_reader in(paths[k]);
    const std::string& file = in.name();
    std::string_view line;
    while (in.next(line)) {
      if (detail::trim(line).empty()) continue;
      detail::split_fields(line, sep, cols);
      const std::size_t no = in.line_number();
      if (cols.size() != fields + 1) {
        throw input_error("wrong field count: expected " + std::to_string(fields + 1) + ", got " +
                              std::to_string(cols.size()),
                          location::at(file, no, cols.size() < fields + 1 ? "label" : "column " + std::to_string(cols.size())));
      }
      for (std::size_t f = 0; f < fields; ++f) {
        const std::int64_t v = detail::parse_int(cols[f], detail::field_context{&file, no, roles[f]});
        if (v < 0 || v > 0x7fffffff - 1) {
          throw input_error("code " + std::to_string(v) + " is not a non-negative field code",
                            location::at(file, no, roles[f]));
        }
        codes[k].push_back(static_cast<index_t>(v));
        if (static_cast<index_t>(v) + 1 > cards[f]) {
          cards[f] = static_cast<index_t>(v) + 1;
          // One embedding table holds every field: the cardinalities must add up within index_t.
          long long total = 0;
          for (index_t c : cards) total += c;
          if (total > static_cast<long long>(std::numeric_limits<index_t>::max())) {
            throw input_error("code " + std::to_string(v) + " makes the field cardinalities add up to more than " +
                                  std::to_string(std::numeric_limits<index_t>::max()),
                              location::at(file, no, roles[f]));
          }
        }
      }
      labels[k].push_back(detail::parse_click_label(cols[fields], detail::field_context{&file, no, "label"}));
    }
    if (labels[k].empty()) throw input_error("empty file: no records", location::in_file(file));
  }
  std::vector<FieldDataset> out;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    FieldDataset d(names, cards);
    d.reserve(labels[k].size());
    for (std::size_t r = 0; r < labels[k].size(); ++r) {
      d.push_back(span<const index_t>(codes[k].data() + r * fields, fields), labels[k][r]);
    }
    out.push_back(std::move(d));
  }
  return out;
}

struct field_csv_options {
  std::vector<std::string> fields;  ///< the field columns, by header name, in model order
  std::string label = "label";      ///< the label column (values 0 or 1)
  std::string delimiter = ",";
};

/// Reads a headed CSV: the named field columns, label-encoded, and the label column.
inline FieldDataset read_field_csv(const std::string& path, const field_csv_options& options) {
  if (options.fields.empty()) throw config_error("read_field_csv: no field columns named", location::at(path, 0, "fields"));
  detail::line_reader in(path);
  const std::string& file = in.name();
  detail::separator sep;
  sep.text = options.delimiter;
  std::vector<std::string_view> cols;
  std::string_view line;
  std::size_t width = 0, label_pos = 0;
  std::vector<std::size_t> pos(options.fields.size());
  bool header = false;
  std::vector<LabelEncoder> enc(options.fields.size());
  std::vector<index_t> provisional;
  std::vector<float> labels;
  while (in.next(line)) {
    if (detail::trim(line).empty()) continue;
    detail::split_fields(line, sep, cols);
    const std::size_t no = in.line_number();
    if (!header) {
      std::vector<std::string> names;
      for (auto c : cols) names.emplace_back(detail::trim(c));
      auto find = [&](const std::string& name, const std::string& role) {
        for (std::size_t k = 0; k < names.size(); ++k)
          if (names[k] == name) return k;
        throw config_error("no column named '" + name + "' in the header", location::at(file, no, role));
      };
      for (std::size_t f = 0; f < pos.size(); ++f) pos[f] = find(options.fields[f], options.fields[f]);
      label_pos = find(options.label, "label");
      width = names.size();
      header = true;
      continue;
    }
    if (cols.size() != width) {
      throw input_error("wrong field count: expected " + std::to_string(width) + ", got " + std::to_string(cols.size()),
                        location::at(file, no, "column " + std::to_string(std::min(cols.size(), width))));
    }
    for (std::size_t f = 0; f < pos.size(); ++f) {
      const std::string_view v = detail::trim(cols[pos[f]]);
      if (v.empty()) throw input_error("empty field value", location::at(file, no, options.fields[f]));
      provisional.push_back(enc[f].add(v));
    }
    labels.push_back(detail::parse_click_label(cols[label_pos], detail::field_context{&file, no, "label"}));
  }
  if (labels.empty()) throw input_error("empty file: no records", location::in_file(file));
  std::vector<index_t> cards;
  std::vector<std::vector<index_t>> perm;
  for (auto& e : enc) {
    perm.push_back(e.finish());
    cards.push_back(static_cast<index_t>(e.size()));
  }
  FieldDataset out(options.fields, cards);
  out.reserve(labels.size());
  const std::size_t nf = pos.size();
  std::vector<index_t> row(nf);
  for (std::size_t r = 0; r < labels.size(); ++r) {
    for (std::size_t f = 0; f < nf; ++f) row[f] = perm[f][static_cast<std::size_t>(provisional[r * nf + f])];
    out.push_back(row, labels[r]);
  }
  return out;
}

}  // namespace data
}  // namespace denoise
