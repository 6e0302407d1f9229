// Atomic file output: results a user keeps (checkpoints, subsets, weights, logs, plots) go to a
// temporary file in the destination's directory, which is flushed, synced and renamed over the
// destination only when everything succeeded. A failure at any point (an I/O error or an
// exception from the writer) removes the temporary file and leaves any old file untouched.
//
// Permissions: the new file gets the mode of the file it replaces, or 0666 less the umask for a
// new one, like a file opened with fopen (mkstemp alone would leave 0600).
//
// Signals: install_temp_file_cleanup() (the CLI calls it first thing) installs a SIGINT/SIGTERM
// handler that unlinks the temporary files being written at that moment, then re-raises the
// signal with its default action. Its only work is unlink() and sigaction()/raise(), all
// async-signal-safe, over a fixed table of names registered by atomic_write (no allocation, no
// lock). Not covered, by nature: SIGKILL, a power loss, more than 16 files written at once, and
// paths over 4095 bytes; such a leftover is a `<path>.tmp.XXXXXX` file next to its destination,
// never a damaged destination.
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

#include <atomic>
#include <csignal>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.hpp"

namespace denoise {
namespace detail {

static_assert(ATOMIC_INT_LOCK_FREE == 2, "the temp-file table is read in a signal handler: it needs lock-free atomics");

/// The temporary files being written now, as a signal handler may read them.
struct temp_file_table {
  static constexpr int slots = 16;
  static constexpr std::size_t max_path = 4096;
  std::atomic<int> state[slots];  ///< 0 free, 1 being filled, 2 registered
  char name[slots][max_path];
};

inline temp_file_table& temp_files() {
  static temp_file_table table{};
  return table;
}

/// Registers `path` for cleanup on a signal; the slot to release, or -1 when none was free.
inline int register_temp_file(const std::string& path) noexcept {
  auto& t = temp_files();
  if (path.size() >= temp_file_table::max_path) return -1;
  for (int i = 0; i < temp_file_table::slots; ++i) {
    int expected = 0;
    if (!t.state[i].compare_exchange_strong(expected, 1)) continue;
    std::memcpy(t.name[i], path.c_str(), path.size() + 1);
    t.state[i].store(2);
    return i;
  }
  return -1;
}

inline void release_temp_file(int slot) noexcept {
  if (slot >= 0) temp_files().state[slot].store(0);
}

inline void cleanup_temp_files_on_signal(int sig) {
  auto& t = temp_files();
  for (int i = 0; i < temp_file_table::slots; ++i)
    if (t.state[i].load() == 2) ::unlink(t.name[i]);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(sig, &default_action, nullptr);
  ::raise(sig);  // delivered once the handler returns: the process ends as the signal meant
}

/// The process umask, read once (reading it means setting it; done before any file is written).
inline mode_t process_umask() {
  static const mode_t mask = [] {
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

/// The mode for a file written over `path`: that of the file it replaces, else 0666 & ~umask.
inline mode_t output_mode(const std::string& path) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) return existing.st_mode & 07777;
  return static_cast<mode_t>(0666) & ~process_umask();
}

/// A temporary name registered for cleanup for as long as it lives.
class temp_file_registration {
 public:
  explicit temp_file_registration(const std::string& path) : slot_(register_temp_file(path)) {}
  ~temp_file_registration() { release_temp_file(slot_); }
  temp_file_registration(const temp_file_registration&) = delete;
  temp_file_registration& operator=(const temp_file_registration&) = delete;

 private:
  int slot_;
};

}  // namespace detail

/// Installs the SIGINT/SIGTERM handler that removes the temporary files of writes in progress
/// (see the top of this header). A signal whose handler the program already set is left alone.
inline void install_temp_file_cleanup() {
  detail::process_umask();
  for (const int sig : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = &detail::cleanup_temp_files_on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

/// Calls writer(std::FILE*) on a temporary file next to `path`, then renames it to `path`.
template <class Writer>
void atomic_write(const std::string& path, Writer&& writer) {
  std::string temp = path + ".tmp.XXXXXX";
  const mode_t mode = detail::output_mode(path);
  const int fd = ::mkstemp(&temp[0]);
  if (fd < 0) {
    throw io_error(std::string("cannot create a temporary file next to it: ") + std::strerror(errno),
                   location::in_file(path));
  }
  const detail::temp_file_registration registered(temp);
  if (::fchmod(fd, mode) != 0) {
    // Best effort: a file system without modes keeps mkstemp's 0600.
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
