// Private: reads a file (or a memory buffer) line by line in 1 MiB chunks, handing out
// string_views into its own buffer. No per-line allocation; the buffer only grows when one line
// is longer than it. Line numbers are 1-based; "\r\n" endings are accepted.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/error.hpp"

namespace denoise {
namespace data {
namespace detail {

class line_reader {
 public:
  static constexpr std::size_t chunk_size = std::size_t(1) << 20;

  /// Opens `path`; an unreadable path is an io_error naming it.
  explicit line_reader(std::string path) : name_(std::move(path)) {
    file_ = std::fopen(name_.c_str(), "rb");
    if (!file_) throw io_error("cannot open file for reading", location::in_file(name_));
    buffer_.resize(chunk_size);
  }

  /// Reads from memory; `name` appears in error messages.
  line_reader(std::string_view text, std::string name) : name_(std::move(name)), memory_(text) {}

  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;
  ~line_reader() {
    if (file_) std::fclose(file_);
  }

  const std::string& name() const noexcept { return name_; }
  std::size_t line_number() const noexcept { return line_; }
  std::size_t bytes_read() const noexcept { return bytes_; }

  /// The next line without its terminator; false at the end of input.
  bool next(std::string_view& line) {
    if (!file_) return next_memory(line);
    for (;;) {
      const char* start = buffer_.data() + begin_;
      const std::size_t avail = end_ - begin_;
      const void* nl = avail ? std::memchr(start, '\n', avail) : nullptr;
      if (nl) {
        const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
        begin_ += len + 1;
        line = strip_cr(std::string_view(start, len));
        ++line_;
        return true;
      }
      if (eof_) {
        if (avail == 0) return false;
        begin_ = end_;
        line = strip_cr(std::string_view(start, avail));
        ++line_;
        return true;
      }
      refill();
    }
  }

 private:
  static std::string_view strip_cr(std::string_view s) noexcept {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }

  bool next_memory(std::string_view& line) {
    if (memory_pos_ >= memory_.size()) return false;
    const std::size_t nl = memory_.find('\n', memory_pos_);
    const std::size_t stop = nl == std::string_view::npos ? memory_.size() : nl;
    line = strip_cr(memory_.substr(memory_pos_, stop - memory_pos_));
    bytes_ += stop - memory_pos_ + (nl == std::string_view::npos ? 0 : 1);
    memory_pos_ = stop + 1;
    ++line_;
    return true;
  }

  void refill() {
    // Move the partial line to the front, grow if the partial line fills the buffer, then read.
    const std::size_t keep = end_ - begin_;
    if (keep && begin_) std::memmove(buffer_.data(), buffer_.data() + begin_, keep);
    begin_ = 0;
    end_ = keep;
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    if (got == 0) {
      if (std::ferror(file_))
        throw io_error("read error after line " + std::to_string(line_), location::in_file(name_));
      eof_ = true;
    }
    end_ += got;
    bytes_ += got;
  }

  std::string name_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::string_view memory_;
  std::size_t memory_pos_ = 0;
  std::size_t line_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace detail
}  // namespace data
}  // namespace denoise
