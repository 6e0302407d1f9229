// A user program against the installed package: it uses the umbrella header, the version,
// a seeded stream and the error type, and fails loudly if any of them misbehaves.
#include <denoise/denoise.hpp>

#include <cstdio>
#include <cstring>

int main() {
  if (std::strcmp(denoise::version::string(), DENOISE_VERSION_STRING) != 0) return 1;
  denoise::random::rng a(42, "consumer"), b(42, "consumer");
  for (int i = 0; i < 16; ++i)
    if (a() != b()) return 2;
  try {
    throw denoise::input_error("not a number", denoise::location::at("u.data", 3, "rating"));
  } catch (const denoise::error& e) {
    if (std::strstr(e.what(), "u.data:3") == nullptr) return 3;
  }
  std::printf("denoise %s consumer: ok\n", denoise::version::string());
  return 0;
}
