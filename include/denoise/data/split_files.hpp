// Loader for a split that ships as three files, train / validation / test, each a list of
// `user item [flag]` lines (tab-separated by default), with one id space across the three files.
// SGDL's own split of MovieLens-100K (`<name>.train.rating`, `<name>.valid.rating`,
// `<name>.test.negative`, `user \t item \t flag`, flag 1 = clean, 0 = noisy positive) is the
// reference case; load_sgdl_split() finds those files in a folder.
//
// Every row is a positive (label 1); a flag of 0 sets the row's ground-truth `noisy` column
// (evaluation only, see interactions.hpp). Without a flag column every row is clean. Instance ids
// number the rows of train, then validation, then test, in file order.
//
// Ids. With IdLayout::dense (the default, as every other loader) raw ids are mapped to dense
// indices through one shared IdMap per kind, in order of first appearance over train, validation,
// test. With IdLayout::raw the index is the raw id itself and the id space is 0..max over the three
// files, as SGDL's reference loader sizes its tables (n = max id + 1): on sgdl-ml100k this gives the
// paper's 1,683 item rows, including ids that occur in no file (item 0), which then take part in
// full ranking as they do in the reference code.
//
// Ids in validation/test that never occur in train. SGDL's reference loader neither rejects nor
// drops them: it sizes the id space over all three files and evaluates those rows like any other
// (on sgdl-ml100k, 6 validation rows and 5 test rows have an item that is not in train). So the
// default, UnseenIds::keep, keeps them and counts them in Split::report.cold_validation /
// cold_test; UnseenIds::drop removes them (counted, their instance ids in report.dropped) and
// UnseenIds::error makes the first one an input_error naming its file, line and field.
//
// Input rules: a UTF-8 byte-order mark at the start of a file and CRLF line ends are accepted;
// blank lines are skipped (counted in LoadReport::blank). Every other problem is an input_error
// naming file, line and field ("user", "item", "flag", or "column N" for an extra column): a wrong
// field count, a non-integer or negative id, a flag other than 0/1, a file without records. A file
// that cannot be opened is an io_error naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "delimited_reader.hpp"
#include "detail/line_reader.hpp"
#include "detail/text.hpp"
#include "interactions.hpp"
#include "split.hpp"

namespace denoise {
namespace data {

/// Whether the files carry the clean flag as a third column.
enum class FlagColumn {
  optional,  ///< each file's first record decides: 2 fields (no flag) or 3 (flag)
  required,  ///< every line is `user item flag`
  absent     ///< every line is `user item`
};

/// What to do with a validation/test row whose user or item never occurs in train.
enum class UnseenIds {
  keep,  ///< keep it (SGDL's reference behaviour), counted in SplitReport::cold_*
  drop,  ///< remove it, counted, instance id in SplitReport::dropped
  error  ///< input_error at the first one
};

/// How raw ids become indices.
enum class IdLayout {
  dense,  ///< 0..n-1 in order of first appearance (train, validation, test)
  raw     ///< index = raw id; n = largest id over the three files + 1 (SGDL's table sizes)
};

struct SplitFileOptions {
  std::string delimiter = "\t";  ///< one character or a string such as "::"
  bool blanks = false;           ///< split on runs of spaces/tabs instead of `delimiter`
  FlagColumn flag = FlagColumn::optional;
  UnseenIds unseen = UnseenIds::keep;
  IdLayout ids = IdLayout::dense;
  /// IdLayout::raw only: a raw id above this is an input_error (a stray huge id would otherwise
  /// size every model table by it).
  std::int64_t raw_id_limit = 10000000;
};

/// What each file held (lines, records, blank lines, bytes).
struct SplitFileReport {
  LoadReport train, validation, test;
  std::size_t noisy_train = 0, noisy_validation = 0, noisy_test = 0;  ///< rows with flag 0 (kept rows)
};

namespace detail {

struct split_row {
  std::int64_t user = 0, item = 0;
  bool noisy = false;
  std::size_t line = 0;
};

/// Parses one file of the split into `rows`.
inline void read_split_part(line_reader& in, const SplitFileOptions& opt, std::vector<split_row>& rows,
                            LoadReport& rep) {
  const std::string& file = in.name();
  separator sep;
  sep.text = opt.delimiter;
  sep.blanks = opt.blanks;
  if (!sep.blanks && sep.text.empty()) throw config_error("empty delimiter", location::of_field("delimiter"));
  std::size_t expected = opt.flag == FlagColumn::required ? 3 : opt.flag == FlagColumn::absent ? 2 : 0;
  std::vector<std::string_view> fields;
  std::string_view line;
  rep = LoadReport{};
  while (in.next(line)) {
    ++rep.lines;
    const std::size_t line_no = in.line_number();
    if (line_no == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim(line).empty()) {
      ++rep.blank;
      continue;
    }
    split_fields(line, sep, fields);
    if (expected == 0) {
      if (fields.size() < 2 || fields.size() > 3)
        throw input_error("expected 2 or 3 fields (user item [flag]), got " + std::to_string(fields.size()),
                          location::at(file, line_no, fields.size() < 2 ? "item" : "column " + std::to_string(fields.size())));
      expected = fields.size();
    }
    if (fields.size() != expected) {
      std::string where = fields.size() < 2 ? "item" : fields.size() < expected ? "flag"
                                                                             : "column " + std::to_string(fields.size());
      throw input_error("wrong field count: expected " + std::to_string(expected) + ", got " +
                            std::to_string(fields.size()),
                        location::at(file, line_no, where));
    }
    split_row row;
    row.line = line_no;
    row.user = parse_id(fields[0], field_context{&file, line_no, "user"});
    row.item = parse_id(fields[1], field_context{&file, line_no, "item"});
    if (expected == 3) {
      const std::int64_t flag = parse_int(fields[2], field_context{&file, line_no, "flag"});
      if (flag != 0 && flag != 1)
        throw input_error("flag must be 0 (noisy) or 1 (clean), got " + std::to_string(flag),
                          location::at(file, line_no, "flag"));
      row.noisy = flag == 0;
    }
    if (opt.ids == IdLayout::raw) {
      if (row.user > opt.raw_id_limit)
        throw input_error("id " + std::to_string(row.user) + " above the raw layout's limit " +
                              std::to_string(opt.raw_id_limit) + " (use IdLayout::dense)",
                          location::at(file, line_no, "user"));
      if (row.item > opt.raw_id_limit)
        throw input_error("id " + std::to_string(row.item) + " above the raw layout's limit " +
                              std::to_string(opt.raw_id_limit) + " (use IdLayout::dense)",
                          location::at(file, line_no, "item"));
    }
    rows.push_back(row);
    ++rep.records;
  }
  rep.bytes = in.bytes_read();
  if (rep.records == 0) throw input_error("empty file: no records", location::in_file(file));
}

/// Builds the Split from the three parsed parts (the readers supply the names for errors).
inline Split load_split(line_reader& train_in, line_reader& valid_in, line_reader& test_in,
                        const SplitFileOptions& opt, SplitFileReport* report) {
  if (opt.ids == IdLayout::raw && !(opt.raw_id_limit >= 0 && opt.raw_id_limit < std::numeric_limits<index_t>::max()))
    throw config_error("must be in [0, 2^31-1)", location::of_field("raw_id_limit"));
  SplitFileReport rep;
  std::vector<split_row> rows[3];
  line_reader* in[3] = {&train_in, &valid_in, &test_in};
  LoadReport* file_rep[3] = {&rep.train, &rep.validation, &rep.test};
  for (int p = 0; p < 3; ++p) read_split_part(*in[p], opt, rows[p], *file_rep[p]);

  Split out;
  Interactions& train = out.train;
  if (opt.ids == IdLayout::raw) {
    std::int64_t max_user = 0, max_item = 0;
    for (const auto& part : rows)
      for (const auto& r : part) {
        max_user = r.user > max_user ? r.user : max_user;
        max_item = r.item > max_item ? r.item : max_item;
      }
    train.mutable_user_ids().extend_dense(static_cast<std::size_t>(max_user) + 1);
    train.mutable_item_ids().extend_dense(static_cast<std::size_t>(max_item) + 1);
  }
  out.validation = train.empty_like();
  out.test = train.empty_like();
  Interactions* parts[3] = {&out.train, &out.validation, &out.test};
  std::size_t* noisy_count[3] = {&rep.noisy_train, &rep.noisy_validation, &rep.noisy_test};

  offset_t instance = 0;
  train.reserve(rows[0].size());
  for (const auto& r : rows[0]) {
    const index_t u = train.add_user(r.user);
    const index_t i = train.add_item(r.item);
    train.push_back_with_instance(u, i, 1.0f, 0.0f, 0, r.noisy, instance++);
    rep.noisy_train += r.noisy ? 1u : 0u;
  }
  // Which indices train holds (raw layout: the maps already hold every id, so flags are needed).
  std::vector<std::uint8_t> seen_user(train.user_ids().size(), 0), seen_item(train.item_ids().size(), 0);
  for (const index_t u : train.users()) seen_user[static_cast<std::size_t>(u)] = 1;
  for (const index_t i : train.items()) seen_item[static_cast<std::size_t>(i)] = 1;
  auto seen = [](const IdMap& map, const std::vector<std::uint8_t>& flags, std::int64_t raw) {
    const index_t k = map.find(raw);
    return k >= 0 && static_cast<std::size_t>(k) < flags.size() && flags[static_cast<std::size_t>(k)] != 0;
  };

  for (int p = 1; p < 3; ++p) {
    Interactions& part = *parts[p];
    part.reserve(rows[p].size());
    std::size_t& cold = p == 1 ? out.report.cold_validation : out.report.cold_test;
    for (const auto& r : rows[p]) {
      const bool user_seen = seen(train.user_ids(), seen_user, r.user);
      const bool item_seen = seen(train.item_ids(), seen_item, r.item);
      if (!user_seen || !item_seen) {
        ++cold;
        if (opt.unseen == UnseenIds::error)
          throw input_error(std::string(user_seen ? "item " : "user ") + std::to_string(user_seen ? r.item : r.user) +
                                " never appears in the training file " + train_in.name(),
                            location::at(in[p]->name(), r.line, user_seen ? "item" : "user"));
        if (opt.unseen == UnseenIds::drop) {
          out.report.dropped.push_back(instance++);
          continue;
        }
      }
      const index_t u = part.add_user(r.user);
      const index_t i = part.add_item(r.item);
      part.push_back_with_instance(u, i, 1.0f, 0.0f, 0, r.noisy, instance++);
      *noisy_count[p] += r.noisy ? 1u : 0u;
    }
  }
  if (report) *report = std::move(rep);
  return out;
}

}  // namespace detail

/// Loads a split given as three files. See the top of this header for the rules.
inline Split load_split_files(const std::string& train_path, const std::string& validation_path,
                              const std::string& test_path, const SplitFileOptions& options = {},
                              SplitFileReport* report = nullptr) {
  detail::line_reader train(train_path);
  detail::line_reader valid(validation_path);
  detail::line_reader test(test_path);
  return detail::load_split(train, valid, test, options, report);
}

/// The same on text held in memory; the names stand for the files in error messages.
inline Split load_split_text(std::string_view train_text, std::string_view validation_text,
                             std::string_view test_text, const SplitFileOptions& options = {},
                             SplitFileReport* report = nullptr, const std::string& train_name = "train",
                             const std::string& validation_name = "validation",
                             const std::string& test_name = "test") {
  detail::line_reader train(train_text, train_name);
  detail::line_reader valid(validation_text, validation_name);
  detail::line_reader test(test_text, test_name);
  return detail::load_split(train, valid, test, options, report);
}

/// The three file paths of a split in SGDL's naming.
struct SgdlSplitPaths {
  std::string train, validation, test;
};

/// `<dir>/<name>.train.rating`, `<name>.valid.rating`, `<name>.test.negative`. With an empty
/// `name` the folder must hold exactly one `*.train.rating` file, whose stem gives the name; none
/// or several is an input_error naming the folder, and an unreadable folder an io_error.
inline SgdlSplitPaths sgdl_split_paths(const std::string& dir, std::string name = {}) {
  const std::string suffix = ".train.rating";
  if (name.empty()) {
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    if (ec) throw io_error("cannot list the folder: " + ec.message(), location::in_file(dir));
    std::vector<std::string> found;
    for (; it != end; it.increment(ec)) {
      if (ec) throw io_error("cannot list the folder: " + ec.message(), location::in_file(dir));
      const std::string file = it->path().filename().string();
      if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
        found.push_back(file.substr(0, file.size() - suffix.size()));
    }
    if (found.size() != 1)
      throw input_error(found.empty() ? "no *.train.rating file in the folder"
                                      : "several *.train.rating files in the folder; name the dataset",
                        location::in_file(dir));
    name = found.front();
  }
  const std::string base = dir + "/" + name;
  return {base + suffix, base + ".valid.rating", base + ".test.negative"};
}

/// SGDL's split of a dataset (`user \t item \t flag` in three files, see sgdl_split_paths): the
/// flag column is required; the other options are taken from `options`.
inline Split load_sgdl_split(const std::string& dir, const std::string& name = {},
                             SplitFileOptions options = {}, SplitFileReport* report = nullptr) {
  const SgdlSplitPaths paths = sgdl_split_paths(dir, name);
  options.flag = FlagColumn::required;
  return load_split_files(paths.train, paths.validation, paths.test, options, report);
}

}  // namespace data
}  // namespace denoise
