// The library version, kept once. CMake reads these three macros from this file.
#pragma once

#define DENOISE_VERSION_MAJOR 0
#define DENOISE_VERSION_MINOR 1
#define DENOISE_VERSION_PATCH 0

#define DENOISE_DETAIL_STR2(x) #x
#define DENOISE_DETAIL_STR(x) DENOISE_DETAIL_STR2(x)
#define DENOISE_VERSION_STRING                                                   \
  DENOISE_DETAIL_STR(DENOISE_VERSION_MAJOR)                                      \
  "." DENOISE_DETAIL_STR(DENOISE_VERSION_MINOR) "." DENOISE_DETAIL_STR(DENOISE_VERSION_PATCH)

namespace denoise {

/// The version this header belongs to, for programs that print or log it.
struct version {
  static constexpr int major = DENOISE_VERSION_MAJOR;
  static constexpr int minor = DENOISE_VERSION_MINOR;
  static constexpr int patch = DENOISE_VERSION_PATCH;
  static constexpr const char* string() { return DENOISE_VERSION_STRING; }
};

}  // namespace denoise
