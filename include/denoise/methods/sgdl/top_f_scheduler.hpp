// methods::sgdl::TopFScheduler<B>: the non-learned variant of SGDL's scheduler [paper "Top-F"]:
// of the memorized batch M_b, keep the F = ceil(|M_b| / 2) samples with the largest sum of their
// min-max-normalised factors (loss at theta, gradient cosine theta vs theta_hat) [paper: F = |M| / 2;
// per batch ours], each weighted 1/F in the meta-loss. Ties keep the earlier row. A constant
// factor column normalises to 0 [ours].
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

#include "../../core/error.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

template <class B>
class TopFScheduler {
 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;

  /// unit_weights[m] = 1/F for the F kept rows of factors (n x 2), else 0.
  void select(const matrix& factors, vector& unit_weights) {
    if (factors.cols() != 2) throw config_error("TopFScheduler: factors must have 2 columns");
    const auto n = static_cast<std::size_t>(factors.rows());
    B::to_host(factors, host_);  // row-major n x 2: one small copy per batch
    score_.assign(n, 0.0);
    for (std::size_t col = 0; col < 2; ++col) {
      double lo = 0.0, hi = 0.0;
      for (std::size_t m = 0; m < n; ++m) {
        const double x = static_cast<double>(host_[m * 2 + col]);
        lo = m == 0 ? x : std::min(lo, x);
        hi = m == 0 ? x : std::max(hi, x);
      }
      const double range = hi - lo;
      for (std::size_t m = 0; m < n; ++m) {
        score_[m] += range > 0.0 ? (static_cast<double>(host_[m * 2 + col]) - lo) / range : 0.0;
      }
    }
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), std::size_t(0));
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return score_[a] > score_[b]; });
    const std::size_t keep = (n + 1) / 2;
    weights_.assign(n, scalar(0));
    for (std::size_t r = 0; r < keep; ++r) weights_[order_[r]] = scalar(1) / static_cast<scalar>(keep);
    B::from_host(weights_, unit_weights);
  }

 private:
  std::vector<scalar> host_, weights_;
  std::vector<double> score_;
  std::vector<std::size_t> order_;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
