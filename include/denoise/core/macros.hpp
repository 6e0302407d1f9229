// Portability macros shared by host and device code.
#pragma once

// Functions that Thrust may run on a CUDA device are marked host+device when nvcc compiles them;
// g++ and clang++ see nothing.
#if defined(__CUDACC__)
#define DENOISE_HOST_DEVICE __host__ __device__
#else
#define DENOISE_HOST_DEVICE
#endif

// Force-inline for tiny hot functions (index arithmetic, activations).
#if defined(_MSC_VER)
#define DENOISE_INLINE __forceinline
#else
#define DENOISE_INLINE inline __attribute__((always_inline))
#endif

// A hint to load the cache line of `address` ahead of a random access (host code only: a no-op in
// CUDA device code and on compilers without the builtin). Never faults, whatever the address.
#if defined(__CUDA_ARCH__) || defined(_MSC_VER)
#define DENOISE_PREFETCH(address) ((void)0)
#else
#define DENOISE_PREFETCH(address) __builtin_prefetch(address)
#endif

// Eigen must stay out of translation units compiled by nvcc (see DESIGN.md, "Backend").
#if defined(__CUDACC__)
#define DENOISE_NVCC 1
#else
#define DENOISE_NVCC 0
#endif
