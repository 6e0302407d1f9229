// What an experiment leaves behind: the machine-readable result (JSON) and SVG figures; the
// per-instance exports are the family's (task_family::export_weights). Every file is written
// atomically (report.cpp).
#pragma once

#include <string>
#include <vector>

#include <denoise/metrics/metric_value.hpp>

#include "experiment.hpp"
#include "method_run.hpp"

namespace denoise_cli {

/// Checks, before any training, every file --out, --export-weights and --plot would write: each
/// is refused (a config_error naming the flag) when it exists but is not a regular file (a
/// directory, a symbolic link, a device: the atomic rename would replace it, so it is refused
/// rather than written through), when its directory does not exist, or when it is the input
/// (--data) or a file another output also writes.
void check_output_paths(const flags& f, const experiment& e);

/// --export-weights FILE: the file of one method (FILE with "_<method>" before the extension).
std::string weights_path(const std::string& path, const std::string& method);

/// The value of `name` in a metric list, NaN when absent.
double metric_of(const denoise::metrics::metric_list& list, const std::string& name);

/// Per-seed values of a metric for one method: test metrics first, then the selected epoch's
/// denoising metrics (drop precision/recall...).
std::vector<double> per_seed(const std::vector<method_run>& runs, const std::string& method, const std::string& metric);

/// The result file: {"denoise_version", "config", "data", "runs": [...], "summary": {...}}.
/// runs[i] = {method, seed, seconds, best_epoch, test: {metric: value}, epochs: [{epoch,
/// train_loss, seconds, validation: {...}, denoising: {...}}]}; summary[method][metric] = {mean,
/// std, n, and for methods other than "normal": diff_vs_normal, t, p}.
void write_result_json(const std::string& path, const experiment& e, const std::string& data_description,
                       const std::vector<method_run>& runs, const std::vector<std::string>& summary_metrics);

/// Figures: `<prefix>_curve.svg` (the validation metric per epoch, one line per method, first seed),
/// `<prefix>_<method>_report.svg` (a method's own figure) and the family's figures of each run
/// (task_family::write_figures). Returns the paths written.
std::vector<std::string> write_plots(const std::string& prefix, const experiment& e, const std::vector<method_run>& runs,
                                     const task_data& d);

}  // namespace denoise_cli
