// Task families register themselves here, keyed by --task: "pairs" (user-item pair models with
// sampled negatives, ranked over all items), "seq" (next-item models over per-user sequences) and
// "ctr" (feature-field rows, AUC/LogLoss), each a folder of its own (pairs/, seq/, ctr/) with its
// registration, its data, its runners and its outputs.
//
// task_family is the type-erased boundary in the manner of mlpack's CFWrapperBase: the family
// parses its own flags once and owns everything that depends on what a row of data is (loading and
// splitting, the table's metric columns, the per-instance exports and figures); the driver
// (main.cpp) only loops over seeds and methods, prints the table and writes the result file. run()
// is one virtual call per training run; everything below it (model, loss, Trainer) is compile-time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <denoise/core/json_writer.hpp>

#include "../flags.hpp"
#include "../harness/experiment_config.hpp"
#include "../harness/method_run.hpp"
#include "method_registry.hpp"

namespace denoise_cli {

/// The data a family loaded and split for one split seed. The driver reads only its description;
/// the family that made it (prepare) reads the rest in run(), by a static_cast to its own type.
class task_data {
 public:
  virtual ~task_data() = default;
  /// One line for the header of the output: source, counts, noise share.
  virtual const std::string& description() const = 0;
};

/// A method as --methods names it, for the family's cross-checks.
struct selected_method {
  std::string name;
  const cli_method* method;
};

class task_family {
 public:
  virtual ~task_family() = default;
  /// One line for the header of the output, e.g. "model gmf, loss bce, 1 negative(s)".
  virtual std::string describe() const = 0;
  /// Cross-checks between the family's settings and the methods --methods selected (a method that
  /// does not run in this family is refused here, naming it, before any data is read).
  virtual void check(const std::vector<selected_method>& selected) const = 0;
  /// The family's settings in the result file's "config" object.
  virtual void write_config(denoise::json_writer& out) const = 0;

  /// Loads and splits the data config.data names, the split drawn with `split_seed`.
  virtual std::unique_ptr<task_data> prepare(const experiment_config& config, std::uint64_t split_seed) const = 0;
  /// Trains a fresh model (initialised from `seed`) weighted by `method` on `data` (made by this
  /// family's prepare()), selects on validation, then tests it.
  virtual method_run run(const experiment_config& config, const task_data& data, const cli_method& method,
                         const std::string& method_name, std::uint64_t seed) const = 0;

  /// Every metric a run reports (the names --metrics accepts), then the table's default columns.
  virtual std::vector<std::string> metric_names(const experiment_config& config) const = 0;
  virtual std::vector<std::string> default_columns(const experiment_config& config) const = 0;
  /// Printed below the table: what its columns measure, under which protocol.
  virtual std::string table_notes(const experiment_config& config) const = 0;

  /// --export-weights: one run's per-instance weights and losses beside the noise flags.
  virtual void export_weights(const std::string& path, const method_run& run, const task_data& data) const = 0;
  /// --plot: the figures of one run beyond the validation curve and the method's own figure, each
  /// written as `<prefix>_<method>_<name>.svg` for every name figure_names() lists (checked before
  /// training). Returns the paths written.
  virtual std::vector<std::string> figure_names() const = 0;
  virtual std::vector<std::string> write_figures(const std::string& prefix, const method_run& run,
                                                 const task_data& data) const = 0;

  /// The files the family's own flags ask it to write (ctr: --export-rows), as (flag, path), so
  /// that they are checked with the driver's outputs before anything is read; none by default.
  virtual std::vector<std::pair<std::string, std::string>> output_files() const { return {}; }
  /// Writes them from the first seed's data, before training; returns the paths written.
  virtual std::vector<std::string> export_data(const task_data& /*data*/) const { return {}; }
};

struct task_registration {
  std::string name;              ///< as --task spells it
  std::string summary;           ///< one line for --help
  std::string section;           ///< the --help section title of its flags
  std::vector<flag_spec> flags;  ///< its own flags
  /// The --data sources it reads (the kinds data_config names: "synthetic", "ml-100k", ...);
  /// another source is refused naming --data.
  std::vector<std::string> data_sources;
  /// Parses and validates the family's flags. The common config is parsed; the family may replace
  /// the defaults of the common settings it owns (cut-offs, monitor, epochs) where their flags were
  /// not given, and refuses common flags that mean nothing to it.
  std::unique_ptr<task_family> (*make)(const denoise_cli::flags& values, experiment_config& config) = nullptr;
};

/// Every registered family, by name.
const std::vector<task_registration>& registered_tasks();
/// The family `name`, or null.
const task_registration* find_task(const std::string& name);

struct task_registrar {
  explicit task_registrar(task_registration registration);
};

}  // namespace denoise_cli
