// Private: reads a file (or a memory buffer) line by line in 1 MiB chunks, handing out
// string_views into its own buffer. No per-line allocation; the buffer only grows when one line
// is longer than it, up to max_line_length (16 MiB by default): a longer line is an input_error
// naming the file and line, so that a binary file or one without line breaks (/dev/zero) fails
// at once instead of growing the buffer until memory runs out. Line numbers are 1-based; "\r\n"
// endings are accepted, and a UTF-8 byte-order mark at the start of the input is skipped (editors
// on Windows write one; it would otherwise stick to the first field or header name).
#pragma once

#include <cerrno>
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
  static constexpr std::size_t default_max_line_length = std::size_t(16) << 20;

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
  /// Lines longer than `bytes` (terminator excluded) are an input_error.
  void set_max_line_length(std::size_t bytes) noexcept { max_line_ = bytes; }

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
        line = finish(std::string_view(start, len));
        return true;
      }
      if (eof_) {
        if (avail == 0) return false;
        begin_ = end_;
        line = finish(std::string_view(start, avail));
        return true;
      }
      refill();
    }
  }

 private:
  // The line as handed out: length checked, "\r" dropped, the byte-order mark of line 1 skipped.
  std::string_view finish(std::string_view s) {
    check_length(s.size());
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    if (line_ == 0 && s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.remove_prefix(3);
    ++line_;
    return s;
  }

  void check_length(std::size_t length) const {
    if (length > max_line_)
      throw input_error("line longer than " + std::to_string(max_line_) +
                            " bytes (a binary file, or one without line breaks?)",
                        location::at(name_, line_ + 1));
  }

  bool next_memory(std::string_view& line) {
    if (memory_pos_ >= memory_.size()) return false;
    const std::size_t nl = memory_.find('\n', memory_pos_);
    const std::size_t stop = nl == std::string_view::npos ? memory_.size() : nl;
    line = finish(memory_.substr(memory_pos_, stop - memory_pos_));
    bytes_ += stop - memory_pos_ + (nl == std::string_view::npos ? 0 : 1);
    memory_pos_ = stop + 1;
    return true;
  }

  void refill() {
    // Move the partial line to the front, grow if the partial line fills the buffer, then read.
    const std::size_t keep = end_ - begin_;
    if (keep && begin_) std::memmove(buffer_.data(), buffer_.data() + begin_, keep);
    begin_ = 0;
    end_ = keep;
    check_length(keep);  // the partial line alone is already too long
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    errno = 0;
    const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    if (got == 0) {
      if (std::ferror(file_)) {
        // The system's reason, e.g. "Is a directory" (fopen opens a directory; the read fails).
        const int cause = errno;
        const std::string why = cause ? ": " + std::string(std::strerror(cause)) : std::string();
        throw io_error("read error after line " + std::to_string(line_) + why, location::in_file(name_));
      }
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
  std::size_t max_line_ = default_max_line_length;
};

}  // namespace detail
}  // namespace data
}  // namespace denoise
