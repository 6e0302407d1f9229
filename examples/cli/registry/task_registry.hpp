// Task families register themselves here, keyed by --task: "pairs" (user-item pair models with
// sampled negatives, ranking metrics) today; "ctr" (field rows, AUC/LogLoss) and "sequences"
// (GRU4Rec/SASRec) are meant to be siblings, each a folder like pairs/ with its own registration.
//
// task_family is the type-erased boundary in the manner of mlpack's CFWrapperBase: the family
// parses its own flags once, then run() is one virtual call per training run; everything below it
// (model, loss, Trainer) is compile-time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <denoise/core/json_writer.hpp>

#include "../flags.hpp"
#include "../harness/experiment_config.hpp"
#include "../harness/method_run.hpp"
#include "method_registry.hpp"

namespace denoise_cli {

struct prepared_data;

class task_family {
 public:
  virtual ~task_family() = default;
  /// One line for the header of the output, e.g. "model gmf, loss bce, 1 negative(s)".
  virtual std::string describe() const = 0;
  /// Cross-checks between the family's settings and the methods --methods selected.
  virtual void check(const std::vector<const cli_method*>& selected) const = 0;
  /// The family's settings in the result file's "config" object.
  virtual void write_config(denoise::json_writer& out) const = 0;
  /// Trains a fresh model (initialised from `seed`) weighted by `method`, then tests it.
  virtual method_run run(const experiment_config& config, const prepared_data& data, const cli_method& method,
                         const std::string& method_name, std::uint64_t seed) const = 0;
};

struct task_registration {
  std::string name;              ///< as --task spells it
  std::string summary;           ///< one line for --help
  std::string section;           ///< the --help section title of its flags
  std::vector<flag_spec> flags;  ///< its own flags
  /// Parses and validates the family's flags; the common config is already parsed.
  std::unique_ptr<task_family> (*make)(const denoise_cli::flags& values, const experiment_config& config) = nullptr;
};

/// Every registered family, by name.
const std::vector<task_registration>& registered_tasks();
/// The family `name`, or null.
const task_registration* find_task(const std::string& name);

struct task_registrar {
  explicit task_registrar(task_registration registration);
};

}  // namespace denoise_cli
