// Access to the real datasets (../shared/data) for tests labelled 'data'.
// ctest passes DENOISE_DATA_DIR. When the data is absent the executable exits with 77, which
// ctest reports as "skipped" (never as passed); with DENOISE_REQUIRE_DATA=1 (CI) it fails instead.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>

namespace denoise {
namespace test {

inline bool directory_exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

/// The dataset directory, e.g. data_dir() + "/ml-100k/u.data".
inline std::string data_dir() {
  const char* dir = std::getenv("DENOISE_DATA_DIR");
  return dir ? std::string(dir) : std::string();
}

/// Global fixture: checks that the data is there before any test runs.
struct require_data_dir {
  require_data_dir() {
    const std::string dir = data_dir();
    if (!dir.empty() && directory_exists(dir)) return;
    const char* required = std::getenv("DENOISE_REQUIRE_DATA");
    const bool must = required && std::string(required) == "1";
    std::fprintf(stderr, "denoise tests: data directory '%s' not found (set DENOISE_DATA_DIR)%s\n",
                 dir.c_str(), must ? "" : "; skipping");
    std::exit(must ? 1 : 77);
  }
};

}  // namespace test
}  // namespace denoise
