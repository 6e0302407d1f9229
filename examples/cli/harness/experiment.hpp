// An experiment as the flags describe it: the common settings, the task family and every
// registered method configured from its flags. experiment.cpp builds it and the --help text, both
// from the registrations.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../flags.hpp"
#include "../registry/method_registry.hpp"
#include "../registry/task_registry.hpp"
#include "experiment_config.hpp"

namespace denoise_cli {

struct configured_method {
  const method_registration* registration = nullptr;
  std::unique_ptr<cli_method> method;
};

struct experiment {
  experiment_config config;
  std::unique_ptr<task_family> task;
  std::vector<configured_method> methods;  ///< every registered method, in rank order
  std::vector<std::string> columns;        ///< the table's metric columns (--metrics), each a known name

  /// The configured method `name` (one of config.methods).
  const cli_method& method(const std::string& name) const;
};

/// Reads argv, accepting the common flags and every registered family's and method's flags.
flags read_flags(int argc, char** argv);
/// Parses and validates everything; errors name the flag.
experiment parse_experiment(const flags& f);
/// The --help text.
std::string usage();

}  // namespace denoise_cli
