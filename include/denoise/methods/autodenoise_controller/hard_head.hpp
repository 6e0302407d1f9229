// HardHead: AutoDenoise-H (Ge et al., Eq. 12). The network outputs A logits per sample; an action
// a ~ Categorical(softmax(logits)) is drawn (rl::Individual: a counter stream per instance id and
// draw, so the same on every backend and thread count) and the sample's weight is a
// (rl::action_weights): A = 2 {delete, keep}, A = 3 {delete, keep, duplicate} (the default), up to
// A = 5 (weights 0..4). log P(a | s) = log softmax(logits)[a]; its gradient w.r.t. the logits is
// rl::Reinforce's categorical score.
// A = 1 [ours]: the paper's "{keep}": the only action keeps the sample (weight 1) and log P = 0,
// so the controller learns nothing and training is plain training (a control for the A sweep).
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"
#include "../../rl/reinforce.hpp"
#include "../../rl/selection/action_weights.hpp"
#include "../../rl/selection/individual.hpp"

namespace denoise {
namespace methods {
namespace kernels {

/// probs[r, :] = softmax(logits[r, :]).
template <class S>
struct row_softmax {
  const S* logits;
  S* probs;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S* z = logits + r * cols;
    S* p = probs + r * cols;
    S m = z[0];
    for (std::size_t k = 1; k < cols; ++k) m = z[k] > m ? z[k] : m;
    S total = S(0);
    for (std::size_t k = 0; k < cols; ++k) total += (p[k] = std::exp(z[k] - m));
    for (std::size_t k = 0; k < cols; ++k) p[k] /= total;
  }
};

}  // namespace kernels

class HardHead {
 public:
  static constexpr const char* name() { return "hard"; }
  static constexpr index_t max_actions = 5;

  /// Throws config_error (field 'actions') unless 1 <= actions <= 5.
  explicit HardHead(index_t actions = 3) : actions_(actions) {
    if (actions < 1 || actions > max_actions)
      throw config_error("the hard head needs 1 to 5 actions, got " + std::to_string(actions),
                         location::of_field("actions"));
  }
  index_t actions() const noexcept { return actions_; }
  /// The network's output width.
  index_t outputs() const noexcept { return actions_; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;

    State(const HardHead& head, std::uint64_t seed) : actions_(head.actions_), select_(rl::Individual{}, seed) {}

    /// Draws each row's action from out (rows x A) and writes weight = action (A = 1: weight 1).
    void sample(const matrix& out, const index_vector& ids, vector& weights) {
      const auto rows = static_cast<std::size_t>(out.rows());
      if (actions_ == 1) {
        weights.resize(rows);
        B::fill(weights, scalar(1));
        return;
      }
      probs_.resize(out.rows(), out.cols());
      B::launch(rows, kernels::row_softmax<scalar>{B::ptr(out), B::ptr(probs_), static_cast<std::size_t>(out.cols())},
                static_cast<std::size_t>(out.cols()));
      select_.select(probs_, ids, actions_drawn_);
      rl::action_weights<B>(actions_drawn_, weights);
    }

    /// dout[r, :] = scale[r] · d log P(a_r | s_r) / d out[r, :] for the last sample()'s actions.
    void score(const matrix& out, const vector& scale, matrix& dout) const {
      if (actions_ == 1) {
        dout.resize(out.rows(), out.cols());
        B::fill(dout, scalar(0));
        return;
      }
      rl::Reinforce<B>::score_dlogits(out, actions_drawn_, scale, dout);
    }

    /// The actions of the last sample() (empty for A = 1).
    const index_vector& actions() const noexcept { return actions_drawn_; }

   private:
    index_t actions_;
    typename rl::Individual::template State<B> select_;
    matrix probs_;
    index_vector actions_drawn_;
  };

 private:
  index_t actions_;
};

}  // namespace methods
}  // namespace denoise
