// Export and import of Interactions and subsets (lists of instance ids), as CSV and .npy.
//
// Interactions CSV (documented in docs/data.md):
//   # denoise-interactions v1 n_users=<U> n_items=<I> fields=<name>:<cardinality>;...
//   instance,user,item,user_raw,item_raw,label,rating,timestamp,noisy[,<field name>...]
// Interactions .npy: one float64 2-D array, one row per interaction, the same columns (no header).
// Subset CSV: a header line "instance" then one id per line. Subset .npy: 1-D int64.
// Every write is atomic (atomic_write). The .npy files are written and read by a small built-in
// codec (detail/npy_reader.hpp) that is byte-compatible with numpy and xtensor's xnpy (tested when
// DENOISE_HAS_XTENSOR is defined); it needs no dependency, so .npy exchange is always available.
#pragma once

#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/atomic_file.hpp"
#include "detail/line_reader.hpp"
#include "detail/npy_reader.hpp"
#include "detail/text.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

namespace detail {
inline const char* const exchange_columns[9] = {"instance", "user",   "item",      "user_raw", "item_raw",
                                                "label",    "rating", "timestamp", "noisy"};

inline void put(std::FILE* f, const std::string& path, const char* text, std::size_t n) {
  if (std::fwrite(text, 1, n, f) != n) throw io_error("write failed", location::in_file(path));
}
}  // namespace detail

/// Writes `data` as CSV (atomically).
inline void write_csv(const Interactions& data, const std::string& path) {
  atomic_write(path, [&](std::FILE* f) {
    std::string head = "# denoise-interactions v1 n_users=" + std::to_string(data.n_users()) +
                       " n_items=" + std::to_string(data.n_items()) + " fields=";
    for (std::size_t k = 0; k < data.n_fields(); ++k)
      head += (k ? ";" : "") + data.field_name(k) + ":" + std::to_string(data.field_cardinality(k));
    head += "\n";
    for (std::size_t c = 0; c < 9; ++c) head += std::string(c ? "," : "") + detail::exchange_columns[c];
    for (std::size_t k = 0; k < data.n_fields(); ++k) head += "," + data.field_name(k);
    head += "\n";
    detail::put(f, path, head.data(), head.size());
    char buf[512];
    for (std::size_t r = 0; r < data.size(); ++r) {
      int n = std::snprintf(buf, sizeof buf, "%" PRId64 ",%d,%d,%" PRId64 ",%" PRId64 ",%.9g,%.9g,%" PRId64 ",%d",
                            static_cast<std::int64_t>(data.instances()[r]), data.users()[r], data.items()[r],
                            data.user_ids().raw_of(data.users()[r]), data.item_ids().raw_of(data.items()[r]),
                            static_cast<double>(data.labels()[r]), static_cast<double>(data.ratings()[r]),
                            data.timestamps()[r], static_cast<int>(data.noisy()[r]));
      detail::put(f, path, buf, static_cast<std::size_t>(n));
      for (std::size_t k = 0; k < data.n_fields(); ++k) {
        n = std::snprintf(buf, sizeof buf, ",%d", data.field(k)[r]);
        detail::put(f, path, buf, static_cast<std::size_t>(n));
      }
      detail::put(f, path, "\n", 1);
    }
  });
}

namespace detail {

inline std::shared_ptr<IdMap> make_map(std::size_t n) {
  auto m = std::make_shared<IdMap>();
  if (n) m->assign(static_cast<index_t>(n - 1), IdMap::unknown_raw);
  return m;
}

/// Rows as (instance, user, item, user_raw, item_raw, label, rating, timestamp, noisy, fields...)
/// into an Interactions with maps of the given sizes.
struct row_builder {
  std::string path;
  Interactions out;
  std::shared_ptr<IdMap> users, items;
  std::vector<std::string> field_names;
  std::vector<index_t> field_cards;
  std::vector<std::vector<index_t>> field_values;

  row_builder(std::string p, std::size_t n_users, std::size_t n_items)
      : path(std::move(p)), users(make_map(n_users)), items(make_map(n_items)) {
    out.set_id_maps(users, items);
    out.set_has_ratings(true);
    out.set_has_timestamps(true);
  }

  void add(std::size_t line, std::int64_t instance, std::int64_t u, std::int64_t i, std::int64_t u_raw,
           std::int64_t i_raw, double label, double rating, std::int64_t ts, std::int64_t noisy) {
    if (instance < 0) throw input_error("negative instance id", location::at(path, line, "instance"));
    if (u < 0 || static_cast<std::size_t>(u) >= users->size())
      throw input_error("user index outside [0, n_users)", location::at(path, line, "user"));
    if (i < 0 || static_cast<std::size_t>(i) >= items->size())
      throw input_error("item index outside [0, n_items)", location::at(path, line, "item"));
    if (noisy != 0 && noisy != 1) throw input_error("noisy must be 0 or 1", location::at(path, line, "noisy"));
    auto known = [](const IdMap& m, std::int64_t dense, std::int64_t raw) {
      return m.raw_ids()[static_cast<std::size_t>(dense)] == raw;
    };
    if (!known(*users, u, u_raw)) {
      if (users->raw_ids()[static_cast<std::size_t>(u)] != IdMap::unknown_raw || (u_raw != IdMap::unknown_raw && users->contains(u_raw)))
        throw input_error("user index and raw id disagree with earlier rows", location::at(path, line, "user_raw"));
      users->assign(static_cast<index_t>(u), u_raw);
    }
    if (!known(*items, i, i_raw)) {
      if (items->raw_ids()[static_cast<std::size_t>(i)] != IdMap::unknown_raw || (i_raw != IdMap::unknown_raw && items->contains(i_raw)))
        throw input_error("item index and raw id disagree with earlier rows", location::at(path, line, "item_raw"));
      items->assign(static_cast<index_t>(i), i_raw);
    }
    out.push_back_with_instance(static_cast<index_t>(u), static_cast<index_t>(i), static_cast<float>(label),
                                static_cast<float>(rating), ts, noisy != 0, instance);
  }

  Interactions finish() {
    for (std::size_t k = 0; k < field_names.size(); ++k)
      out.add_field(field_names[k], std::move(field_values[k]), field_cards[k]);
    return std::move(out);
  }
};

}  // namespace detail

/// Reads a CSV written by write_csv.
inline Interactions read_csv(const std::string& path) {
  detail::line_reader in(path);
  std::string_view line;
  std::vector<std::string_view> f;
  detail::separator comma;
  if (!in.next(line)) throw input_error("empty file", location::in_file(path));
  const std::string_view magic = "# denoise-interactions v1 ";
  if (line.substr(0, magic.size()) != magic)
    throw input_error("not a denoise interactions CSV (missing '# denoise-interactions v1' line)", location::at(path, 1));
  std::size_t n_users = 0, n_items = 0;
  std::vector<std::string> names;
  std::vector<index_t> cards;
  {
    detail::separator blanks;
    blanks.blanks = true;
    detail::split_fields(line.substr(magic.size()), blanks, f);
    for (std::string_view kv : f) {
      const auto eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view key = kv.substr(0, eq), value = kv.substr(eq + 1);
      const detail::field_context ctx{&path, 1, key};
      if (key == "n_users") n_users = static_cast<std::size_t>(detail::parse_id(value, ctx));
      if (key == "n_items") n_items = static_cast<std::size_t>(detail::parse_id(value, ctx));
      if (key == "fields" && !value.empty()) {
        detail::separator semi;
        semi.text = ";";
        std::vector<std::string_view> parts;
        detail::split_fields(value, semi, parts);
        for (std::string_view p : parts) {
          const auto colon = p.rfind(':');
          if (colon == std::string_view::npos) throw input_error("bad field entry", location::at(path, 1, "fields"));
          names.emplace_back(p.substr(0, colon));
          cards.push_back(static_cast<index_t>(detail::parse_id(p.substr(colon + 1), detail::field_context{&path, 1, "fields"})));
        }
      }
    }
  }
  if (!in.next(line)) throw input_error("missing column header", location::at(path, 2));
  detail::split_fields(line, comma, f);
  const std::size_t n_cols = 9 + names.size();
  if (f.size() != n_cols) throw input_error("header has " + std::to_string(f.size()) + " columns, expected " + std::to_string(n_cols), location::at(path, 2));
  detail::row_builder b(path, n_users, n_items);
  b.field_names = names;
  b.field_cards = cards;
  b.field_values.resize(names.size());
  while (in.next(line)) {
    if (detail::trim(line).empty()) continue;
    const std::size_t ln = in.line_number();
    detail::split_fields(line, comma, f);
    if (f.size() != n_cols)
      throw input_error("wrong field count: expected " + std::to_string(n_cols) + ", got " + std::to_string(f.size()),
                        location::at(path, ln, f.size() < n_cols ? (f.size() < 9 ? detail::exchange_columns[f.size()] : names[f.size() - 9]) : "column " + std::to_string(n_cols + 1)));
    auto ctx = [&](std::size_t c) { return detail::field_context{&path, ln, detail::exchange_columns[c]}; };
    b.add(ln, detail::parse_int(f[0], ctx(0)), detail::parse_int(f[1], ctx(1)), detail::parse_int(f[2], ctx(2)),
          detail::parse_int(f[3], ctx(3)), detail::parse_int(f[4], ctx(4)), detail::parse_real(f[5], ctx(5)),
          detail::parse_real(f[6], ctx(6)), detail::parse_int(f[7], ctx(7)), detail::parse_int(f[8], ctx(8)));
    for (std::size_t k = 0; k < names.size(); ++k) {
      const std::int64_t v = detail::parse_int(f[9 + k], detail::field_context{&path, ln, names[k]});
      if (v < 0 || v >= cards[k]) throw input_error("field code outside [0, cardinality)", location::at(path, ln, names[k]));
      b.field_values[k].push_back(static_cast<index_t>(v));
    }
  }
  return b.finish();
}

/// Writes a subset (instance ids) as CSV: "instance" then one id per line.
inline void write_subset_csv(span<const offset_t> ids, const std::string& path) {
  atomic_write(path, [&](std::FILE* f) {
    detail::put(f, path, "instance\n", 9);
    char buf[32];
    for (offset_t id : ids) {
      const int n = std::snprintf(buf, sizeof buf, "%" PRId64 "\n", static_cast<std::int64_t>(id));
      detail::put(f, path, buf, static_cast<std::size_t>(n));
    }
  });
}

inline std::vector<offset_t> read_subset_csv(const std::string& path) {
  detail::line_reader in(path);
  std::string_view line;
  if (!in.next(line)) throw input_error("empty file", location::in_file(path));
  if (detail::trim(line) != "instance") throw input_error("expected the header 'instance'", location::at(path, 1, "instance"));
  std::vector<offset_t> ids;
  while (in.next(line)) {
    if (detail::trim(line).empty()) continue;
    ids.push_back(detail::parse_id(line, detail::field_context{&path, in.line_number(), "instance"}));
  }
  return ids;
}

/// Writes `data` as a float64 .npy array (rows x (9 + n_fields)), atomically.
inline void write_npy(const Interactions& data, const std::string& path) {
  const std::size_t cols = 9 + data.n_fields();
  std::vector<double> table(data.size() * cols);
  for (std::size_t r = 0; r < data.size(); ++r) {
    double* row = table.data() + r * cols;
    row[0] = static_cast<double>(data.instances()[r]);
    row[1] = data.users()[r];
    row[2] = data.items()[r];
    row[3] = static_cast<double>(data.user_ids().raw_of(data.users()[r]));
    row[4] = static_cast<double>(data.item_ids().raw_of(data.items()[r]));
    row[5] = data.labels()[r];
    row[6] = data.ratings()[r];
    row[7] = static_cast<double>(data.timestamps()[r]);
    row[8] = data.noisy()[r];
    for (std::size_t k = 0; k < data.n_fields(); ++k) row[9 + k] = data.field(k)[r];
  }
  const std::vector<std::size_t> shape{data.size(), cols};
  atomic_write_bytes(path, detail::npy_bytes(table, shape, "<f8"));
}

/// Reads an array written by write_npy. The .npy carries no names or sizes: n_users / n_items
/// (0: one more than the largest index) and the field names/cardinalities (default "f<k>" and
/// one more than the largest code) can be given.
inline Interactions read_npy(const std::string& path, std::size_t n_users = 0, std::size_t n_items = 0,
                             std::vector<std::string> field_names = {}, std::vector<index_t> field_cards = {}) {
  const auto arr = detail::read_npy_file<double>(path, "<f8");
  if (arr.shape.size() != 2 || arr.shape[1] < 9)
    throw input_error("expected a 2-D array with at least 9 columns", location::in_file(path));
  const std::size_t rows = arr.shape[0], cols = arr.shape[1], nf = cols - 9;
  auto a = [&](std::size_t r, std::size_t c) { return arr.values[r * cols + c]; };
  auto as_int = [&](std::size_t r, std::size_t c) {
    const double v = a(r, c);
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9.007199254740992e15)
      throw input_error("not an integer value", location::at(path, r + 1, c < 9 ? detail::exchange_columns[c] : "field"));
    return static_cast<std::int64_t>(v);
  };
  for (std::size_t r = 0; r < rows; ++r) {
    n_users = std::max(n_users, static_cast<std::size_t>(std::max<std::int64_t>(0, as_int(r, 1) + 1)));
    n_items = std::max(n_items, static_cast<std::size_t>(std::max<std::int64_t>(0, as_int(r, 2) + 1)));
  }
  field_names.resize(nf);
  for (std::size_t k = 0; k < nf; ++k)
    if (field_names[k].empty()) field_names[k] = "f" + std::to_string(k);
  if (field_cards.size() < nf) {
    const std::size_t given = field_cards.size();
    field_cards.resize(nf, 0);
    for (std::size_t k = given; k < nf; ++k)
      for (std::size_t r = 0; r < rows; ++r)
        field_cards[k] = std::max(field_cards[k], static_cast<index_t>(as_int(r, 9 + k) + 1));
  }
  detail::row_builder b(path, n_users, n_items);
  b.field_names = field_names;
  b.field_cards = field_cards;
  b.field_values.resize(nf);
  for (std::size_t r = 0; r < rows; ++r) {
    if (!std::isfinite(a(r, 5)) || !std::isfinite(a(r, 6)))
      throw input_error("NaN or infinity", location::at(path, r + 1, "label"));
    b.add(r + 1, as_int(r, 0), as_int(r, 1), as_int(r, 2), as_int(r, 3), as_int(r, 4), a(r, 5), a(r, 6),
          as_int(r, 7), as_int(r, 8));
    for (std::size_t k = 0; k < nf; ++k) {
      const std::int64_t v = as_int(r, 9 + k);
      if (v < 0 || v >= field_cards[k]) throw input_error("field code outside [0, cardinality)", location::at(path, r + 1, field_names[k]));
      b.field_values[k].push_back(static_cast<index_t>(v));
    }
  }
  return b.finish();
}

/// Writes a subset as a 1-D int64 .npy, atomically.
inline void write_subset_npy(span<const offset_t> ids, const std::string& path) {
  std::vector<std::int64_t> v(ids.begin(), ids.end());
  const std::vector<std::size_t> shape{v.size()};
  atomic_write_bytes(path, detail::npy_bytes(v, shape, "<i8"));
}

inline std::vector<offset_t> read_subset_npy(const std::string& path) {
  const auto arr = detail::read_npy_file<std::int64_t>(path, "<i8");
  if (arr.shape.size() != 1) throw input_error("expected a 1-D array", location::in_file(path));
  std::vector<offset_t> ids(arr.values.begin(), arr.values.end());
  for (std::size_t k = 0; k < ids.size(); ++k)
    if (ids[k] < 0) throw input_error("negative instance id", location::at(path, k + 1, "instance"));
  return ids;
}

}  // namespace data
}  // namespace denoise
