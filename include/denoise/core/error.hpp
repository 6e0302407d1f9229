// The library's exception hierarchy. Every failure a user can cause (bad input, a misconfigured
// policy, an unreadable file, a diverging run) is a denoise::error; the message names where it
// happened (file, line, field) so the user can fix the input without a debugger.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace denoise {

/// Where an error happened. Empty parts are left out of the message.
struct location {
  std::string file;       ///< path of the file being read or written, if any
  std::size_t line = 0;   ///< 1-based line number; 0 when not applicable
  std::string field;      ///< column, flag or parameter name, if any

  static location in_file(std::string path) { return {std::move(path), 0, {}}; }
  static location at(std::string path, std::size_t line_number, std::string field_name = {}) {
    return {std::move(path), line_number, std::move(field_name)};
  }
  static location of_field(std::string field_name) { return {{}, 0, std::move(field_name)}; }

  /// "file:line: field 'name'" with only the known parts.
  std::string describe() const {
    std::string out = file;
    if (line != 0) out += (out.empty() ? "line " : ":") + std::to_string(line);
    if (!field.empty()) out += (out.empty() ? "" : ": ") + std::string("field '") + field + "'";
    return out;
  }
};

/// Base of every exception the library throws on purpose.
class error : public std::runtime_error {
 public:
  error(const std::string& message, location where = {})
      : std::runtime_error(format(message, where)), where_(std::move(where)), reason_(message) {}

  const location& where() const noexcept { return where_; }
  const std::string& file() const noexcept { return where_.file; }
  std::size_t line() const noexcept { return where_.line; }
  const std::string& field() const noexcept { return where_.field; }
  /// The message without the location prefix.
  const std::string& reason() const noexcept { return reason_; }

 private:
  static std::string format(const std::string& message, const location& where) {
    const std::string prefix = where.describe();
    return prefix.empty() ? "denoise: " + message : "denoise: " + prefix + ": " + message;
  }

  location where_;
  std::string reason_;
};

/// Malformed data: a wrong field count, a non-number, an id out of range, a NaN, an empty file.
class input_error : public error {
 public:
  using error::error;
};

/// A file that cannot be opened, read, written or renamed.
class io_error : public error {
 public:
  using error::error;
};

/// A policy or flag configured with a value it cannot work with (checked at run time).
class config_error : public error {
 public:
  using error::error;
};

/// Training produced a non-finite loss or parameter; the run is stopped rather than continued.
class divergence_error : public error {
 public:
  using error::error;
};

}  // namespace denoise
