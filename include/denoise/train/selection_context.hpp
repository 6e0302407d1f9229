// selection_context: what a dataset-level Selector (AutoDenoise, Lin et al.) works with. A Selector
// owns the loop over freshly initialised models and keeps its own state across them (a policy
// network, a loss history); the context gives it the model to re-initialise, the training data,
// the validation target, and two ways to train:
//
//   ctx.train_fresh(seed, epochs, step)   re-initialise the model, then run `epochs` epochs whose
//                                          step is the selector's callable f(step_context&) over
//                                          fixed-order batches of the training rows' positives with
//                                          sampled negatives (instance ids stay stable);
//   ctx.retrain(subset, seed)             re-initialise and train normally on a subset of instance
//                                          ids, selecting the epoch on validation (never test).
//
// The result of a Selector is a subset of instance ids: save it with data::write_subset_csv and
// apply it to any dataset with Interactions::select_instances (the transfer experiment).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "../data/interactions.hpp"
#include "../methods/none.hpp"
#include "../methods/step_function.hpp"
#include "callbacks/early_stopping.hpp"
#include "trainer.hpp"

namespace denoise {
namespace train {

template <class Model, class Loss, class Sampler, class Optimizer = nn::Adam<typename Model::backend>,
          class Evaluator = evaluators::Ranking>
class selection_context {
 public:
  using B = typename Model::backend;
  using target_type = typename Evaluator::target_type;

  /// `model`, `train`, `sampler` and `validation` must outlive the context. `options` configure
  /// every training it runs (batch size, negatives, epochs of retrain(), seed of the batches).
  selection_context(Model& model, const data::Interactions& train, const Sampler& sampler,
                    const target_type* validation, trainer_options options, Optimizer optimizer = Optimizer{},
                    Evaluator evaluator = Evaluator{})
      : model_(model), train_(train), sampler_(sampler), validation_(validation), options_(std::move(options)),
        optimizer_(std::move(optimizer)), evaluator_(std::move(evaluator)) {
    options_.validate();
  }

  Model& model() noexcept { return model_; }
  const data::Interactions& data() const noexcept { return train_; }
  const target_type* validation() const noexcept { return validation_; }
  const trainer_options& options() const noexcept { return options_; }
  /// Instance ids of the training data run over [0, instances()).
  std::size_t instances() const noexcept { return static_cast<std::size_t>(train_.instance_capacity()); }

  /// Re-initialises the model from `seed`, then trains it `epochs` epochs with `step` as the
  /// step-owning method (a fresh optimizer state; validation after each epoch when there is a
  /// target). The batch order is the same for every call with the same options().seed.
  template <class Step, class... Callbacks>
  fit_result train_fresh(std::uint64_t seed, std::size_t epochs, Step& step, Callbacks&&... callbacks) {
    model_.reset(seed);
    trainer_options o = options_;
    o.epochs = epochs;
    Trainer<Model, Loss, methods::StepFunction<Step>, Optimizer, Evaluator> trainer(
        model_, optimizer_, methods::StepFunction<Step>(step), o, evaluator_);
    return trainer.fit(train_, sampler_, validation_, std::forward<Callbacks>(callbacks)...);
  }

  /// Re-initialises the model from `seed` and trains it normally (methods::None) on the rows whose
  /// instance ids are in `subset`, for options().epochs epochs; the model ends at its best epoch
  /// on validation `monitor` (higher is better), which the result records.
  fit_result retrain(span<const offset_t> subset, std::uint64_t seed, const std::string& monitor,
                     std::size_t patience = 0) {
    if (validation_ == nullptr) throw config_error("retrain() selects on validation: give a target", location::of_field("validation"));
    const data::Interactions rows = train_.select_instances(subset);
    model_.reset(seed);
    Trainer<Model, Loss, methods::None, Optimizer, Evaluator> trainer(model_, optimizer_, methods::None{}, options_,
                                                                      evaluator_);
    early_stopping<B> best(monitor, patience);
    return trainer.fit(rows, sampler_, validation_, best);
  }

 private:
  Model& model_;
  const data::Interactions& train_;
  const Sampler& sampler_;
  const target_type* validation_;
  trainer_options options_;
  Optimizer optimizer_;
  Evaluator evaluator_;
};

}  // namespace train
}  // namespace denoise
