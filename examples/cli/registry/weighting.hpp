// The backend side of a weighting method. A method sees the library's own batch_context and
// epoch_context, with the model replaced by `opaque_model` so that one method file serves every
// model of a family; its per-run state sits behind one virtual on_batch per batch.
// `erased_denoiser` is the library Method policy a family's Trainer is instantiated with, so
// adding a method never adds a Trainer instantiation.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/train/batch_context.hpp>
#include <denoise/train/epoch_context.hpp>

#include "method_registry.hpp"

namespace denoise_cli {

/// Stands for the model in what a CLI weighting method sees: methods here never read the model.
/// (A method that does, such as a controller reading embeddings, needs its family to pass a
/// model-independent view of what it reads.)
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

/// The Method policy of the pairs family's Trainer: holds the configured method and the run it
/// weights; each run starts one state (one virtual call), then one virtual call per batch.
class pairs_denoiser {
 public:
  static constexpr const char* name() { return "cli"; }

  pairs_denoiser(const cli_method& method, const run_info& run) : method_(&method), run_(&run) {}

  template <class B>
  class State {
    static_assert(std::is_same<B, eigen_backend>::value,
                  "denoise CLI: the pairs family's weighting methods run on the Eigen backend only");
    using input = denoise::data::pair_batch<B>;

   public:
    State(const pairs_denoiser& d, std::uint64_t seed) : state_(d.method_->start_pairs(*d.run_, seed)) {}

    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights) {
      static opaque_model none;
      const batch_view<B, input> view{ctx.loss,  ctx.prediction, ctx.positive, ctx.logits, ctx.instance,
                                      ctx.item,  ctx.layout,     ctx.epoch,    ctx.iteration, none,
                                      ctx.input, ctx.labels,     ctx.anchor};
      return state_->on_batch(view, weights);
    }
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx) {
      static opaque_model none;
      state_->on_epoch_end(epoch_view{ctx.epoch, ctx.iterations, ctx.train_loss, none, ctx.validation});
    }

   private:
    std::unique_ptr<pairs_weighting> state_;
  };

 private:
  const cli_method* method_;
  const run_info* run_;
};

}  // namespace denoise_cli
