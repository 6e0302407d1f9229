// What the pairs family writes per run beside the driver's outputs: the per-sample weights and
// losses with the ground-truth noise flag (--export-weights) and the loss distributions of clean
// vs noisy training samples (--plot).
#pragma once

#include <string>
#include <vector>

#include "../harness/method_run.hpp"
#include "prepared_data.hpp"

namespace denoise_cli {

/// Per training instance of one run: instance, user, item (dense and raw ids), the mean weight and
/// loss the denoiser saw in the last epoch, and the ground-truth noise flag.
/// .csv: a header line and one row per training positive. .npy: a float64 array with the columns
/// [instance, user, item, user_raw, item_raw, weight, loss, noisy].
void export_pairs_weights(const std::string& path, const method_run& run, const prepared_data& d);

/// `<prefix>_<method>_loss.svg`: the final per-sample loss of clean vs noisy training samples;
/// nothing when the data has no noise flags. Returns the paths written.
std::vector<std::string> write_loss_figure(const std::string& prefix, const method_run& run, const prepared_data& d);

}  // namespace denoise_cli
