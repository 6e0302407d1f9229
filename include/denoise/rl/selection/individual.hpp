// Individual: each instance's action is sampled from its own action probabilities (AutoDenoise,
// Lin et al.: a ~ π_Θ(·|x_i); the hard head of Ge et al.'s controller: a ~ Categorical).
//
//   probs: rows x A, row r = the action probabilities of instance ids[r]
//     A == 1: the column is the select probability p; action 1 with probability p (Bernoulli)
//     A >= 2: categorical over actions 0..A-1 (for A = 2, column 1 is "select")
//   actions[r] in [0, A) (A == 1: in {0, 1})
//
// The uniform number of instance i at draw t is the i-th value of the counter-based stream
// derive_seed(derive_seed(seed, "rl.individual"), t): it depends on (seed, t, instance id) only,
// so the actions are the same on every backend, thread count and batch composition. Each
// select() call is one draw (t = 0, 1, 2, ...); select_at() names the draw explicitly.
// Inverse-CDF sampling: action a is the first with u < p_0 + ... + p_a; for A == 1, action 1 iff
// u >= 1 - p (so a 1-column p and a 2-column (1 - p, p) give the same action for the same u).
// Probabilities are not validated on the hot path: rows should be non-negative and sum to 1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace rl {

namespace detail {

template <class S>
struct sample_actions {
  const S* probs;
  const index_t* ids;
  index_t* actions;
  random::counter_stream stream;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S u = stream.uniform<S>(static_cast<std::uint64_t>(ids[r]));
    const S* p = probs + r * cols;
    if (cols == 1) {
      actions[r] = u >= S(1) - p[0] ? index_t(1) : index_t(0);
      return;
    }
    S cumulative = S(0);
    index_t last_positive = static_cast<index_t>(cols - 1);
    for (std::size_t a = 0; a < cols; ++a) {
      if (p[a] > S(0)) last_positive = static_cast<index_t>(a);
    }
    for (std::size_t a = 0; a < cols; ++a) {
      cumulative += p[a];
      if (u < cumulative && p[a] > S(0)) {
        actions[r] = static_cast<index_t>(a);
        return;
      }
    }
    actions[r] = last_positive;  // rounding left the cumulative sum just below u
  }
};

}  // namespace detail

class Individual {
 public:
  static constexpr const char* name() { return "individual"; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using index_vector = typename B::index_vector;

    State(const Individual& /*policy*/, std::uint64_t seed) : seed_(random::derive_seed(seed, "rl.individual")) {}

    /// Samples one action per row (the next draw). Throws config_error (field 'ids') when ids
    /// does not have one entry per row, (field 'probs') when probs has no column.
    void select(const matrix& probs, const index_vector& ids, index_vector& actions) {
      select_at(probs, ids, draws_, actions);
      ++draws_;
    }

    /// Samples with an explicit draw number (does not advance the draw counter).
    void select_at(const matrix& probs, const index_vector& ids, std::uint64_t draw, index_vector& actions) const {
      const auto rows = static_cast<std::size_t>(probs.rows());
      if (probs.cols() < 1) throw config_error("Individual: probabilities need at least one column", location::of_field("probs"));
      if (ids.size() != rows) {
        throw config_error("Individual: " + std::to_string(ids.size()) + " instance ids for " + std::to_string(rows) +
                               " rows of probabilities",
                           location::of_field("ids"));
      }
      if (actions.size() != rows) actions.resize(rows);
      B::launch(rows,
                detail::sample_actions<scalar>{B::ptr(probs), B::ptr(ids), B::ptr(actions),
                                               random::counter_stream(random::derive_seed(seed_, draw)),
                                               static_cast<std::size_t>(probs.cols())},
                static_cast<std::size_t>(probs.cols()));
    }

    /// Draws made by select() so far.
    std::uint64_t draws() const noexcept { return draws_; }
    /// Continue from draw `n` (e.g. after restoring a checkpoint).
    void set_draws(std::uint64_t n) noexcept { draws_ = n; }

   private:
    std::uint64_t seed_;
    std::uint64_t draws_ = 0;
  };
};

}  // namespace rl
}  // namespace denoise
