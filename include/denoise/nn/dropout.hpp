// Dropout<B>(p): in training mode each element is kept with probability 1 - p and scaled by
// 1 / (1 - p) (inverted dropout); in evaluation mode it is the identity. The mask of the n-th
// training forward since reset(seed) comes from the counter stream derive_seed(seed', n), so it
// is the same on every backend and at every thread count.
//
// The mask lives in the caller's cache, the stream counter in the layer. With cache::replay set,
// forward() reuses the mask the same cache holds from its previous training forward instead of
// drawing a new one, and does not advance the counter: the same network function is evaluated
// again (at other parameter values, for finite differences or an assumed update).
#pragma once

#include <cstddef>
#include <cstdint>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {
namespace kernels {

template <class T>
struct dropout_mask {
  T* mask;
  random::counter_stream stream;
  T p;
  T keep_scale;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    mask[i] = stream.uniform<T>(static_cast<std::uint64_t>(i)) < p ? T(0) : keep_scale;
  }
};

template <class T>
struct multiply {
  DENOISE_HOST_DEVICE T operator()(T a, T b) const { return a * b; }
};

}  // namespace kernels

template <class B>
class Dropout {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  explicit Dropout(double p, std::uint64_t seed = 0) : p_(p) {
    if (!(p >= 0.0 && p < 1.0)) throw config_error("Dropout: p must be in [0, 1)");
    reset(seed);
  }

  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }
  double rate() const noexcept { return p_; }
  /// Training forwards since reset(): the stream of the next mask.
  std::uint64_t calls() const noexcept { return calls_; }

  /// What forward() leaves for backward()/tangent(): the mask (0 or 1 / (1 - p) per element).
  struct cache {
    matrix mask;
    bool identity = true;   ///< the last forward was the identity (evaluation mode or p = 0)
    bool has_mask = false;  ///< mask holds a drawn mask (replay needs one)
    bool replay = false;    ///< set by the caller: the next forward reuses `mask`
  };

  /// y = x * mask. In training mode a fresh mask from the next stream, or with c.replay the mask
  /// c holds (x must then have the shape of that mask's forward).
  void forward(const matrix& x, matrix& y, cache& c) {
    c.identity = !training_ || p_ == 0.0;
    if (c.identity) {
      B::copy(x, y);
      return;
    }
    if (c.replay) {
      if (!c.has_mask || c.mask.rows() != x.rows() || c.mask.cols() != x.cols()) {
        throw config_error("Dropout::forward: replay needs a mask of the same shape from a previous training forward "
                           "with this cache");
      }
    } else {
      c.mask.resize(x.rows(), x.cols());
      B::launch(c.mask.size(), kernels::dropout_mask<scalar>{B::ptr(c.mask),
                                                             random::counter_stream(random::derive_seed(seed_, calls_)),
                                                             static_cast<scalar>(p_), static_cast<scalar>(1.0 / (1.0 - p_))});
      ++calls_;
      c.has_mask = true;
    }
    B::zip(x, c.mask, y, kernels::multiply<scalar>{});
  }
  void backward(const cache& c, const matrix& dy, matrix& dx) const {
    if (c.identity) {
      B::copy(dy, dx);
    } else {
      B::zip(dy, c.mask, dx, kernels::multiply<scalar>{});
    }
  }
  void tangent(const cache& c, const matrix& x_dot, matrix& y_dot) const { backward(c, x_dot, y_dot); }

  template <class F>
  void visit_parameters(F&&) {}
  void reset(std::uint64_t seed) {
    seed_ = random::derive_seed(seed, "dropout");
    calls_ = 0;
  }

 private:
  double p_;
  bool training_ = true;
  std::uint64_t seed_ = 0;
  std::uint64_t calls_ = 0;
};

}  // namespace nn
}  // namespace denoise
