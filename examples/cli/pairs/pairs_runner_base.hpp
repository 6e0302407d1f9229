// The "pairs" task family's type-erased boundary (mlpack's CFWrapperBase idea): one abstract
// runner per (model, loss, backend), each a pairs_runner<Model, Loss, Backend> instantiated in a
// backend translation unit (pairs_eigen.cpp) and found by name at run time. run() is the only
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

namespace denoise_cli {

struct prepared_data;

/// The family's own settings (--model, --loss, ...).
struct pairs_settings {
  std::string model = "gmf";  ///< mf, gmf, neumf, cdae, lightgcn, ngcf
  denoise::index_t factor = 32;
  denoise::index_t layers = 3;  ///< NeuMF tower depth; LightGCN / NGCF propagation layers
  double dropout = 0.0;         ///< NeuMF tower dropout; NGCF message dropout
  double node_dropout = 0.0;    ///< NGCF node dropout
  double l2 = 0.0;              ///< LightGCN / NGCF batch L2 (the references: 1e-4, 1e-5)
  denoise::index_t hidden = 200;  ///< CDAE hidden width
  double corruption = 0.5;      ///< CDAE input corruption
  std::string loss = "bce";     ///< bce, bpr, softmax
  std::size_t negatives = 1;
  std::string backend = "eigen";
};

class pairs_runner_base {
 public:
  virtual ~pairs_runner_base() = default;
  virtual method_run run(const pairs_settings& settings, const experiment_config& config, const prepared_data& data,
                         const cli_method& method, const std::string& method_name, std::uint64_t seed) const = 0;
};

/// Which methods a runner trains: the weighting ones (pairs_runner.hpp), SGDL, which owns the
/// training step (pairs_sgdl_runner.hpp), or the weighting methods that read the model's per-row
/// representation (pairs_representation_runner.hpp: only models with sample_representation).
enum class method_level { weighting, sgdl, representation };

/// Registers a runner (pairs_runner.hpp and pairs_sgdl_runner.hpp do it for each instantiation).
void register_pairs_runner(const std::string& model, const std::string& loss, const std::string& backend,
                           method_level level, std::unique_ptr<pairs_runner_base> runner);

/// Registers Runner<Model, Loss, Backend> at `Level` for each of `Losses`, under the model's, the
/// loss's and the backend's names (a backend unit holds one constant of it per model):
///   const registered_runners<pairs_runner, method_level::weighting, E, models::MF<E>, losses::BCE> mf{};
template <template <class, class, class> class Runner, method_level Level, class Backend, class Model, class... Losses>
struct registered_runners {
  registered_runners() {
    (register_pairs_runner(Model::name(), Losses::name(), Backend::name(), Level,
                           std::make_unique<Runner<Model, Losses, Backend>>()),
     ...);
  }
};
/// The runner for (model, loss, backend, level), or null.
const pairs_runner_base* find_pairs_runner(const std::string& model, const std::string& loss, const std::string& backend,
                                           method_level level);
/// Model and loss names some runner offers, in registration-independent (sorted) order.
std::vector<std::string> pairs_models();
std::vector<std::string> pairs_losses();

/// The runner level `method` needs.
inline method_level pairs_method_level(const cli_method& method) {
  if (method.sgdl() != nullptr) return method_level::sgdl;
  return method.reads_representation() ? method_level::representation : method_level::weighting;
}

/// What the family's settings tell a method's check(): the loss, the model, and the models that
/// have a representation runner for this loss and backend.
inline method_use pairs_method_use(const pairs_settings& s) {
  method_use use{"pairs", s.loss, s.negatives};
  use.model = s.model;
  for (const auto& model : pairs_models())
    if (find_pairs_runner(model, s.loss, s.backend, method_level::representation) != nullptr)
      use.representation_models.push_back(model);
  return use;
}

}  // namespace denoise_cli
