// A small streaming JSON writer for logs and result files: objects, arrays, strings (escaped),
// numbers (non-finite values become null, since JSON has no NaN) and booleans.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace denoise {

class json_writer {
 public:
  explicit json_writer(std::ostream& out, bool pretty = true) : out_(out), pretty_(pretty) {}

  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }

  /// The key of the next value inside an object.
  json_writer& key(std::string_view name) {
    separate();
    write_string(name);
    out_ << (pretty_ ? ": " : ":");
    after_key_ = true;
    return *this;
  }

  json_writer& value(std::string_view s) {
    separate();
    write_string(s);
    return *this;
  }
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(bool b) {
    separate();
    out_ << (b ? "true" : "false");
    return *this;
  }
  json_writer& value(double x) {
    separate();
    if (!std::isfinite(x)) {
      out_ << "null";
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", x);
      out_ << buffer;
    }
    return *this;
  }
  json_writer& value(float x) { return value(static_cast<double>(x)); }
  json_writer& value(std::int64_t x) {
    separate();
    out_ << x;
    return *this;
  }
  json_writer& value(int x) { return value(static_cast<std::int64_t>(x)); }
  json_writer& value(std::size_t x) {
    separate();
    out_ << x;
    return *this;
  }

  template <class T>
  json_writer& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  template <class T>
  json_writer& array(const std::vector<T>& values) {
    begin_array();
    for (const auto& v : values) value(v);
    return end_array();
  }

  /// True once every opened object and array has been closed.
  bool complete() const { return depth_.empty() && wrote_root_; }

 private:
  json_writer& open(char c) {
    separate();
    out_ << c;
    depth_.push_back(false);
    return *this;
  }
  json_writer& close(char c) {
    if (depth_.empty()) throw error("json_writer: close without a matching open");
    const bool had_items = depth_.back();
    depth_.pop_back();
    if (pretty_ && had_items) newline();
    out_ << c;
    if (depth_.empty()) wrote_root_ = true;
    return *this;
  }
  // Writes the comma and indentation that precede a value or key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_.empty()) return;
    if (depth_.back()) out_ << ',';
    depth_.back() = true;
    if (pretty_) newline();
  }
  void newline() {
    out_ << '\n';
    for (std::size_t i = 0; i < depth_.size(); ++i) out_ << "  ";
  }
  void write_string(std::string_view s) {
    out_ << '"';
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out_ << "\\\""; break;
        case '\\': out_ << "\\\\"; break;
        case '\n': out_ << "\\n"; break;
        case '\r': out_ << "\\r"; break;
        case '\t': out_ << "\\t"; break;
        default:
          if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out_ << buffer;
          } else {
            out_ << ch;
          }
      }
    }
    out_ << '"';
  }

  std::ostream& out_;
  bool pretty_;
  bool after_key_ = false;
  bool wrote_root_ = false;
  std::vector<bool> depth_;  // per open container: has it written an item yet
};

}  // namespace denoise
