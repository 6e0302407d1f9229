// Weight initialisers: Xavier (Glorot) and He (Kaiming), uniform or normal, plain normal,
// uniform and constant. Each fills a fan_in x fan_out matrix from one seed through the backend's
// seeded fills, so the same seed gives the same weights on every CPU backend.
#pragma once

#include <cmath>
#include <cstdint>

#include "../core/types.hpp"

namespace denoise {
namespace nn {
namespace init {

enum class kind { constant, uniform, normal, xavier_uniform, xavier_normal, he_uniform, he_normal };

/// What to fill a weight with: `a`, `b` are (value, -) for constant, (lo, hi) for uniform,
/// (mean, stddev) for normal, and (gain, -) for the Xavier and He rules.
struct initializer {
  kind rule = kind::xavier_uniform;
  double a = 1.0;
  double b = 0.0;
};

inline initializer constant(double value) { return {kind::constant, value, 0.0}; }
inline initializer zeros() { return constant(0.0); }
inline initializer uniform(double lo, double hi) { return {kind::uniform, lo, hi}; }
inline initializer normal(double mean, double stddev) { return {kind::normal, mean, stddev}; }
/// U(-g sqrt(6 / (fan_in + fan_out)), +...)
inline initializer xavier_uniform(double gain = 1.0) { return {kind::xavier_uniform, gain, 0.0}; }
/// N(0, g^2 * 2 / (fan_in + fan_out))
inline initializer xavier_normal(double gain = 1.0) { return {kind::xavier_normal, gain, 0.0}; }
/// U(-sqrt(6 / fan_in), +...), for ReLU layers
inline initializer he_uniform() { return {kind::he_uniform, 1.0, 0.0}; }
/// N(0, 2 / fan_in)
inline initializer he_normal() { return {kind::he_normal, 1.0, 0.0}; }

/// Fills w (any shape) following `how`, with fan_in / fan_out as given.
template <class B, class C>
void apply(const initializer& how, C& w, index_t fan_in, index_t fan_out, std::uint64_t seed) {
  using S = typename B::scalar;
  const double fi = fan_in > 0 ? static_cast<double>(fan_in) : 1.0;
  const double fo = fan_out > 0 ? static_cast<double>(fan_out) : 1.0;
  switch (how.rule) {
    case kind::constant:
      B::fill(w, static_cast<S>(how.a));
      break;
    case kind::uniform:
      B::fill_uniform(w, seed, static_cast<S>(how.a), static_cast<S>(how.b));
      break;
    case kind::normal:
      B::fill_normal(w, seed, static_cast<S>(how.a), static_cast<S>(how.b));
      break;
    case kind::xavier_uniform: {
      const double r = how.a * std::sqrt(6.0 / (fi + fo));
      B::fill_uniform(w, seed, static_cast<S>(-r), static_cast<S>(r));
      break;
    }
    case kind::xavier_normal:
      B::fill_normal(w, seed, S(0), static_cast<S>(how.a * std::sqrt(2.0 / (fi + fo))));
      break;
    case kind::he_uniform: {
      const double r = std::sqrt(6.0 / fi);
      B::fill_uniform(w, seed, static_cast<S>(-r), static_cast<S>(r));
      break;
    }
    case kind::he_normal:
      B::fill_normal(w, seed, S(0), static_cast<S>(std::sqrt(2.0 / fi)));
      break;
  }
}

}  // namespace init
}  // namespace nn
}  // namespace denoise
