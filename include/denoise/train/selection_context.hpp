// selection_context: what a dataset-level Selector (AutoDenoise, Lin et al.) works with. A Selector
// owns the loop over freshly initialised models and keeps its own state across them (a policy
// network, a loss history); the context gives it the model to re-initialise, the training data,
// the validation target, and the ways to train:
//
//   ctx.train_fresh(seed, epochs, step)   re-initialise the model, then run `epochs` epochs whose
//                                          step is the selector's callable f(step_context&) over
//                                          fixed-order batches of the training data (instance ids
//                                          stay stable); validation after each epoch;
//   ctx.search_fresh(seed, epochs, step)  the same without the validation (searching epochs);
//   ctx.for_each_batch(f)                 f(batch) over the same fixed-order batches, no training
//                                          (a policy scoring the training set);
//   ctx.retrain(subset, seed, monitor)    re-initialise and train normally on a subset of instance
//                                          ids, selecting the epoch on validation (never test).
//
// The training data is given by the third parameter, `Source`:
//   a negative sampler (pairs)       data::Interactions rows, batchers::NegativeSampling<Sampler>:
//                                     the positives with sampled negatives (the pair models);
//   data::FieldDataset (CTR rows)    batchers::FieldRows in fixed order, every row once per epoch
//                                     (field_selection_context: DeepFM, FM, ... with BCE and
//                                     evaluators::Classification).
//
// The result of a Selector is a subset of instance ids: save it with data::write_subset_csv and
// apply it with Interactions::select_instances or train::rows_of_instances (the transfer experiment).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "../data/field_dataset.hpp"
#include "../data/interactions.hpp"
#include "../losses/bce.hpp"
#include "../methods/none.hpp"
#include "../methods/step_function.hpp"
#include "batchers/field_rows.hpp"
#include "batchers/negative_sampling.hpp"
#include "callbacks/early_stopping.hpp"
#include "evaluators/classification.hpp"
#include "trainer.hpp"

namespace denoise {
namespace train {

/// The rows of `rows` whose instance ids are in `ids`, in the dataset's order. An id that is
/// not a row of `rows` is a config_error (field 'instance').
inline data::FieldDataset rows_of_instances(const data::FieldDataset& rows, span<const offset_t> ids) {
  std::vector<std::int64_t> where(static_cast<std::size_t>(rows.instance_capacity()), -1);
  const auto instances = rows.instances();
  for (std::size_t r = 0; r < rows.size(); ++r) where[static_cast<std::size_t>(instances[r])] = static_cast<std::int64_t>(r);
  std::vector<std::uint8_t> chosen(rows.size(), 0);
  for (offset_t id : ids) {
    if (id < 0 || id >= rows.instance_capacity() || where[static_cast<std::size_t>(id)] < 0) {
      throw config_error("instance " + std::to_string(id) + " is not in this dataset", location::of_field("instance"));
    }
    chosen[static_cast<std::size_t>(where[static_cast<std::size_t>(id)])] = 1;
  }
  std::vector<std::size_t> positions;
  positions.reserve(ids.size());
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (chosen[r] != 0) positions.push_back(r);
  return rows.subset(positions);
}

namespace detail {

/// Pair data: data::Interactions, batches of positives with negatives from a Sampler.
template <class Sampler>
struct pair_source {
  using data_type = data::Interactions;
  using batcher_type = batchers::NegativeSampling<Sampler>;
  const data::Interactions* rows;
  const Sampler* sampler;
  batcher_type batcher(const data::Interactions& r) const { return batcher_type(r, *sampler); }
  static data::Interactions subset(const data::Interactions& r, span<const offset_t> ids) {
    return r.select_instances(ids);
  }
};

/// CTR data: data::FieldDataset rows in fixed order (no shuffling: the instance order is the
/// same in every epoch, as the per-instance loss history needs) [paper].
struct field_source {
  using data_type = data::FieldDataset;
  using batcher_type = batchers::FieldRows;
  const data::FieldDataset* rows;
  static batcher_type batcher(const data::FieldDataset& r) { return batcher_type(r, data::Order::fixed); }
  static data::FieldDataset subset(const data::FieldDataset& r, span<const offset_t> ids) {
    return rows_of_instances(r, ids);
  }
};

template <class Source>
using source_t = std::conditional_t<std::is_same<Source, data::FieldDataset>::value, field_source, pair_source<Source>>;

}  // namespace detail

template <class Model, class Loss, class Source, class Optimizer = nn::Adam<typename Model::backend>,
          class Evaluator = evaluators::Ranking>
class selection_context {
  using source = detail::source_t<Source>;
  static constexpr bool fields = std::is_same<Source, data::FieldDataset>::value;

 public:
  using B = typename Model::backend;
  using model_type = Model;
  using loss_type = Loss;
  using optimizer_type = Optimizer;
  using evaluator_type = Evaluator;
  using target_type = typename Evaluator::target_type;
  using result_type = typename Evaluator::result_type;
  using data_type = typename source::data_type;
  using batcher_type = typename source::batcher_type;
  using batch_type = train::batch<B, typename Model::batch_type>;

  /// Pairs: `model`, `train`, `sampler` and `validation` must outlive the context. `options`
  /// configure every training it runs (batch size, negatives, epochs of retrain(), batch seed).
  template <class S = Source, class = std::enable_if_t<!std::is_same<S, data::FieldDataset>::value>>
  selection_context(Model& model, const data::Interactions& train, const S& sampler, const target_type* validation,
                    trainer_options options, Optimizer optimizer = Optimizer{}, Evaluator evaluator = Evaluator{})
      : model_(model), source_{&train, &sampler}, validation_(validation), options_(std::move(options)),
        optimizer_(std::move(optimizer)), evaluator_(std::move(evaluator)) {
    options_.validate();
  }

  /// Field rows (CTR): `model`, `train` and `validation` must outlive the context.
  template <class S = Source, class = std::enable_if_t<std::is_same<S, data::FieldDataset>::value>>
  selection_context(Model& model, const data::FieldDataset& train, const target_type* validation,
                    trainer_options options, Optimizer optimizer = Optimizer{}, Evaluator evaluator = Evaluator{})
      : model_(model), source_{&train}, validation_(validation), options_(std::move(options)),
        optimizer_(std::move(optimizer)), evaluator_(std::move(evaluator)) {
    options_.validate();
    if (train.empty()) throw config_error("the training data has no rows", location::of_field("train"));
  }

  Model& model() noexcept { return model_; }
  const data_type& data() const noexcept { return *source_.rows; }
  const target_type* validation() const noexcept { return validation_; }
  const trainer_options& options() const noexcept { return options_; }
  /// Instance ids of the training data run over [0, instances()).
  std::size_t instances() const noexcept { return static_cast<std::size_t>(source_.rows->instance_capacity()); }

  /// Re-initialises the model from `seed`, then trains it `epochs` epochs with `step` as the
  /// step-owning method (a fresh optimizer state; validation after each epoch when there is a
  /// target). The batch order is the same for every call with the same options().seed.
  template <class Step, class... Callbacks>
  fit_result train_fresh(std::uint64_t seed, std::size_t epochs, Step& step, Callbacks&&... callbacks) {
    return run_fresh(seed, epochs, step, validation_, std::forward<Callbacks>(callbacks)...);
  }

  /// train_fresh() without validation: the searching epochs of a selector, which do not look at
  /// the validation set.
  template <class Step, class... Callbacks>
  fit_result search_fresh(std::uint64_t seed, std::size_t epochs, Step& step, Callbacks&&... callbacks) {
    return run_fresh(seed, epochs, step, nullptr, std::forward<Callbacks>(callbacks)...);
  }

  /// Calls f(const batch_type&) on each batch of one epoch of the training data, in the order
  /// train_fresh() sees them (the first epoch's, for a sampler that draws negatives).
  template <class F>
  void for_each_batch(F&& f) {
    const batcher_type batcher = source_.batcher(*source_.rows);
    typename batcher_type::template State<B> batches(batcher, options_, random::derive_seed(options_.seed, "batches"));
    batches.start_epoch(0);
    while (batches.next(scan_)) f(static_cast<const batch_type&>(scan_));
  }

  /// Re-initialises the model from `seed` and trains it normally (methods::None) on the rows whose
  /// instance ids are in `subset`, for `epochs` epochs (0: options().epochs), stopping after
  /// `patience` epochs without gain (0: never); the model ends at its best epoch on validation
  /// `monitor` (higher is better), which the result records.
  fit_result retrain(span<const offset_t> subset, std::uint64_t seed, const std::string& monitor,
                     std::size_t patience = 0, std::size_t epochs = 0) {
    if (validation_ == nullptr) throw config_error("retrain() selects on validation: give a target", location::of_field("validation"));
    const data_type rows = source::subset(*source_.rows, subset);
    if (rows.size() == 0) throw config_error("retrain() got an empty subset", location::of_field("subset"));
    model_.reset(seed);
    trainer_options o = options_;
    if (epochs != 0) o.epochs = epochs;
    Trainer<Model, Loss, methods::None, Optimizer, Evaluator> trainer(model_, optimizer_, methods::None{}, o, evaluator_);
    early_stopping<B> best(monitor, patience);
    return trainer.fit(source_.batcher(rows), validation_, best);
  }

  /// The evaluator's result for the model as it is now on `target` (evaluation mode). A selector
  /// given a test target by its user (an option that says so) evaluates it here.
  result_type evaluate(const target_type& target) {
    Trainer<Model, Loss, methods::None, Optimizer, Evaluator> trainer(model_, optimizer_, methods::None{}, options_,
                                                                      evaluator_);
    return trainer.evaluate(target);
  }

 private:
  template <class Step, class... Callbacks>
  fit_result run_fresh(std::uint64_t seed, std::size_t epochs, Step& step, const target_type* validation,
                       Callbacks&&... callbacks) {
    if (epochs == 0) throw config_error("must be positive", location::of_field("epochs"));
    model_.reset(seed);
    trainer_options o = options_;
    o.epochs = epochs;
    Trainer<Model, Loss, methods::StepFunction<Step>, Optimizer, Evaluator> trainer(
        model_, optimizer_, methods::StepFunction<Step>(step), o, evaluator_);
    return trainer.fit(source_.batcher(*source_.rows), validation, std::forward<Callbacks>(callbacks)...);
  }

  Model& model_;
  source source_;
  const target_type* validation_;
  trainer_options options_;
  Optimizer optimizer_;
  Evaluator evaluator_;
  batch_type scan_;
};

/// The context of a Selector over CTR field rows: BCE, Adam and AUC / LogLoss validation by default.
template <class Model, class Loss = losses::BCE, class Optimizer = nn::Adam<typename Model::backend>,
          class Evaluator = evaluators::Classification>
using field_selection_context = selection_context<Model, Loss, data::FieldDataset, Optimizer, Evaluator>;

}  // namespace train
}  // namespace denoise
