// The result of one (method, seed) training run, whatever the task family.
#pragma once

#include <cstdint>
#include <string>

#include <denoise/metrics/metric_value.hpp>
#include <denoise/train/options.hpp>

namespace denoise_cli {

struct method_run {
  std::string method;
  std::uint64_t seed = 0;
  denoise::train::fit_result fit;  ///< per-epoch history, best epoch, per-instance weights and losses
  denoise::metrics::metric_list test;  ///< clean-test metrics of the selected epoch
  double seconds = 0.0;            ///< wall time of the whole run (training + validation)
};

}  // namespace denoise_cli
