// periodic_selection: model selection on a score taken every `every` training steps instead of
// once per epoch, the rule of ADT's reference code (WenjieWWJ/DenoisingRec evaluates the loss of
// the noisy validation split every 2,000 iterations and keeps the model with the lowest). It keeps a
// snapshot of the best parameters and restores them before fit() returns.
//
//   auto score = [&](const train::iteration_record& r) {
//     return trainer.loss_on(validation_batches, random::derive_seed(seed, r.iteration), r.iteration, r.epoch);
//   };
//   train::periodic_selection<B, decltype(score)> select(2000, score);
//   trainer.fit(train_data, sampler, nullptr, select);
//
// [ours] The run's last step is always a candidate too (the reference never scores it, and a run
// shorter than `every` steps would have no model at all). Do not combine it with early_stopping:
// both restore parameters at the end of training.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../nn/snapshot.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {

template <class B, class Score>
class periodic_selection {
 public:
  /// `score(const iteration_record&)` returns the value to compare (a loss: lower is better unless
  /// `lower_is_better` is false); it is called after steps every, 2*every, ... and after the last.
  periodic_selection(std::uint64_t every, Score score, bool lower_is_better = true)
      : every_(every), score_(std::move(score)), lower_(lower_is_better) {
    if (every_ == 0) throw config_error("periodic_selection: 'every' must be at least 1 step", location::of_field("every"));
  }

  template <class Model>
  void on_iteration_end(const iteration_record& r, Model& model) {
    last_ = r;
    if (r.iteration % every_ == 0) consider(r, model);
  }

  template <class Model, class Result>
  void on_train_end(Model& model, Result& result) {
    if (last_.iteration == 0) return;  // no step was taken
    if (history_.empty() || history_.back().iteration != last_.iteration) consider(last_, model);
    best_params_.restore(model);
    result.best_epoch = best_.epoch;
  }

  /// The chosen candidate (iteration 0 before any was scored).
  const selection_point& best() const noexcept { return best_; }
  /// Every candidate in order.
  const std::vector<selection_point>& history() const noexcept { return history_; }
  std::uint64_t every() const noexcept { return every_; }

 private:
  template <class Model>
  void consider(const iteration_record& r, Model& model) {
    const double v = static_cast<double>(score_(r));
    if (!std::isfinite(v)) {
      throw divergence_error("the selection score is not finite after step " + std::to_string(r.iteration) +
                                 " (epoch " + std::to_string(r.epoch + 1) + "): the run diverged (lower the learning rate)",
                             location::of_field("learning_rate"));
    }
    const selection_point p{r.iteration, r.epoch + 1, v};
    history_.push_back(p);
    if (history_.size() == 1 || (lower_ ? v < best_.score : v > best_.score)) {
      best_ = p;
      best_params_.take(model);
    }
  }

  std::uint64_t every_;
  Score score_;
  bool lower_;
  iteration_record last_{};
  selection_point best_{};
  std::vector<selection_point> history_;
  nn::snapshot<B> best_params_;
};

}  // namespace train
}  // namespace denoise
