// The "seq" task family's type-erased boundary, as pairs_runner_base.hpp is the pairs family's: one
// abstract runner per (model, level), each a seq_runner<Model, Denoiser> instantiated in the
// backend translation unit (seq_eigen.cpp) and found by name at run time; run() is the only
// virtual call, once per training run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <denoise/core/types.hpp>

#include "../harness/experiment_config.hpp"
#include "../harness/method_run.hpp"
#include "../registry/method_registry.hpp"
#include "seq_data.hpp"

namespace denoise_cli {

/// The family's settings: the protocol and the model's (--model, --factor, ...).
struct seq_settings {
  seq_protocol_settings data;
  std::string model = "sasrec";  ///< mf, gru4rec, sasrec
  denoise::index_t factor = 64;  ///< MF factor, GRU4Rec item embedding, SASRec width d
  denoise::index_t hidden = 100; ///< GRU4Rec state
  double dropout = -1.0;         ///< GRU4Rec input dropout (0.25), SASRec dropout (0.2); < 0: the model's default
  denoise::index_t blocks = 2;   ///< SASRec blocks
  denoise::index_t heads = 2;    ///< SASRec heads
};

class seq_runner_base {
 public:
  virtual ~seq_runner_base() = default;
  virtual method_run run(const seq_settings& settings, const experiment_config& config, const seq_data& data,
                         const cli_method& method, const std::string& method_name, std::uint64_t seed) const = 0;
};

/// Registers a runner; `reads_representation`: the runner of the methods that read the model's
/// representation (the controller), whose Trainer computes it for every batch.
void register_seq_runner(const std::string& model, bool reads_representation, std::unique_ptr<seq_runner_base> runner);
/// The runner for (model, level), or null.
const seq_runner_base* find_seq_runner(const std::string& model, bool reads_representation);
/// The models some runner offers, sorted.
std::vector<std::string> seq_models();

}  // namespace denoise_cli
