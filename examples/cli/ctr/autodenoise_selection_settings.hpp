// The settings of AutoDenoise by RL instance selection (Lin et al., WWW'23) as the CLI's
// `--methods autodenoise` configures them (methods/autodenoise_selection.cpp); the ctr family's
// selection runner (ctr_selection_runner.hpp) reads them through cli_method::autodenoise_selection().
#pragma once

#include <string>

#include <denoise/methods/autodenoise_selection/instance_selection_options.hpp>

namespace denoise_cli {

struct autodenoise_selection_settings {
  /// C, T, ratio, selection, profile and Θ's learning rates. The retraining of each validation
  /// phase takes --epochs, --patience and --monitor (auc) from the common flags.
  denoise::methods::instance_selection_options options;
  /// --ad-subset FILE.csv: the first seed's chosen subset, as instance ids (FILE.csv) and as rows in
  /// the AutoDenoise CSV format (FILE_rows.csv); empty: not written.
  std::string subset_path;
};

}  // namespace denoise_cli
