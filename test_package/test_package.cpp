#include <denoise/denoise.hpp>

#include <cstdio>

int main() {
  denoise::random::rng engine(7, "test_package");
  std::printf("denoise %s: first draw %llu\n", denoise::version::string(),
              static_cast<unsigned long long>(engine()));
  return 0;
}
