// GaussianWeight: the soft head of the AutoDenoise controller (AutoDenoise-S, Ge et al., Eqs. 13-16).
// The controller outputs two numbers per sample, head = (μ, s); then
//
//   w ~ N(μ, σ²),   weight = softplus(w),   log P = log N(w; μ, σ²)
//
// with the scale from s by softplus, in one of two parametrisations:
//   gaussian_scale::variance  σ² = softplus(s)   (ALGORITHMS.md §4, the paper's Eq.; default)
//   gaussian_scale::stddev    σ  = softplus(s)
//
// REINFORCE needs d log P / d(μ, s) at the sampled w (w is a constant for this gradient):
//   d/dμ = (w - μ) / σ²
//   d/ds = (d log P / dσ²) · sigmoid(s) = (-1/(2σ²) + (w-μ)²/(2σ⁴)) · sigmoid(s)       (variance)
//        = (d log P / dσ)  · sigmoid(s) = (-1/σ + (w-μ)²/σ³) · sigmoid(s)               (stddev)
// score_dhead() writes it, scaled by the advantage, as the upstream gradient of the head (pass
// it to rl::Reinforce like any dlogits).
//
// The noise of instance i at draw t is the i-th standard normal of the counter-based stream
// derive_seed(derive_seed(seed, "rl.gaussian_weight"), t): the same on every backend and thread count.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../nn/sigmoid.hpp"
#include "../../nn/softplus.hpp"

namespace denoise {
namespace rl {

/// How the head's second output s gives the Gaussian's scale.
enum class gaussian_scale {
  variance,  ///< σ² = softplus(s)
  stddev,    ///< σ = softplus(s)
};

namespace detail {

/// σ² of a head output s.
template <class S>
DENOISE_HOST_DEVICE inline S gaussian_variance(S s, bool variance) {
  const S v = nn::softplus_op{}.value(s);
  return variance ? v : v * v;
}

template <class S>
struct gaussian_sample {
  const S* head;  // rows x 2: (μ, s)
  const index_t* ids;
  S* w;
  S* weight;
  random::counter_stream stream;
  bool variance;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S mu = head[2 * r];
    const S sigma = std::sqrt(gaussian_variance(head[2 * r + 1], variance));
    const S x = mu + sigma * stream.normal<S>(static_cast<std::uint64_t>(ids[r]));
    w[r] = x;
    weight[r] = nn::softplus_op{}.value(x);
  }
};

template <class S>
struct gaussian_log_density {
  const S* head;
  const S* w;
  S* out;
  bool variance;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S v = gaussian_variance(head[2 * r + 1], variance);
    const S d = w[r] - head[2 * r];
    out[r] = S(-0.91893853320467274178) - S(0.5) * std::log(v) - d * d / (S(2) * v);  // -log(2π)/2
  }
};

template <class S>
struct gaussian_score {
  const S* head;
  const S* w;
  const S* advantage;  // per row, or nullptr: use `scalar_advantage`
  S scalar_advantage;
  S* dhead;
  bool variance;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S s = head[2 * r + 1];
    const S d = w[r] - head[2 * r];
    const S ds = nn::sigmoid_op{}.value(s);
    const S adv = advantage != nullptr ? advantage[r] : scalar_advantage;
    S d_mu;
    S d_s;
    if (variance) {
      const S v = nn::softplus_op{}.value(s);
      d_mu = d / v;
      d_s = (S(-0.5) / v + d * d / (S(2) * v * v)) * ds;
    } else {
      const S sigma = nn::softplus_op{}.value(s);
      const S v = sigma * sigma;
      d_mu = d / v;
      d_s = (S(-1) / sigma + d * d / (v * sigma)) * ds;
    }
    dhead[2 * r] = adv * d_mu;
    dhead[2 * r + 1] = adv * d_s;
  }
};

}  // namespace detail

class GaussianWeight {
 public:
  static constexpr const char* name() { return "gaussian_weight"; }

  explicit GaussianWeight(gaussian_scale scale = gaussian_scale::variance) : scale_(scale) {}
  gaussian_scale scale() const noexcept { return scale_; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;

    State(const GaussianWeight& policy, std::uint64_t seed)
        : seed_(random::derive_seed(seed, "rl.gaussian_weight")), variance_(policy.scale_ == gaussian_scale::variance) {}

    /// Samples w per row (the next draw) and weight = softplus(w). head: rows x 2 (μ, s).
    void sample(const matrix& head, const index_vector& ids, vector& w, vector& weight) {
      sample_at(head, ids, draws_, w, weight);
      ++draws_;
    }
    /// The same with an explicit draw number (the draw counter is unchanged).
    void sample_at(const matrix& head, const index_vector& ids, std::uint64_t draw, vector& w, vector& weight) const {
      const std::size_t rows = require_head(head);
      if (ids.size() != rows) {
        throw config_error("GaussianWeight: " + std::to_string(ids.size()) + " instance ids for " +
                               std::to_string(rows) + " head rows",
                           location::of_field("ids"));
      }
      if (w.size() != rows) w.resize(rows);
      if (weight.size() != rows) weight.resize(rows);
      B::launch(rows, detail::gaussian_sample<scalar>{B::ptr(head), B::ptr(ids), B::ptr(w), B::ptr(weight),
                                                      random::counter_stream(random::derive_seed(seed_, draw)),
                                                      variance_});
    }

    /// out[r] = log N(w[r]; μ_r, σ_r²).
    void log_density(const matrix& head, const vector& w, vector& out) const {
      const std::size_t rows = require_head(head);
      require_rows(w.size(), rows, "w");
      if (out.size() != rows) out.resize(rows);
      B::launch(rows, detail::gaussian_log_density<scalar>{B::ptr(head), B::ptr(w), B::ptr(out), variance_});
    }

    /// dhead[r, :] = advantage[r] · d log N(w[r]; μ_r, σ_r²) / d(μ_r, s_r)   (rows x 2).
    void score_dhead(const matrix& head, const vector& w, const vector& advantage, matrix& dhead) const {
      const std::size_t rows = require_head(head);
      require_rows(w.size(), rows, "w");
      require_rows(advantage.size(), rows, "advantage");
      dhead.resize(head.rows(), 2);
      B::launch(rows, detail::gaussian_score<scalar>{B::ptr(head), B::ptr(w), B::ptr(advantage), scalar(0),
                                                     B::ptr(dhead), variance_});
    }
    /// The same with one advantage for every row (1 to accumulate ∇ log P alone).
    void score_dhead(const matrix& head, const vector& w, scalar advantage, matrix& dhead) const {
      const std::size_t rows = require_head(head);
      require_rows(w.size(), rows, "w");
      dhead.resize(head.rows(), 2);
      B::launch(rows, detail::gaussian_score<scalar>{B::ptr(head), B::ptr(w), nullptr, advantage, B::ptr(dhead),
                                                     variance_});
    }

    std::uint64_t draws() const noexcept { return draws_; }
    void set_draws(std::uint64_t n) noexcept { draws_ = n; }

   private:
    static std::size_t require_head(const matrix& head) {
      if (head.cols() != 2) {
        throw config_error("GaussianWeight: the head needs 2 columns (mu, s), got " + std::to_string(head.cols()),
                           location::of_field("head"));
      }
      return static_cast<std::size_t>(head.rows());
    }
    static void require_rows(std::size_t got, std::size_t rows, const char* field) {
      if (got != rows) {
        throw config_error("GaussianWeight: " + std::to_string(got) + " values for " + std::to_string(rows) +
                               " head rows",
                           location::of_field(field));
      }
    }

    std::uint64_t seed_;
    bool variance_;
    std::uint64_t draws_ = 0;
  };

 private:
  gaussian_scale scale_;
};

}  // namespace rl
}  // namespace denoise
