// LossImprovement: the per-instance reward of AutoDenoise (Lin et al., WWW'23, Eq. 3):
//
//   r_i = (mean of instance i's C stored past losses) - (its current loss)
//
// Per mini-batch (timing rl::per_batch). The State keeps the C x |D| loss history (LMat, a FIFO,
// see loss_history.hpp) and the current epoch's row (LVec):
//   reward(ids, loss, out)  r for the batch's instances, from the history and `loss` (ℓ_i(W) now)
//   record(ids, loss)       writes the batch's losses into the current row
//   end_epoch()             the current row replaces the oldest history row (appended until C)
// The warm-up is C epochs of record() + end_epoch() on freshly initialised models.
// The current row starts at `initial_loss` (1.0, as the authors' code) for every instance, and
// again after each warm-up epoch (while the history fills: the code stores each warm-up epoch in
// its own row and creates LVec, all ones, only after them); from then on an instance not recorded
// in an epoch keeps its stale value from the previous one.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"
#include "../timing.hpp"
#include "loss_history.hpp"

namespace denoise {
namespace rl {

namespace detail {

/// out[j] -= loss[j]   (out holds the history mean on entry)
template <class S>
struct subtract_loss {
  const S* loss;
  S* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const { out[j] -= loss[j]; }
};

/// row[ids[j]] = loss[j]
template <class S>
struct scatter_loss {
  const index_t* ids;
  const S* loss;
  S* row;
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const { row[ids[j]] = loss[j]; }
};

}  // namespace detail

class LossImprovement {
 public:
  using timing = per_batch;
  static constexpr const char* name() { return "loss_improvement"; }

  /// `history`: C, the number of past epochs averaged (the paper's best: 4).
  /// `initial_loss`: the value of the current row before any loss is recorded.
  explicit LossImprovement(std::size_t history = 4, double initial_loss = 1.0)
      : history_(history), initial_loss_(initial_loss) {
    if (history == 0) throw config_error("LossImprovement needs C >= 1 past losses", location::of_field("history"));
    if (std::isnan(initial_loss)) {
      throw config_error("LossImprovement: initial loss is NaN", location::of_field("initial_loss"));
    }
  }

  std::size_t history() const noexcept { return history_; }
  double initial_loss() const noexcept { return initial_loss_; }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;

    State(const LossImprovement& policy, std::size_t instances)
        : history_(policy.history_, instances), current_(instances),
          initial_loss_(static_cast<scalar>(policy.initial_loss_)) {
      B::fill(current_, initial_loss_);
    }

    /// out[j] = mean of instance ids[j]'s stored losses - loss[j]. Throws config_error on a size
    /// mismatch or before any row is stored, input_error on an id outside [0, |D|).
    void reward(const index_vector& ids, const vector& loss, vector& out) {
      require_sizes(ids, loss, "loss");
      history_.mean(ids, out);
      B::launch(ids.size(), detail::subtract_loss<scalar>{B::ptr(loss), B::ptr(out)});
    }

    /// Stores the batch's losses in the current row (ids distinct within one call).
    void record(const index_vector& ids, const vector& loss) {
      require_sizes(ids, loss, "loss");
      B::check_indices(ids, static_cast<index_t>(history_.instances()), "LossImprovement::record");
      B::launch(ids.size(), detail::scatter_loss<scalar>{B::ptr(ids), B::ptr(loss), B::ptr(current_)});
    }

    /// The current row enters the history (replacing the oldest row once C are stored); while the
    /// history was still filling (the warm-up), the current row starts again at `initial_loss`.
    void end_epoch() {
      const bool warming_up = !history_.full();
      history_.push_row(current_);
      if (warming_up) B::fill(current_, initial_loss_);
    }

    const loss_history<B>& history() const noexcept { return history_; }
    /// The current epoch's row (LVec).
    const vector& current() const noexcept { return current_; }

   private:
    static void require_sizes(const index_vector& ids, const vector& loss, const char* field) {
      if (ids.size() != loss.size()) {
        throw config_error("LossImprovement: " + std::to_string(loss.size()) + " losses for " +
                               std::to_string(ids.size()) + " instance ids",
                           location::of_field(field));
      }
    }

    loss_history<B> history_;
    vector current_;
    scalar initial_loss_;
  };

 private:
  std::size_t history_;
  double initial_loss_;
};

}  // namespace rl
}  // namespace denoise
