// What the ctr family writes per run beside the driver's outputs: the per-row weights and losses of
// the training rows (--export-weights), with the ground-truth noise flag when the data has one.
#pragma once

#include <string>

#include "../harness/method_run.hpp"
#include "ctr_data.hpp"

namespace denoise_cli {

/// One row per training row, in the split's order: its instance id, its label, its field codes,
/// the mean weight and loss the denoiser saw in the last epoch, then its noise flag (only when the
/// data has flags: the planted label flips).
/// .csv: a header line (instance,label,<field names>,weight,loss[,noisy]). .npy: a float64 array
/// with those columns.
void export_ctr_weights(const std::string& path, const method_run& run, const ctr_data& d);

}  // namespace denoise_cli
