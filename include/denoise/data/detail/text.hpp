// Private text helpers of the data layer: field splitting and number parsing on string_views,
// without allocating. Every failure is a denoise::input_error naming file, line and column.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../../core/error.hpp"

namespace denoise {
namespace data {
namespace detail {

/// How the fields of a line are separated: one character, a string ("::"), or runs of blanks.
struct separator {
  std::string text = ",";  ///< ignored when `blanks` is true
  bool blanks = false;     ///< split on runs of spaces and tabs, ignoring leading/trailing ones
};

/// Splits `line` into `out` (cleared first; its capacity is reused across lines).
inline void split_fields(std::string_view line, const separator& sep,
                         std::vector<std::string_view>& out) {
  out.clear();
  if (sep.blanks) {
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (i < n) {
      while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i >= n) break;
      const std::size_t start = i;
      while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
      out.push_back(line.substr(start, i - start));
    }
    return;
  }
  if (sep.text.size() == 1) {
    const char c = sep.text[0];
    const char* p = line.data();
    const char* end = p + line.size();
    for (;;) {
      const void* hit = p == end ? nullptr : std::memchr(p, c, static_cast<std::size_t>(end - p));
      if (!hit) {
        out.emplace_back(p, static_cast<std::size_t>(end - p));
        return;
      }
      const char* q = static_cast<const char*>(hit);
      out.emplace_back(p, static_cast<std::size_t>(q - p));
      p = q + 1;
    }
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t hit = line.find(sep.text, start);
    if (hit == std::string_view::npos) {
      out.push_back(line.substr(start));
      return;
    }
    out.push_back(line.substr(start, hit - start));
    start = hit + sep.text.size();
  }
}

/// Removes spaces and tabs at both ends (numbers in CSV files are often padded).
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// A short, printable excerpt of a bad field for error messages.
inline std::string excerpt(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F) ? c : '?';
  }
  if (s.size() > 40) out += "...";
  return out;
}

/// Where a field is, for error messages (kept as pointers: nothing is copied until a throw).
struct field_context {
  const std::string* file;
  std::size_t line;
  std::string_view column;

  location where() const { return location::at(*file, line, std::string(column)); }
};

/// A signed integer; the whole (trimmed) field must be the number.
inline std::int64_t parse_int(std::string_view text, const field_context& ctx) {
  const std::string_view s = trim(text);
  if (s.empty()) throw input_error("empty field, expected an integer", ctx.where());
  const char* first = s.data();
  if (*first == '+') ++first;
  std::int64_t value = 0;
  const auto r = std::from_chars(first, s.data() + s.size(), value);
  if (r.ec == std::errc::result_out_of_range)
    throw input_error("integer out of range: '" + excerpt(s) + "'", ctx.where());
  if (r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw input_error("not an integer: '" + excerpt(s) + "'", ctx.where());
  return value;
}

/// A user or item id: a non-negative integer that fits in int64.
inline std::int64_t parse_id(std::string_view text, const field_context& ctx) {
  const std::int64_t v = parse_int(text, ctx);
  if (v < 0) throw input_error("negative id: " + std::to_string(v), ctx.where());
  return v;
}

/// A finite real number (NaN and infinities are rejected).
inline double parse_real(std::string_view text, const field_context& ctx) {
  const std::string_view s = trim(text);
  if (s.empty()) throw input_error("empty field, expected a number", ctx.where());
  const char* first = s.data();
  if (*first == '+') ++first;
  double value = 0;
  const auto r = std::from_chars(first, s.data() + s.size(), value);
  if (r.ec == std::errc::result_out_of_range)
    throw input_error("number out of range: '" + excerpt(s) + "'", ctx.where());
  if (r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw input_error("not a number: '" + excerpt(s) + "'", ctx.where());
  if (std::isnan(value)) throw input_error("NaN is not allowed", ctx.where());
  if (std::isinf(value)) throw input_error("infinity is not allowed", ctx.where());
  return value;
}

/// Appends the UTF-8 encoding of ISO-8859-1 text (MovieLens side files are Latin-1).
inline void append_latin1_as_utf8(std::string& out, std::string_view latin1) {
  for (char c : latin1) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
}

}  // namespace detail
}  // namespace data
}  // namespace denoise
