// The result of one (method, seed) training run, whatever the task family.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <denoise/core/json_writer.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/train/options.hpp>

#include "svg_plot.hpp"

namespace denoise_cli {

/// The lines a method draws of its own run (the controller: reward, baseline and the mean weight of
/// true vs false positives per epoch); --plot writes them to <prefix>_<method>_report.svg.
struct method_figure {
  std::string title, x_label, y_label;
  std::vector<plot_series> lines;
};

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
  /// The method's own figure, drawn after training (empty for methods without one; a method that
  /// has one says so up front with cli_method::draws_figure(), for --plot's path checks).
  std::function<method_figure()> figure;
};

}  // namespace denoise_cli
