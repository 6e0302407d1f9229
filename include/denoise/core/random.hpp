// Seeded random streams. Every random number in the library comes from one user seed, split
// into named, independent streams, so a run is reproducible whatever the thread count or backend.
//
// Two generators share one mixing function:
//  - counter_stream: stateless, "the n-th number of stream s" — what parallel and device code
//    needs, because element n gets the same value however the work is split across threads;
//  - rng: a sequential xoshiro256** engine for host code (shuffles, samplers), a standard
//    UniformRandomBitGenerator.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "macros.hpp"

namespace denoise {
namespace random {

/// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
DENOISE_HOST_DEVICE constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// FNV-1a hash of a stream name, so streams can be named ("negatives", "dropout") not numbered.
constexpr std::uint64_t hash_name(std::string_view name) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return h;
}

/// The seed of child stream `stream` of `seed`. Distinct streams give unrelated sequences.
DENOISE_HOST_DEVICE constexpr std::uint64_t derive_seed(std::uint64_t seed,
                                                        std::uint64_t stream) noexcept {
  return mix64(mix64(seed) ^ mix64(stream ^ 0xD1B54A32D192ED03ull));
}

constexpr std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream) noexcept {
  return derive_seed(seed, hash_name(stream));
}

/// Uniform in the open interval (0, 1) from 64 random bits; never 0, so log() is safe.
template <class Real>
DENOISE_HOST_DEVICE inline Real to_unit_open(std::uint64_t bits) noexcept {
  if constexpr (sizeof(Real) <= 4) {
    // 23 random bits plus one half: exact in float, so the result is never 0 or 1.
    return (static_cast<Real>(bits >> 41) + Real(0.5)) * Real(1.1920928955078125e-07);  // 2^-23
  } else {
    return (static_cast<Real>(bits >> 12) + Real(0.5)) * Real(2.220446049250313e-16);  // 2^-52
  }
}

/// Stateless counter-based stream: value(n) depends only on (seed, n).
class counter_stream {
 public:
  DENOISE_HOST_DEVICE constexpr explicit counter_stream(std::uint64_t seed) noexcept
      : key_(mix64(seed)) {}

  DENOISE_HOST_DEVICE constexpr std::uint64_t bits(std::uint64_t n) const noexcept {
    return mix64(key_ ^ mix64(n));
  }

  template <class Real>
  DENOISE_HOST_DEVICE Real uniform(std::uint64_t n) const noexcept {
    return to_unit_open<Real>(bits(n));
  }

  /// Standard normal by Box–Muller on the pair (2n, 2n+1); one value per counter.
  template <class Real>
  DENOISE_HOST_DEVICE Real normal(std::uint64_t n) const noexcept {
    const Real u1 = uniform<Real>(2 * n);
    const Real u2 = uniform<Real>(2 * n + 1);
    const Real two_pi = Real(6.283185307179586476925);
    return std::sqrt(Real(-2) * std::log(u1)) * std::cos(two_pi * u2);
  }

  /// Standard Gumbel: -log(-log(u)).
  template <class Real>
  DENOISE_HOST_DEVICE Real gumbel(std::uint64_t n) const noexcept {
    return -std::log(-std::log(uniform<Real>(n)));
  }

 private:
  std::uint64_t key_;
};

/// Sequential engine (xoshiro256**) for host code; satisfies UniformRandomBitGenerator.
class rng {
 public:
  using result_type = std::uint64_t;

  explicit rng(std::uint64_t seed = 0) noexcept { reseed(seed); }
  rng(std::uint64_t seed, std::string_view stream) noexcept { reseed(derive_seed(seed, stream)); }

  void reseed(std::uint64_t seed) noexcept {
    std::uint64_t x = seed;
    for (auto& word : state_) {
      x += 0x9E3779B97F4A7C15ull;
      word = mix64(x);
    }
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform integer in [0, n) without modulo bias (Lemire's multiply-shift with rejection).
  std::uint64_t uniform_index(std::uint64_t n) noexcept {
    __extension__ typedef unsigned __int128 wide;  // 64x64 -> 128-bit product (g++, clang++)
    if (n == 0) return 0;
    wide m = static_cast<wide>((*this)()) * n;
    std::uint64_t low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<wide>((*this)()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  template <class Real>
  Real uniform() noexcept {
    return to_unit_open<Real>((*this)());
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }

  std::uint64_t state_[4];
};

}  // namespace random
}  // namespace denoise
