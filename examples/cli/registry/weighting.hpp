// The backend side of a weighting method. A method sees the library's own batch_context and
// epoch_context, with the model replaced by `opaque_model` so that one method file serves every
// model of a family; its per-run state sits behind one virtual on_batch per batch.
// `cli_denoiser<Input, false>` is the library Method policy a family's Trainer is instantiated
// with, so adding a method never adds a Trainer instantiation. A method that reads the model's
// per-row representation (cli_method::reads_representation) is weighted through
// `cli_denoiser<Input, true>` instead: the same erased state, in a Trainer of its own that
// computes the representation (a model-independent B::matrix) for it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_batch.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/train/batch_context.hpp>
#include <denoise/train/epoch_context.hpp>

#include "../harness/method_run.hpp"
#include "method_registry.hpp"

namespace denoise_cli {

/// Stands for the model in what a CLI weighting method sees: methods here never read the model.
/// What a controller reads of it, the per-row embeddings, arrives as batch_view::representation
/// (a B::matrix, the same for every model) when its runner declares reads_representation.
struct opaque_model {};

template <class B, class Input>
using batch_view = denoise::train::batch_context<B, opaque_model, Input>;
using epoch_view = denoise::train::epoch_context<opaque_model>;

template <class B, class Input>
class weighting_state {
 public:
  using backend = B;
  using input = Input;
  virtual ~weighting_state() = default;
  virtual typename B::scalar on_batch(const batch_view<B, Input>& batch, typename B::vector& weights) = 0;
  virtual void on_epoch_end(const epoch_view& epoch) = 0;
  /// What the run records beyond the trainer's history (the result file's "method_report"),
  /// valid after training: empty for methods that record nothing.
  virtual std::function<void(denoise::json_writer&)> report() const { return {}; }
  /// The run's own figure (method_run::figure), likewise valid after training; empty for none.
  virtual std::function<method_figure()> figure() const { return {}; }
};

/// The state of a library weighting policy behind weighting_state.
template <class Erased, class Policy>
class policy_state final : public Erased {
  using B = typename Erased::backend;

 public:
  policy_state(const Policy& policy, std::uint64_t seed) : state_(policy, seed) {}
  typename B::scalar on_batch(const batch_view<B, typename Erased::input>& batch, typename B::vector& weights) override {
    return state_.on_batch(batch, weights);
  }
  void on_epoch_end(const epoch_view& epoch) override { state_.on_epoch_end(epoch); }

 private:
  typename Policy::template State<B> state_;
};

/// What a method's start_*() returns for a library policy: start_policy<pairs_weighting>(policy, seed).
template <class Erased, class Policy>
std::unique_ptr<Erased> start_policy(const Policy& policy, std::uint64_t seed) {
  return std::make_unique<policy_state<Erased, std::decay_t<Policy>>>(policy, seed);
}

/// A method's fresh state for a batch type: the start_*() of the family that batch type belongs to.
inline std::unique_ptr<pairs_weighting> start_weighting(const cli_method& m, const run_info& run, std::uint64_t seed,
                                                        const denoise::data::pair_batch<eigen_backend>*) {
  return m.start_pairs(run, seed);
}
inline std::unique_ptr<sequence_weighting> start_weighting(const cli_method& m, const run_info& run,
                                                           std::uint64_t seed,
                                                           const denoise::data::sequence_batch<eigen_backend>*) {
  return m.start_sequences(run, seed);
}
inline std::unique_ptr<field_weighting> start_weighting(const cli_method& m, const run_info& run, std::uint64_t seed,
                                                        const denoise::data::field_batch<eigen_backend>*) {
  return m.start_fields(run, seed);
}

/// The Method policy of a family's Trainer over batches of `Input`: holds the configured method
/// and the run it weights; each run starts one state (one virtual call), then one virtual call per
/// batch. ReadsRepresentation declares the library's reads_representation: the Trainer then
/// computes the model's sample_representation for every batch and the view carries it (a family
/// instantiates that variant only for the methods that ask for it). The method's report
/// (weighting_state::report) lands in report_slot(), shared by every copy of the policy.
template <class Input, bool ReadsRepresentation>
class cli_denoiser {
 public:
  static constexpr bool reads_representation = ReadsRepresentation;
  static constexpr const char* name() { return "cli"; }

  cli_denoiser(const cli_method& method, const run_info& run)
      : method_(&method), run_(&run), outputs_(std::make_shared<run_outputs>()) {}

  /// The method's report and figure of the first state started with this policy (empty until then).
  const std::function<void(denoise::json_writer&)>& report_slot() const noexcept { return outputs_->report; }
  const std::function<method_figure()>& figure_slot() const noexcept { return outputs_->figure; }

  template <class B>
  class State {
    static_assert(std::is_same<B, eigen_backend>::value, "denoise CLI: the weighting methods run on the Eigen backend only");
    using erased = weighting_state<B, Input>;

   public:
    // The first state is the training run's; a later one (Trainer::loss_on's fresh state) must
    // not replace its report.
    State(const cli_denoiser& d, std::uint64_t seed)
        : state_(start_weighting(*d.method_, *d.run_, seed, static_cast<const Input*>(nullptr))) {
      if (d.outputs_->taken) return;
      d.outputs_->report = state_->report();
      d.outputs_->figure = state_->figure();
      d.outputs_->taken = true;
    }

    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights) {
      static opaque_model none;
      const batch_view<B, Input> view{ctx.loss,  ctx.prediction, ctx.positive, ctx.logits,    ctx.instance,
                                      ctx.item,  ctx.layout,     ctx.epoch,    ctx.iteration, none,
                                      ctx.input, ctx.labels,     ctx.anchor,   ctx.epochs,    ctx.representation};
      return state_->on_batch(view, weights);
    }
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx) {
      static opaque_model none;
      state_->on_epoch_end(epoch_view{ctx.epoch, ctx.iterations, ctx.train_loss, none, ctx.validation});
    }

   private:
    std::unique_ptr<erased> state_;
  };

 private:
  const cli_method* method_;
  const run_info* run_;
  struct run_outputs {
    std::function<void(denoise::json_writer&)> report;
    std::function<method_figure()> figure;
    bool taken = false;
  };
  std::shared_ptr<run_outputs> outputs_;  // shared by every copy of the policy
};

/// The pairs family's policies: the weighting methods that never read the model (every one but
/// the controller), and those with reads_representation() (AutoDenoise-H / -S).
using pairs_denoiser = cli_denoiser<denoise::data::pair_batch<eigen_backend>, false>;
using pairs_representation_denoiser = cli_denoiser<denoise::data::pair_batch<eigen_backend>, true>;

}  // namespace denoise_cli
