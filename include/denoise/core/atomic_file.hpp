// Atomic file output: results a user keeps (checkpoints, subsets, weights, logs, plots) go to a
// temporary file in the destination's directory, which is flushed, synced and renamed over the
// destination only when everything succeeded. A failure at any point (an I/O error or an
// exception from the writer) removes the temporary file and leaves any old file untouched.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ios>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <unistd.h>

#include "error.hpp"

namespace denoise {

/// Calls writer(std::FILE*) on a temporary file next to `path`, then renames it to `path`.
template <class Writer>
void atomic_write(const std::string& path, Writer&& writer) {
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(&temp[0]);
  if (fd < 0) {
    throw io_error(std::string("cannot create a temporary file next to it: ") + std::strerror(errno),
                   location::in_file(path));
  }
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    ::close(fd);
    std::remove(temp.c_str());
    throw io_error("cannot open the temporary file", location::in_file(path));
  }
  try {
    std::forward<Writer>(writer)(f);
  } catch (...) {
    std::fclose(f);
    std::remove(temp.c_str());
    throw;
  }
  const bool ok = std::fflush(f) == 0 && !std::ferror(f) && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) {
    std::remove(temp.c_str());
    throw io_error("write failed (disk full or I/O error)", location::in_file(path));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp.c_str());
    throw io_error("cannot rename the temporary file into place: " + reason, location::in_file(path));
  }
}

/// Writes `bytes` atomically to `path`.
inline void atomic_write_bytes(const std::string& path, std::string_view bytes) {
  atomic_write(path, [&](std::FILE* f) {
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
      throw io_error("write failed", location::in_file(path));
    }
  });
}

/// Calls write(std::ostream&) to build the content in memory, then writes it atomically. For the
/// small structured outputs (logs, checkpoints, JSON, SVG) where a stream is the natural interface.
template <class Writer>
void write_file_atomically(const std::string& path, Writer&& write) {
  std::ostringstream out(std::ios::out | std::ios::binary);
  std::forward<Writer>(write)(static_cast<std::ostream&>(out));
  if (!out) throw io_error("formatting the output failed", location::in_file(path));
  atomic_write_bytes(path, out.str());
}

}  // namespace denoise
