// Umbrella header of denoise/runtime: the run-time layer the CLI uses to pick policies from flags.
#pragma once

#include "dynamic_denoiser.hpp"
#include "experiment_config.hpp"
#include "method_runner.hpp"
#include "prepared_data.hpp"
#include "report.hpp"
#include "statistics.hpp"
#include "svg_plot.hpp"
