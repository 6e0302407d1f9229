// EpsilonGreedy: the action choice of the AutoDenoise authors' code (the `code` profile): the most
// probable action (argmax; a tie goes to the lower action, as torch.argmax), flipped to the other
// action with probability epsilon (0: pure argmax). A Selection policy (docs/policies/selection.md)
// for two actions (deselect, select): probs is rows x 2, or rows x 1 holding π(select).
//
// The uniform number of instance i at draw t is the i-th value of the counter-based stream
// derive_seed(derive_seed(seed, "autodenoise.epsilon_greedy"), t): the same on every backend and
// thread count, whatever the batch composition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace methods {

namespace detail {

template <class S>
struct epsilon_greedy_actions {
  const S* probs;
  const index_t* ids;
  index_t* actions;
  random::counter_stream stream;
  S epsilon;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S select = probs[r * cols + cols - 1];
    const S deselect = cols == 2 ? probs[r * cols] : S(1) - select;
    index_t a = select > deselect ? index_t(1) : index_t(0);
    if (epsilon > S(0) && stream.uniform<S>(static_cast<std::uint64_t>(ids[r])) < epsilon) a = index_t(1) - a;
    actions[r] = a;
  }
};

}  // namespace detail

class EpsilonGreedy {
 public:
  static constexpr const char* name() { return "epsilon_greedy"; }

  /// Throws config_error (field 'epsilon') unless 0 <= epsilon <= 1.
  explicit EpsilonGreedy(double epsilon = 0.2) : epsilon_(epsilon) {
    if (!(epsilon >= 0.0 && epsilon <= 1.0)) {
      throw config_error("the flip probability must lie in [0, 1], got " + std::to_string(epsilon),
                         location::of_field("epsilon"));
    }
  }
  double epsilon() const noexcept { return epsilon_; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using index_vector = typename B::index_vector;

    State(const EpsilonGreedy& policy, std::uint64_t seed)
        : epsilon_(policy.epsilon_), seed_(random::derive_seed(seed, "autodenoise.epsilon_greedy")) {}

    /// One action per row (the next draw). Throws config_error on a shape mismatch.
    void select(const matrix& probs, const index_vector& ids, index_vector& actions) {
      const auto rows = static_cast<std::size_t>(probs.rows());
      const auto cols = static_cast<std::size_t>(probs.cols());
      if (cols != 1 && cols != 2) {
        throw config_error("EpsilonGreedy needs 1 or 2 probability columns, got " + std::to_string(cols),
                           location::of_field("probs"));
      }
      if (ids.size() != rows) {
        throw config_error("EpsilonGreedy: " + std::to_string(ids.size()) + " instance ids for " +
                               std::to_string(rows) + " rows of probabilities",
                           location::of_field("ids"));
      }
      if (actions.size() != rows) actions.resize(rows);
      B::launch(rows, detail::epsilon_greedy_actions<scalar>{B::ptr(probs), B::ptr(ids), B::ptr(actions),
                                                             random::counter_stream(random::derive_seed(seed_, draws_)),
                                                             static_cast<scalar>(epsilon_), cols});
      ++draws_;
    }

    std::uint64_t draws() const noexcept { return draws_; }

   private:
    double epsilon_;
    std::uint64_t seed_;
    std::uint64_t draws_ = 0;
  };

 private:
  double epsilon_;
};

}  // namespace methods
}  // namespace denoise
