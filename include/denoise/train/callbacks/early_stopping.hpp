// early_stopping: watches a validation metric, keeps a snapshot of the parameters of the best
// epoch, stops after `patience` epochs without improvement, and restores the best parameters
// before fit() returns (so the model a user gets is never simply the last epoch's).
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "../../core/error.hpp"
#include "../../nn/snapshot.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {

template <class B>
class early_stopping {
 public:
  /// `metric`: a name from epoch_record (e.g. "ndcg@20", "recall@20", "train_loss").
  /// `higher_is_better` false for losses. `patience` 0 never stops early, but still restores the best.
  explicit early_stopping(std::string metric = "ndcg@20", std::size_t patience = 5, bool higher_is_better = true,
                          double min_delta = 0.0)
      : metric_(std::move(metric)), patience_(patience), higher_(higher_is_better), min_delta_(min_delta) {}

  std::size_t best_epoch() const noexcept { return best_epoch_; }
  double best_value() const noexcept { return best_; }

  template <class Model>
  bool on_epoch_end(const epoch_record& r, Model& model) {
    const double v = r.value(metric_);
    if (v != v) {
      throw config_error("early stopping watches '" + metric_ + "', which this run does not report "
                             "(is there a validation set, and is K among the evaluated cut-offs?)",
                         location::of_field("monitor"));
    }
    const bool improved = best_epoch_ == 0 || (higher_ ? v > best_ + min_delta_ : v < best_ - min_delta_);
    if (improved) {
      best_ = v;
      best_epoch_ = r.epoch;
      best_params_.take(model);
      return false;
    }
    return patience_ > 0 && r.epoch - best_epoch_ >= patience_;
  }

  template <class Model, class Result>
  void on_train_end(Model& model, Result& result) {
    if (best_epoch_ == 0) return;
    best_params_.restore(model);
    result.best_epoch = best_epoch_;
  }

 private:
  std::string metric_;
  std::size_t patience_;
  bool higher_;
  double min_delta_;
  double best_ = 0.0;
  std::size_t best_epoch_ = 0;
  nn::snapshot<B> best_params_;
};

}  // namespace train
}  // namespace denoise
