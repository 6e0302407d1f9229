// The "ctr" task family's type-erased boundary: one abstract runner per (model, backend), each a
// ctr_runner<Model, Backend> instantiated in a backend translation unit (ctr_eigen.cpp) and found
// by name at run time. run() is the only virtual call, once per training run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <denoise/core/types.hpp>

#include "../harness/experiment_config.hpp"
#include "../harness/method_run.hpp"
#include "../registry/method_registry.hpp"

namespace denoise_cli {

struct ctr_data;

/// The family's own settings (--model, --embed-dim, ...).
struct ctr_settings {
  std::string model = "deepfm";                ///< fm, wd, deepfm, dcn, ipnn
  denoise::index_t embed_dim = 16;             ///< per field (pytorch-fm, AutoDenoise)
  std::vector<denoise::index_t> mlp_dims{16, 16};  ///< hidden layers (IPNN's default: one of 16)
  double dropout = 0.2;                        ///< after each hidden ReLU
  denoise::index_t cross_layers = 3;           ///< DCN only
  std::size_t synthetic_rows = 20000;          ///< --data synthetic: planted-signal rows
  std::vector<std::string> field_columns;      ///< --data csv: the field columns, by header name
  std::string label_column = "label";          ///< --data csv: the 0/1 label column
  std::size_t csv_fields = 8;                  ///< --data autodenoise-csv: field columns before the label
  std::string export_rows;                     ///< --export-rows PREFIX: the encoded split as CSV files
  std::string backend = "eigen";
};

class ctr_runner_base {
 public:
  virtual ~ctr_runner_base() = default;
  virtual method_run run(const ctr_settings& settings, const experiment_config& config, const ctr_data& data,
                         const cli_method& method, const std::string& method_name, std::uint64_t seed) const = 0;
};

/// Registers a runner (ctr_runner.hpp does it for each instantiation).
void register_ctr_runner(const std::string& model, const std::string& backend, std::unique_ptr<ctr_runner_base> runner);
/// The runner for (model, backend), or null.
const ctr_runner_base* find_ctr_runner(const std::string& model, const std::string& backend);
/// Model names some runner offers, sorted.
std::vector<std::string> ctr_models();

}  // namespace denoise_cli
