# Warnings for the project's own targets (tests, examples, benchmarks). Consumers of the
# installed package never see these flags. Third-party headers are included as system headers.
add_library(denoise_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(denoise_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
    -Wformat=2 -Wimplicit-fallthrough)
  option(DENOISE_WERROR "Treat warnings in denoise's own code as errors" OFF)
  if(DENOISE_WERROR)
    target_compile_options(denoise_warnings INTERFACE -Werror)
  endif()
elseif(MSVC)
  target_compile_options(denoise_warnings INTERFACE /W4 /permissive-)
endif()

# No errno from the math functions in the project's own targets: std::sqrt's errno branch keeps
# GCC from vectorizing the optimizers' update loops (Adam's step runs ~4x faster without it), and
# the results are the same bits (sqrt and division are correctly rounded either way). Consumers
# of the package choose their own flags (docs/threads.md, "Compiler flags").
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(denoise_warnings INTERFACE -fno-math-errno)
endif()

# Sanitizer builds (CI): -DDENOISE_SANITIZE=address,undefined
set(DENOISE_SANITIZE "" CACHE STRING "Comma-separated sanitizers for tests and examples")
if(DENOISE_SANITIZE)
  target_compile_options(denoise_warnings INTERFACE
    -fsanitize=${DENOISE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(denoise_warnings INTERFACE -fsanitize=${DENOISE_SANITIZE})
endif()

# -march=native for the project's own executables (benchmarks and local experiments); off by
# default so that binaries stay portable. Consumers of the package choose their own flags.
option(DENOISE_NATIVE "Compile denoise's own executables with -march=native" OFF)
if(DENOISE_NATIVE AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(denoise_warnings INTERFACE -march=native)
endif()
