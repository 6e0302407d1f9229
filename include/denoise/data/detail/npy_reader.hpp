// Private: a small writer and reader for the .npy arrays of the data layer (format version 1.0,
// little-endian float64 '<f8' or int64 '<i8', C order), byte-compatible with numpy and with
// xtensor's xt::dump_npy / xt::load_npy (tested). Not using <xtensor/xnpy.hpp> here because it
// compiles std::regex in every translation unit that includes it, which trips g++ 12
// -Wmaybe-uninitialized false positives in sanitizer builds. Malformed files are input_errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/error.hpp"

namespace denoise {
namespace data {
namespace detail {

template <class T>
struct npy_array {
  std::vector<std::size_t> shape;
  std::vector<T> values;
};

/// The bytes of a .npy file (version 1.0) holding `values` with `shape` and dtype `descr`.
template <class T>
std::string npy_bytes(const std::vector<T>& values, const std::vector<std::size_t>& shape, std::string_view descr) {
  static_assert(sizeof(T) == 8, "8-byte element types only");
  std::string dict = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (";
  for (std::size_t k = 0; k < shape.size(); ++k) dict += std::to_string(shape[k]) + (shape.size() == 1 || k + 1 < shape.size() ? "," : "");
  dict += "), }";
  // magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of 64.
  std::size_t total = 10 + dict.size() + 1;
  const std::size_t pad = (64 - total % 64) % 64;
  dict.append(pad, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xFF);
  out += static_cast<char>((dict.size() >> 8) & 0xFF);
  out += dict;
  const std::size_t start = out.size();
  out.resize(start + values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(&out[start], values.data(), values.size() * sizeof(T));
  return out;
}

/// Reads a C-order .npy array whose dtype must be `descr` ("<f8" or "<i8"), T of the same size.
template <class T>
npy_array<T> read_npy_file(const std::string& path, std::string_view descr) {
  static_assert(sizeof(T) == 8, "8-byte element types only");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw io_error("cannot open file for reading", location::in_file(path));
  std::vector<char> bytes;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw io_error("read error", location::in_file(path));
  auto bad = [&](const std::string& why) { return input_error("not a valid .npy file: " + why, location::in_file(path)); };
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) throw bad("missing magic string");
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw bad("truncated header");
    for (int k = 3; k >= 0; --k) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(k)]);
    header_start = 12;
  } else {
    throw bad("unsupported version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) throw bad("truncated header");
  const std::string_view header(bytes.data() + header_start, header_len);
  auto value_of = [&](std::string_view key) {
    const std::size_t at = header.find(key);
    if (at == std::string_view::npos) throw bad("header lacks " + std::string(key));
    std::size_t p = at + key.size();
    while (p < header.size() && (header[p] == ' ' || header[p] == ':')) ++p;
    return header.substr(p);
  };
  const std::string_view d = value_of("'descr'");
  if (d.size() < descr.size() + 2 || d.substr(1, descr.size()) != descr || (d[0] != '\'' && d[0] != '"'))
    throw bad("dtype must be '" + std::string(descr) + "'");
  if (value_of("'fortran_order'").substr(0, 5) != "False") throw bad("Fortran order is not supported");
  std::string_view s = value_of("'shape'");
  if (s.empty() || s[0] != '(') throw bad("malformed shape");
  npy_array<T> out;
  std::size_t p = 1, count = 1;
  for (;;) {
    while (p < s.size() && (s[p] == ' ' || s[p] == ',')) ++p;
    if (p >= s.size()) throw bad("malformed shape");
    if (s[p] == ')') break;
    std::size_t dim = 0;
    const std::size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (dim > (std::size_t(1) << 40)) throw bad("shape too large");
      dim = dim * 10 + static_cast<std::size_t>(s[p] - '0');
      ++p;
    }
    if (p == start) throw bad("malformed shape");
    out.shape.push_back(dim);
    if (dim != 0 && count > (std::size_t(1) << 40) / dim) throw bad("shape too large");
    count *= dim;
  }
  const std::size_t data_start = header_start + header_len;
  if (bytes.size() - data_start != count * sizeof(T)) throw bad("data size does not match the shape");
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  if (first != 1) throw bad("big-endian hosts are not supported");
  out.values.resize(count);
  if (count) std::memcpy(out.values.data(), bytes.data() + data_start, count * sizeof(T));
  return out;
}

}  // namespace detail
}  // namespace data
}  // namespace denoise
