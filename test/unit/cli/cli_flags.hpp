// Test helpers of the CLI's flag tests: argv from a list, and the field a parse error names.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>

#include "cli/harness/experiment.hpp"

namespace denoise_cli_test {

inline denoise_cli::flags flags_of(std::initializer_list<const char*> args) {
  std::vector<char*> argv{const_cast<char*>("denoise")};
  for (const char* a : args) argv.push_back(const_cast<char*>(a));
  return denoise_cli::read_flags(static_cast<int>(argv.size()), argv.data());
}

/// The field a parse error names, or "" when the flags are accepted.
inline std::string field_of(std::initializer_list<const char*> args) {
  try {
    denoise_cli::parse_experiment(flags_of(args));
  } catch (const denoise::config_error& e) {
    return e.field();
  }
  return "";
}

}  // namespace denoise_cli_test
