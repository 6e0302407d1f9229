// The result of one (method, seed) training run, whatever the task family.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <denoise/core/json_writer.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/train/options.hpp>

namespace denoise_cli {

struct method_run {
  std::string method;
  std::uint64_t seed = 0;
  denoise::train::fit_result fit;  ///< per-epoch history, best epoch, per-instance weights and losses
  denoise::metrics::metric_list test;  ///< clean-test metrics of the selected epoch
  double seconds = 0.0;            ///< wall time of the whole run (training + validation)
  /// --select-every: every scored step (iteration, epoch, validation loss) and the chosen one.
  std::vector<denoise::train::selection_point> selection;
  denoise::train::selection_point selected;
  denoise::metrics::metric_list selected_validation;  ///< validation metrics of the chosen step
  /// What the method records beyond the trainer's history (SGDL: the switch epoch, the noise rate
  /// and memorization per epoch, the learned weighting function), written as the run's
  /// "method_report" object of the result file; empty for methods without one.
  std::function<void(denoise::json_writer&)> write_report;
};

}  // namespace denoise_cli
