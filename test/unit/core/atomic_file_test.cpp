// core/atomic_file.hpp, the CLI's output files: a new file follows the umask (not mkstemp's 0600),
// a replaced file keeps its mode, and SIGINT/SIGTERM during a write removes the temporary file
// (install_temp_file_cleanup) while the process still ends by the signal.
#include <boost/test/unit_test.hpp>

#include <denoise/core/atomic_file.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("denoise_atomic_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

unsigned mode_of(const fs::path& p) {
  struct stat s {};
  ::stat(p.c_str(), &s);
  return static_cast<unsigned>(s.st_mode & 0777);
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.is_regular_file() ? 1u : 0u;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_atomic_file)

BOOST_AUTO_TEST_CASE(a_new_file_follows_the_umask_and_a_replaced_one_keeps_its_mode) {
  // The umask is read once per process, so this test checks against the one in force.
  const mode_t mask = ::umask(022);
  ::umask(mask);
  const auto dir = fresh_dir("mode");
  const auto fresh = (dir / "new.txt").string();
  denoise::atomic_write_bytes(fresh, "x");
  BOOST_TEST(mode_of(fresh) == (0666u & ~static_cast<unsigned>(mask)));
  const auto kept = (dir / "kept.txt").string();
  denoise::atomic_write_bytes(kept, "a");
  ::chmod(kept.c_str(), 0640);
  denoise::atomic_write_bytes(kept, "b");
  BOOST_TEST(mode_of(kept) == 0640u);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_signal_during_a_write_leaves_no_temporary_file) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const auto dir = fresh_dir("signal");
    const auto path = (dir / "result.json").string();
    const pid_t child = ::fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
      denoise::install_temp_file_cleanup();
      denoise::atomic_write(path, [&](std::FILE* f) {
        std::fputs("partial", f);
        std::fflush(f);
        ::raise(sig);  // as if Ctrl-C arrived mid-write
      });
      ::_exit(0);  // not reached: the handler re-raises with the default action
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    BOOST_TEST(WIFSIGNALED(status));
    BOOST_TEST(WTERMSIG(status) == sig);
    BOOST_TEST(files_in(dir) == 0u);  // neither the temporary file nor a half-written result
    fs::remove_all(dir);
  }
}

BOOST_AUTO_TEST_SUITE_END()
