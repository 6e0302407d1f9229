// Checkpoints: a model's parameters (and buffers, such as BatchNorm running statistics) in a small binary file, written atomically, read back
// bit-identically. Loading checks everything before touching the model, so a bad file leaves
// the model as it was.
//
// Format (little-endian as written by this machine; all integers unsigned 32-bit unless noted):
//   "DNSCKPT1"                 8-byte magic
//   scalar_bytes               4 or 8 (float or double parameters)
//   parts                      number of state matrices: the parameters in visit_parameters order,
//                              then the buffers in visit_buffers order (nn/buffers.hpp)
//   per part: name_length, name bytes, rows (int32), cols (int32), rows*cols scalars (row-major)
//   "END!"                     4-byte trailer (detects truncation)
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "../core/atomic_file.hpp"
#include "../core/error.hpp"
#include "../nn/buffers.hpp"
#include "../nn/parameter.hpp"

namespace denoise {
namespace train {

namespace detail {
constexpr char checkpoint_magic[8] = {'D', 'N', 'S', 'C', 'K', 'P', 'T', '1'};
constexpr char checkpoint_trailer[4] = {'E', 'N', 'D', '!'};

template <class T>
void put(std::ostream& out, T v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
}  // namespace detail

/// Writes every parameter and buffer of `model` to `path` (atomically: the old file survives a failure).
template <class B, class Model>
void save_checkpoint(Model& model, const std::string& path) {
  using scalar = typename B::scalar;
  std::vector<std::vector<scalar>> values;
  std::vector<std::string> names;
  std::vector<std::int32_t> shapes;
  nn::visit_state<B>(model, [&](const char* name, typename B::matrix& value) {
    names.emplace_back(name);
    shapes.push_back(value.rows());
    shapes.push_back(value.cols());
    values.emplace_back();
    B::to_host(value, values.back());
  });
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        out.write(detail::checkpoint_magic, sizeof detail::checkpoint_magic);
        detail::put<std::uint32_t>(out, static_cast<std::uint32_t>(sizeof(scalar)));
        detail::put<std::uint32_t>(out, static_cast<std::uint32_t>(names.size()));
        for (std::size_t i = 0; i < names.size(); ++i) {
          detail::put<std::uint32_t>(out, static_cast<std::uint32_t>(names[i].size()));
          out.write(names[i].data(), static_cast<std::streamsize>(names[i].size()));
          detail::put<std::int32_t>(out, shapes[2 * i]);
          detail::put<std::int32_t>(out, shapes[2 * i + 1]);
          out.write(reinterpret_cast<const char*>(values[i].data()),
                    static_cast<std::streamsize>(values[i].size() * sizeof(scalar)));
        }
        out.write(detail::checkpoint_trailer, sizeof detail::checkpoint_trailer);
      });
}

/// Reads `path` into `model`. Throws io_error if unreadable, input_error (naming the file and the
/// field) if it is not a checkpoint, is truncated, or does not match the model's parameters.
template <class B, class Model>
void load_checkpoint(Model& model, const std::string& path) {
  using scalar = typename B::scalar;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("cannot open the checkpoint", location::in_file(path));
  auto fail = [&](const std::string& field, const std::string& why) {
    throw input_error(why, location::at(path, 0, field));
  };
  auto get_u32 = [&](const char* field) {
    std::uint32_t v = 0;
    if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) fail(field, "truncated checkpoint");
    return v;
  };
  auto get_i32 = [&](const char* field) {
    std::int32_t v = 0;
    if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) fail(field, "truncated checkpoint");
    return v;
  };

  char magic[8] = {};
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, detail::checkpoint_magic, sizeof magic) != 0) {
    fail("magic", "not a denoise checkpoint");
  }
  if (get_u32("scalar_bytes") != sizeof(scalar)) {
    fail("scalar_bytes", "the checkpoint's scalar type differs from the model's");
  }
  const std::uint32_t parts = get_u32("parts");

  // Read all of it first; the model is only written once every check has passed.
  std::vector<std::string> names(parts);
  std::vector<std::vector<scalar>> values(parts);
  std::vector<std::int32_t> shapes(2 * static_cast<std::size_t>(parts));
  for (std::uint32_t i = 0; i < parts; ++i) {
    const std::uint32_t length = get_u32("name_length");
    if (length > 4096) fail("name_length", "implausible parameter name length");
    names[i].resize(length);
    if (!in.read(&names[i][0], static_cast<std::streamsize>(length))) fail("name", "truncated checkpoint");
    shapes[2 * i] = get_i32("rows");
    shapes[2 * i + 1] = get_i32("cols");
    if (shapes[2 * i] < 0 || shapes[2 * i + 1] < 0) fail("rows", "negative shape");
    values[i].resize(static_cast<std::size_t>(shapes[2 * i]) * static_cast<std::size_t>(shapes[2 * i + 1]));
    if (!in.read(reinterpret_cast<char*>(values[i].data()), static_cast<std::streamsize>(values[i].size() * sizeof(scalar)))) {
      fail(names[i], "truncated checkpoint");
    }
  }
  char trailer[4] = {};
  if (!in.read(trailer, sizeof trailer) || std::memcmp(trailer, detail::checkpoint_trailer, sizeof trailer) != 0) {
    fail("trailer", "truncated checkpoint");
  }

  std::uint32_t index = 0;
  nn::visit_state<B>(model, [&](const char* name, typename B::matrix& value) {
    if (index >= parts) fail("parts", "the checkpoint has fewer parameters and buffers than the model");
    if (names[index] != name || shapes[2 * index] != value.rows() || shapes[2 * index + 1] != value.cols()) {
      fail(names[index], "part #" + std::to_string(index) + " does not match the model's '" + name + "' (" +
                             std::to_string(value.rows()) + "x" + std::to_string(value.cols()) + ")");
    }
    ++index;
  });
  if (index != parts) fail("parts", "the checkpoint has more parameters and buffers than the model");
  index = 0;
  nn::visit_state<B>(model, [&](const char*, typename B::matrix& value) {
    B::from_host(values[index], value.rows(), value.cols(), value);
    ++index;
  });
}

}  // namespace train
}  // namespace denoise
