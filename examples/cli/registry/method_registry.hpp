// Denoising methods register themselves here, one file per method (methods/*.cpp): the name used by
// --methods, the flags with their help text, and a factory that turns the parsed flags into a
// cli_method. --help, the default --methods list, flag parsing, validation and the result file's
// config are all generated from these registrations.
//
// A cli_method is built once per experiment. A weighting method (the library's level 1:
// T-CE, R-CE, ...) starts one weighting_state per training run (weighting.hpp): the only virtual
// calls are one per run to start it and one per batch to weight it, never one per sample. A
// step-owning method (level 2: SGDL) is trained by a runner of its own, a separate Trainer
// instantiation per model and loss (pairs/pairs_sgdl_eigen.cpp); the family picks that runner when
// sgdl() is not null. A weighting method that reads the model's representation (the AutoDenoise
// controller) likewise gets a runner of its own (pairs/pairs_representation_eigen.cpp) when
// reads_representation() is true.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/core/json_writer.hpp>
#include <denoise/core/span.hpp>
#include <denoise/core/types.hpp>

#include "../flags.hpp"

namespace denoise {
namespace backends {
template <class Scalar>
struct Eigen;
}  // namespace backends
namespace data {
template <class Backend>
struct pair_batch;
template <class Backend>
struct sequence_batch;
template <class Backend>
struct field_batch;
}  // namespace data
}  // namespace denoise

namespace denoise_cli {

struct sgdl_settings;  // sgdl_settings.hpp
struct autodenoise_selection_settings;  // ctr/autodenoise_selection_settings.hpp

/// The backend of the CLI's CPU translation units.
using eigen_backend = denoise::backends::Eigen<float>;

template <class Backend, class Input>
class weighting_state;
/// What a method weights in each family, on the Eigen backend: batches of user-item pairs (--task
/// pairs), of item windows (--task seq), of feature-field rows (--task ctr).
using pairs_weighting = weighting_state<eigen_backend, denoise::data::pair_batch<eigen_backend>>;
using sequence_weighting = weighting_state<eigen_backend, denoise::data::sequence_batch<eigen_backend>>;
using field_weighting = weighting_state<eigen_backend, denoise::data::field_batch<eigen_backend>>;

/// What a method's factory reads: the flags, and whether the data is the built-in synthetic set
/// (some defaults differ there).
struct method_flags {
  const flags& values;
  bool synthetic;
};

/// The run a method is about to weight (its hyper-parameters may depend on the run's length).
struct run_info {
  /// Per training instance (pairs: an interaction; seq: a window's target; ctr: a row): its id,
  /// its item (ctr: empty), its label (seq: 1) and its ground-truth noise flag (empty when the data
  /// has none; for reports only, never seen by a method's weighting).
  denoise::span<const denoise::offset_t> instances;
  denoise::span<const denoise::index_t> items;
  denoise::span<const float> labels;
  denoise::span<const std::uint8_t> noisy;
  denoise::index_t n_items;
  std::size_t batch_size;  ///< positives per mini-batch (each followed by its negatives)
  std::size_t epochs;

  std::size_t positives() const {
    std::size_t n = 0;
    for (float label : labels) n += label > 0.0f ? 1u : 0u;
    return n;
  }
};

/// How a task family uses the methods it was given, for cross-checks that need both.
struct method_use {
  std::string task;         ///< the family (--task)
  std::string loss;         ///< the family's loss (bce, bpr, softmax)
  std::size_t negatives;    ///< sampled negatives per positive
  std::string model = {};   ///< the family's model (pairs: mf, gmf, ...)
  /// The models whose per-row representation the family can hand to a method that reads it
  /// (reads_representation()) with this loss; a method that reads it refuses the others.
  std::vector<std::string> representation_models = {};
};

/// One method configured from the flags.
class cli_method {
 public:
  virtual ~cli_method() = default;
  /// Checks that need the family's settings; called only for the methods --methods selects.
  virtual void check(const method_use& /*use*/) const {}
  /// The method's settings in the result file's "config" object.
  virtual void write_config(denoise::json_writer& /*out*/) const {}
  /// The families (--task) the method runs in; the family refuses the others in its check().
  virtual bool runs_in(const std::string& task) const { return task == "pairs"; }
  /// A weighting method's fresh per-run state for each family on the Eigen backend (seeded like the
  /// library's method states), one per batch type; a family with another batch type or backend adds
  /// its own start_*() here. A method overrides those of the families it runs in (runs_in); a
  /// step-owning method (sgdl() not null) has no such state: its family trains it through a runner
  /// of its own and never calls these.
  virtual std::unique_ptr<pairs_weighting> start_pairs(const run_info& /*run*/, std::uint64_t /*seed*/) const {
    throw not_started("pairs");
  }
  virtual std::unique_ptr<sequence_weighting> start_sequences(const run_info& /*run*/, std::uint64_t /*seed*/) const {
    throw not_started("seq");
  }
  virtual std::unique_ptr<field_weighting> start_fields(const run_info& /*run*/, std::uint64_t /*seed*/) const {
    throw not_started("ctr");
  }
  /// SGDL's settings when this is SGDL (a step-owning method the family trains with its own runner,
  /// never through start_pairs()); null for every weighting method.
  virtual const sgdl_settings* sgdl() const { return nullptr; }
  /// AutoDenoise instance selection's settings (Lin et al.: a step-owning method the ctr family
  /// trains with a runner of its own, ctr/ctr_selection_runner.hpp); null for every other method.
  virtual const autodenoise_selection_settings* autodenoise_selection() const { return nullptr; }
  /// True for a weighting method that reads the model's per-row representation (the library's
  /// batch_context::representation: Ge et al.'s controller). The family trains it with a runner of
  /// its own whose Trainer computes the representation for every batch; the other methods' runner
  /// never does, so they pay nothing for it.
  virtual bool reads_representation() const { return false; }
  /// True when the method's runs come with a figure of their own (method_run::figure, drawn by
  /// --plot as <prefix>_<method>_report.svg); declared up front so the path is checked before training.
  virtual bool draws_figure() const { return false; }

 private:
  static denoise::config_error not_started(const char* task) {
    return denoise::config_error(std::string("this method has no weighting state for --task ") + task +
                                     " (it owns its training step, or does not run there; the family should "
                                     "have refused it)",
                                 denoise::location::of_field("--methods"));
  }
};

/// A method's one registration.
struct method_registration {
  std::string name;              ///< as --methods spells it
  int rank = 0;                  ///< order in --help, the default --methods list and the result file
  std::vector<flag_spec> flags;  ///< its own flags (help text included)
  std::unique_ptr<cli_method> (*make)(const method_flags&) = nullptr;
  bool by_default = true;        ///< in the default --methods list (SGDL is not: it is slow and
                                 ///< selects its epoch on a schedule of its own)
};

/// Every registered method, sorted by rank.
const std::vector<method_registration>& registered_methods();
/// The registration of `name`, or null.
const method_registration* find_method(const std::string& name);

/// Registers a method at static-initialisation time: `const method_registrar r{{"t-ce", ...}};`.
struct method_registrar {
  explicit method_registrar(method_registration registration);
};

}  // namespace denoise_cli
