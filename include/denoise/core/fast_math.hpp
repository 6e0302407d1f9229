// Branch-free single-precision log and exp that compilers vectorize, for kernels that take
// millions of them per batch (SGDL's Gumbel-softmax draws |B| x |M_b| noise values and
// exponentials). glibc's logf/expf are scalar calls, and expf takes a slow path on every underflow.
//
//   fast_log(x)  for positive normal x: relative error below 4e-7 (about 3 ulp); 0, negative,
//                denormal, inf and NaN inputs are outside its domain (garbage, never a trap).
//   fast_log1p(x) for finite x >= 0: relative error below 5e-7; exactly x where 1 + x rounds to 1.
//   fast_pow(x, y) for x >= 0, y >= 0: relative error below 4e-7 (2 + |y log x|).
//   fast_exp(x)  relative error below 4e-7 where the result is a normal float; 0 where it would be
//                below the smallest normal float (x < -87.33, denormals are flushed), inf above
//                88.72, NaN for NaN.
//
// Double arguments go to std::log / std::exp unchanged: double precision kernels keep libm's
// accuracy. test/unit/core/fast_math_test.cpp checks the bounds over every float exponent.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "macros.hpp"

namespace denoise {
namespace math {
namespace detail {

DENOISE_HOST_DEVICE DENOISE_INLINE std::uint32_t bits_of(float x) noexcept {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

DENOISE_HOST_DEVICE DENOISE_INLINE float float_of(std::uint32_t b) noexcept {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

}  // namespace detail

/// log(x) for positive normal floats (see the file comment for the accuracy).
DENOISE_HOST_DEVICE DENOISE_INLINE float fast_log(float x) noexcept {
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172,
  // whose odd series to s^9 leaves a relative error below 2e-9. m - 1 is exact (Sterbenz).
  // Integer operations only up to s: a float select would keep compilers without masked vector
  // instructions (x86-64's baseline) from vectorizing the loop.
  const std::uint32_t b = detail::bits_of(x);
  const std::uint32_t m_bits = (b & 0x007fffffu) | 0x3f800000u;        // m in [1, 2)
  const std::uint32_t upper = m_bits > 0x3fb504f3u ? 1u : 0u;          // m > sqrt(2): halve it
  const float m = detail::float_of(m_bits - (upper << 23));
  const std::int32_t e = static_cast<std::int32_t>(b >> 23) - 127 + static_cast<std::int32_t>(upper);
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series = s2 * (0.333333333f + s2 * (0.2f + s2 * (0.142857143f + s2 * 0.111111111f)));
  const float log_m = 2.0f * s + 2.0f * s * series;
  const auto ef = static_cast<float>(e);
  // ln 2 split so that e * ln2_high is exact for |e| < 2^9.
  return ef * 0.693145752f + (log_m + ef * 1.42860677e-06f);
}

/// exp(x) (see the file comment for the accuracy and the ranges).
DENOISE_HOST_DEVICE DENOISE_INLINE float fast_exp(float x) noexcept {
  constexpr float lowest = -87.3365479f;  // log of the smallest normal float, rounded up
  constexpr float highest = 88.7228394f;  // log of the largest float, rounded down
  // Clamped by integer masks: a float select lets compilers split the loop body into branches.
  const std::uint32_t under = 0u - static_cast<std::uint32_t>(x < lowest);
  const std::uint32_t over = 0u - static_cast<std::uint32_t>(x > highest);
  const float clamped = detail::float_of((detail::bits_of(x) & ~(under | over)) |
                                         (detail::bits_of(lowest) & under) | (detail::bits_of(highest) & over));
  // x = n ln2 + r with |r| <= ln2 / 2: n by the 1.5 * 2^23 rounding trick, r by a two-part ln 2.
  const float shifted = clamped * 1.44269504f + 12582912.0f;
  const float n = shifted - 12582912.0f;
  const float r = (clamped - n * 0.693359375f) + n * 2.12194440e-4f;
  // e^r by its Taylor polynomial to r^7 (remainder below 5e-9 relative for |r| <= 0.347).
  const float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666667f + r * (0.0416666667f +
                  r * (0.00833333333f + r * (0.00138888889f + r * 0.000198412698f))))));
  // 2^n for n in [-126, 128]: n = 128 (x near the top) is 2 * 2^127.
  const auto ni = static_cast<std::int32_t>(n);
  const std::int32_t half = ni >> 1;
  const float scale_a = detail::float_of(static_cast<std::uint32_t>(half + 127) << 23);
  const float scale_b = detail::float_of(static_cast<std::uint32_t>(ni - half + 127) << 23);
  const float result = p * scale_a * scale_b;  // NaN for a NaN x: r and p are NaN
  // Out of range: 0 below, inf above.
  return detail::float_of((detail::bits_of(result) & ~(under | over)) | (over & 0x7f800000u));
}

/// log(1 + x) for finite x >= 0 (0 gives 0, tiny x gives x): log of the rounded sum u = 1 + x, less
/// the first-order effect of that rounding, ((u - 1) - x) / u, which is exact enough that the
/// relative error stays that of fast_log (below 5e-7). Softplus's log1p(e^-|x|) is its use.
DENOISE_HOST_DEVICE DENOISE_INLINE float fast_log1p(float x) noexcept {
  const float u = 1.0f + x;
  return fast_log(u) - ((u - 1.0f) - x) / u;
}

/// x^y for x >= 0 and finite y >= 0, as exp(y log x), a denormal x scaled by 2^24 before its log;
/// 0^y is 0 for y > 0 and 1 for y = 0, 1^y is exactly 1. Relative error below 4e-7 (2 + |y log x|)
/// (the error of the log grows with it): R-CE's weights, prediction^beta.
DENOISE_HOST_DEVICE DENOISE_INLINE float fast_pow(float x, float y) noexcept {
  using detail::bits_of;
  using detail::float_of;
  // Selections by integer masks, as in fast_exp, so that loops over it vectorize.
  const std::uint32_t positive = 0u - static_cast<std::uint32_t>(x > 0.0f);
  const std::uint32_t tiny = 0u - static_cast<std::uint32_t>(x < 1.17549435e-38f);  // below the smallest normal
  const float safe = float_of((bits_of(x) & positive) | (bits_of(1.0f) & ~positive));  // 0 -> 1 (unused)
  const float scale = float_of((bits_of(16777216.0f) & tiny) | (bits_of(1.0f) & ~tiny));  // 2^24 for denormals
  const float log_x = fast_log(safe * scale) - float_of(bits_of(16.6355324f) & tiny);      // less 24 ln 2
  const float power = fast_exp(y * log_x);
  const float at_zero = float_of(bits_of(1.0f) & (0u - static_cast<std::uint32_t>(!(y > 0.0f))));  // 0^0 = 1
  return float_of((bits_of(power) & positive) | (bits_of(at_zero) & ~positive));
}

/// Double precision: libm.
DENOISE_HOST_DEVICE inline double fast_log(double x) noexcept { return std::log(x); }
/// Double precision: libm.
DENOISE_HOST_DEVICE inline double fast_pow(double x, double y) noexcept { return std::pow(x, y); }
/// Double precision: libm.
DENOISE_HOST_DEVICE inline double fast_log1p(double x) noexcept { return std::log1p(x); }
/// Double precision: libm.
DENOISE_HOST_DEVICE inline double fast_exp(double x) noexcept { return std::exp(x); }

}  // namespace math
}  // namespace denoise
