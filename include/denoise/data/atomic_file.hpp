// Atomic file writes: the content goes to a temporary file in the same directory, which is
// flushed, synced and renamed over the target only when everything succeeded. A failed write
// (an error or an exception from the writer) removes the temporary file and leaves any old file
// untouched.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unistd.h>

#include "../core/error.hpp"

namespace denoise {
namespace data {

/// Calls writer(std::FILE*) on a temporary file next to `path`, then renames it to `path`.
template <class Writer>
void atomic_write(const std::string& path, Writer&& writer) {
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    throw io_error(std::string("cannot create a temporary file next to it: ") + std::strerror(errno),
                   location::in_file(path));
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    ::close(fd);
    std::remove(temp.c_str());
    throw io_error("cannot open the temporary file", location::in_file(path));
  }
  try {
    writer(f);
  } catch (...) {
    std::fclose(f);
    std::remove(temp.c_str());
    throw;
  }
  const bool ok = std::fflush(f) == 0 && !std::ferror(f) && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) {
    std::remove(temp.c_str());
    throw io_error("write failed", location::in_file(path));
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
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
      throw io_error("write failed", location::in_file(path));
  });
}

}  // namespace data
}  // namespace denoise
