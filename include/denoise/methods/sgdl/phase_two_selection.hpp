// sgdl::phase_two_selection<B>: SGDL's model selection, a training callback (docs/policies/callback.md)
// [ours, as the authors' code does it]: validation counts only in phase II (phase I is plain
// training, so selecting one of its epochs would report Normal under SGDL's name), every `every`
// phase-II epochs (5), on `metric` (recall@5); the run stops after `patience` evaluations without
// a gain (8) and the best evaluated epoch's parameters are restored when fit() returns.
//
//   methods::SGDL sgdl(train, options);
//   methods::sgdl::phase_two_selection<B> select(sgdl.report());
//   trainer.fit(train, sampler, &validation, select);   // result.best_epoch: the restored epoch
//
// It reads the phase from the SGDL policy's shared report, which the method updates in its
// on_epoch_end before the callbacks run. A run that never reaches phase II evaluates nothing and
// keeps its last epoch (selected() is false then).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "../../core/error.hpp"
#include "../../train/callbacks/early_stopping.hpp"
#include "../../train/options.hpp"
#include "sgdl_report.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

template <class B>
class phase_two_selection {
 public:
  /// `report`: SGDL::report() of the method being trained. `every` >= 1, `patience` in
  /// evaluations (0: never stop early, still restore the best).
  explicit phase_two_selection(std::shared_ptr<const sgdl_report> report, std::string metric = "recall@5",
                               std::size_t every = 5, std::size_t patience = 8)
      : report_(std::move(report)), every_(every), best_(std::move(metric), every * patience, true) {
    if (report_ == nullptr) throw config_error("phase_two_selection needs SGDL's report", location::of_field("report"));
    if (every_ == 0) throw config_error("must be at least 1", location::of_field("every"));
  }

  /// The restored epoch (1-based); 0 when no phase-II epoch was evaluated.
  std::size_t best_epoch() const noexcept { return best_.best_epoch(); }
  double best_value() const noexcept { return best_.best_value(); }
  bool selected() const noexcept { return best_.best_epoch() != 0; }

  template <class Model>
  bool on_epoch_end(const train::epoch_record& r, Model& model) {
    if (report_->switch_epoch == 0 || r.epoch <= report_->switch_epoch) return false;  // phase I
    if ((r.epoch - report_->switch_epoch) % every_ != 0) return false;
    return best_.on_epoch_end(r, model);
  }

  template <class Model, class Result>
  void on_train_end(Model& model, Result& result) {
    best_.on_train_end(model, result);
  }

 private:
  std::shared_ptr<const sgdl_report> report_;
  std::size_t every_;
  train::early_stopping<B> best_;  ///< patience in epochs: every x evaluations
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
