// Atomic file output: results a user keeps (checkpoints, subsets, weights, logs) are written to a
// temporary file in the destination's directory and renamed over the destination only once
// complete. A failure at any point leaves the previous file untouched and no temporary behind.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

#include <unistd.h>

#include "error.hpp"

namespace denoise {

/// Calls write(std::ofstream&) on a temporary file beside `path`, then renames it to `path`.
/// Throws io_error (naming `path`) if the file cannot be created, written or renamed; any
/// exception from `write` propagates after the temporary is removed.
template <class Writer>
void write_file_atomically(const std::string& path, Writer&& write,
                           std::ios::openmode mode = std::ios::out | std::ios::trunc) {
  const std::string temp = path + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  struct remove_on_failure {
    const std::string& file;
    bool armed = true;
    ~remove_on_failure() {
      if (armed) std::remove(file.c_str());
    }
  } guard{temp};

  {
    std::ofstream out(temp, mode);
    if (!out) {
      throw io_error(std::string("cannot create a temporary file for writing: ") + std::strerror(errno),
                     location::in_file(path));
    }
    std::forward<Writer>(write)(out);
    out.flush();
    if (!out) throw io_error("write failed (disk full or I/O error)", location::in_file(path));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    throw io_error(std::string("cannot replace the file: ") + std::strerror(errno), location::in_file(path));
  }
  guard.armed = false;
}

}  // namespace denoise
