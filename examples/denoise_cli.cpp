// The denoise command-line program. Until the CLI issue lands it only reports the library version
// and build configuration; the training table replaces this.
#include <denoise/denoise.hpp>

#include <cstdio>

int main() {
  std::printf("denoise %s (C++%ld)\n", denoise::version::string(), static_cast<long>(__cplusplus / 100 % 100));
  std::printf("The training CLI is not built yet; see README.md.\n");
  return 0;
}
