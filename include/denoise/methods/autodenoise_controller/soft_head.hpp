// SoftHead: AutoDenoise-S (Ge et al., Eqs. 13-16). The network outputs (μ, s) per sample;
// w ~ N(μ, σ²) with σ² = softplus(s) (rl::gaussian_scale::variance, the paper's form; stddev is
// the option σ = softplus(s)), and the sample's weight is softplus(w) (rl::GaussianWeight: a counter
// stream per instance id and draw). log P = log N(w; μ, σ²); its gradient w.r.t. (μ, s) is
// GaussianWeight's score_dhead (checked against finite differences in test/unit/rl).
#pragma once

#include <cstdint>

#include "../../core/types.hpp"
#include "../../rl/selection/gaussian_weight.hpp"

namespace denoise {
namespace methods {

class SoftHead {
 public:
  static constexpr const char* name() { return "soft"; }

  explicit SoftHead(rl::gaussian_scale scale = rl::gaussian_scale::variance) : gaussian_(scale) {}
  rl::gaussian_scale scale() const noexcept { return gaussian_.scale(); }
  /// The network's output width: (μ, s).
  index_t outputs() const noexcept { return 2; }

  template <class B>
  class State {
   public:
    using matrix = typename B::matrix;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;

    State(const SoftHead& head, std::uint64_t seed) : gaussian_(head.gaussian_, seed) {}

    /// Draws w per row from out (rows x 2) and writes weight = softplus(w).
    void sample(const matrix& out, const index_vector& ids, vector& weights) { gaussian_.sample(out, ids, w_, weights); }

    /// dout[r, :] = scale[r] · d log N(w_r; μ_r, σ_r²) / d(μ_r, s_r) at the last sample()'s w.
    void score(const matrix& out, const vector& scale, matrix& dout) const { gaussian_.score_dhead(out, w_, scale, dout); }

    /// The Gaussian draws w of the last sample().
    const vector& draws() const noexcept { return w_; }

   private:
    typename rl::GaussianWeight::template State<B> gaussian_;
    vector w_;
  };

 private:
  rl::GaussianWeight gaussian_;
};

}  // namespace methods
}  // namespace denoise
