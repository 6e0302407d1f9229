// Trainer<Model, Loss, Method, Optimizer, Evaluator>: mini-batch training of a recommender with an
// in-training denoising method, every moving part a compile-time policy:
//
//   Model      batch-typed (pairs, field rows, sequences); forward/backward on a caller-owned
//              workspace (docs/policies/model.md)
//   Loss       per-sample values and gradients (BCE, BPR, sampled softmax)
//   Method     weighting level: turns the batch's per-sample losses into weights (ADT, heuristics,
//              Ge's controller); or step-owning level: performs the update itself (SGDL)
//              (docs/policies/method.md)
//   Optimizer  SGD, Adam
//   Evaluator  validation metrics: evaluators::Ranking (top-K over all items),
//              evaluators::Classification (AUC, LogLoss) or evaluators::SequenceRanking (sequence
//              models: P/R/F1/NDCG@K and the per-user AUC; the default for them)
//              (docs/policies/evaluator.md)
//   Batcher    given to fit(): batchers::NegativeSampling<Sampler> (positives + sampled
//              negatives), batchers::LabelledPairs (labelled rows, fixed order),
//              batchers::FieldRows (CTR rows), batchers::SequenceWindows (item windows -> the next
//              item; docs/sequential.md) (docs/policies/batcher.md). It is an object because it
//              refers to its data.
//
// Each iteration runs the method's step on one batch. After each epoch: validation, denoising
// quality against ground-truth flags when the data has them (reporting only; never shown to the
// method), the method's on_epoch_end (which sees the validation result), then the callbacks.
// Callbacks with on_iteration_end see every completed step (train::periodic_selection selects
// on a score taken every N iterations, as ADT's reference selects on the validation loss), and
// loss_on() gives them the method's loss on other batches without disturbing the run.
//
//   models::GMF<backends::Eigen<>> model(n_users, n_items);
//   train::Trainer<decltype(model), losses::BCE> trainer(model);
//   auto result = trainer.fit(train_data, sampler, &validation, train::progress{});
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/static_checks.hpp"
#include "../core/random.hpp"
#include "../core/threads.hpp"
#include "../data/interactions.hpp"
#include "../data/sequence_batch.hpp"
#include "../losses/static_checks.hpp"
#include "../methods/none.hpp"
#include "../methods/static_checks.hpp"
#include "../metrics/denoising_quality.hpp"
#include "../models/static_checks.hpp"
#include "../nn/optim/adam.hpp"
#include "../nn/optim/static_checks.hpp"
#include "../nn/parameter.hpp"
#include "batch.hpp"
#include "batch_context.hpp"
#include "batchers/negative_sampling.hpp"
#include "batchers/static_checks.hpp"
#include "callbacks/callback_traits.hpp"
#include "epoch_context.hpp"
#include "evaluators/ranking.hpp"
#include "evaluators/sequence_ranking.hpp"
#include "evaluators/static_checks.hpp"
#include "options.hpp"
#include "step_context.hpp"

namespace denoise {
namespace train {
namespace detail {
/// True for models that read item windows (data::sequences_tag).
template <class Model, class = void>
struct is_sequence_model : std::false_type {};
template <class Model>
struct is_sequence_model<Model, std::void_t<typename Model::batch_type::kind>>
    : std::is_same<typename Model::batch_type::kind, data::sequences_tag> {};

/// The default Evaluator of a model: SequenceRanking for sequence models, Ranking otherwise.
template <class Model>
struct default_evaluator {
  using type = std::conditional_t<is_sequence_model<Model>::value, evaluators::SequenceRanking, evaluators::Ranking>;
};
}  // namespace detail

template <class Model, class Loss, class Method = methods::None,
          class Optimizer = nn::Adam<typename Model::backend>,
          class Evaluator = typename detail::default_evaluator<Model>::type>
class Trainer {
  static_assert(models::check_model<Model>(), "");
  static_assert(backends::check_backend<typename Model::backend>(), "");
  static_assert(losses::check_loss<Loss, typename Model::backend>(), "");
  static_assert(methods::check_method<Method, Model, Loss, Optimizer>(), "");
  static_assert(nn::check_optimizer<Optimizer, Model>(), "");
  static_assert(evaluators::check_evaluator<Evaluator, typename Model::backend, Model>(), "");
  DENOISE_STATIC_CHECK((!reads_representation_v<Method> || has_sample_representation<Model>::value),
                       "denoise: the Method reads the model's representation (reads_representation), so the Model "
                       "needs 'void sample_representation(const batch_type&, const workspace&, matrix& out)' and "
                       "'index_t feature_dim() const'; see docs/autodenoise_controller.md");

 public:
  using backend = typename Model::backend;
  using B = backend;
  using scalar = typename B::scalar;
  using vector = typename B::vector;
  using input_type = typename Model::batch_type;
  using batch_type = train::batch<B, input_type>;
  using method_state = typename Method::template State<B>;
  using evaluator_state = typename Evaluator::template State<B>;
  using target_type = typename Evaluator::target_type;
  using result_type = typename Evaluator::result_type;
  using step_context_type = step_context<Model, Loss, Optimizer>;

  /// The trainer keeps a reference to `model`; the optimizer, method and evaluator policies are
  /// taken by value.
  explicit Trainer(Model& model, Optimizer optimizer = Optimizer{}, Method method = Method{},
                   trainer_options options = {}, Evaluator evaluator = Evaluator{})
      : model_(model), optimizer_(std::move(optimizer)), method_(std::move(method)),
        evaluator_policy_(std::move(evaluator)), options_(std::move(options)) {
    options_.validate();
  }

  const trainer_options& options() const noexcept { return options_; }
  Optimizer& optimizer() noexcept { return optimizer_; }
  const Method& method() const noexcept { return method_; }

  /// Implicit-feedback training: the positives of `train` (label > 0), each with
  /// options().negatives negatives from `sampler` (the batchers::NegativeSampling batcher).
  template <class Sampler, class... Callbacks>
  fit_result fit(const data::Interactions& train, const Sampler& sampler, const target_type* validation,
                 Callbacks&&... callbacks) {
    const batchers::NegativeSampling<Sampler> batcher(train, sampler);
    return fit(batcher, validation, std::forward<Callbacks>(callbacks)...);
  }

  /// Trains on the batches of `batcher` for options().epochs epochs (or until a callback stops
  /// it), validating on `validation` (may be null) after every epoch. Callbacks are any objects with
  /// some of: on_train_begin(const trainer_options&), bool on_epoch_end(const epoch_record&, Model&)
  /// (true stops), on_train_end(Model&, fit_result&).
  template <class Batcher, class... Callbacks,
            class = std::enable_if_t<!std::is_same<std::decay_t<Batcher>, data::Interactions>::value>>
  fit_result fit(const Batcher& batcher, const target_type* validation, Callbacks&&... callbacks) {
    static_assert(batchers::check_batcher<Batcher, B, Model>(), "");
    const threads::scoped team(options_.threads);
    typename Batcher::template State<B> batches(batcher, options_, random::derive_seed(options_.seed, "batches"));
    require_model_covers(batches);
    method_state state(method_, random::derive_seed(options_.seed, "denoiser"));
    evaluator_state evaluator(evaluator_policy_, options_);
    buffers_.track = options_.track_instances;
    buffers_.divergence_ratio = options_.divergence_ratio;
    buffers_.first_loss = -1.0;

    fit_result result;
    result.history.reserve(options_.epochs);
    (detail::call_train_begin(callbacks, options_), ...);

    std::uint64_t iteration = 0;
    for (std::size_t epoch = 0; epoch < options_.epochs; ++epoch) {
      const auto started = std::chrono::steady_clock::now();
      batches.start_epoch(epoch);
      if (buffers_.track) buffers_.tracker.begin_epoch(batches.instances());
      buffers_.loss_sum = buffers_.weight_sum = 0.0;
      buffers_.samples = 0;
      model_.train(true);

      while (batches.next(batch_)) {
        map_samples();
        step_context_type ctx(model_, optimizer_, batch_, workspace_, buffers_, epoch, iteration);
        buffers_.reported = false;
        if constexpr (methods::is_weighting_v<Method, B, Model>) {
          weighting_step(state, ctx);
        } else {
          state.step(ctx);
          if (!buffers_.reported) {
            throw config_error(std::string("the step-owning method '") + Method::name() +
                                   "' did not call step_context::report() in its step",
                               location::of_field("method"));
          }
        }
        ++iteration;
        if constexpr (sizeof...(Callbacks) > 0) {
          const iteration_record step{epoch, iteration, options_.epochs};
          (detail::call_iteration_end(callbacks, step, model_), ...);
        }
      }

      epoch_record record;
      record.epoch = epoch + 1;
      record.epochs = options_.epochs;
      record.iterations = iteration;
      record.train_loss = buffers_.weight_sum > 0.0 ? buffers_.loss_sum / buffers_.weight_sum : 0.0;
      record.samples = buffers_.samples;
      record.seconds = seconds_since(started);
      record.samples_per_second = record.seconds > 0.0 ? static_cast<double>(record.samples) / record.seconds : 0.0;
      if (buffers_.track) {
        buffers_.tracker.finish(result.instance_weights, result.instance_losses);
        denoising_quality(batches.noise_flags(), result.instance_weights, record.denoising);
      }
      if (validation != nullptr) {
        const auto eval_started = std::chrono::steady_clock::now();
        record.validation = evaluator.evaluate(model_, *validation).metrics();
        record.eval_seconds = seconds_since(eval_started);
      }
      state.on_epoch_end(epoch_context<Model>{epoch, iteration, record.train_loss, model_, record.validation});
      result.history.push_back(record);
      result.best_epoch = record.epoch;
      bool stop = false;
      ((stop = detail::call_epoch_end(callbacks, record, model_) || stop), ...);
      if (stop) {
        result.stopped_early = record.epoch < options_.epochs;
        break;
      }
    }
    (detail::call_train_end(callbacks, model_, result), ...);
    return result;
  }

  /// The evaluator's result for the model on `target` (in evaluation mode).
  result_type evaluate(const target_type& target) {
    const threads::scoped team(options_.threads);
    evaluator_state evaluator(evaluator_policy_, options_);
    return evaluator.evaluate(model_, target);
  }

  /// The loss the method trains on, taken on one pass over `batcher` (epoch 0 of a batcher state
  /// seeded `seed`, so a new seed draws new negatives) in evaluation mode, with no update: the mean
  /// over batches of sum_s w_s l_s / divisor. Weighting methods: w and divisor from a FRESH state
  /// of the method at `iteration` / `epoch` (the run's own state is untouched), so for ADT this is
  /// T-CE's loss at the run's current drop rate or R-CE's weighted loss, the validation loss the
  /// reference selects on; for a method whose weights are learned (a controller) a fresh state is
  /// not the trained one. Step-owning methods: the plain mean loss (w = 1). NaN when not finite.
  template <class Batcher>
  double loss_on(const Batcher& batcher, std::uint64_t seed, std::uint64_t iteration = 0, std::size_t epoch = 0) {
    static_assert(batchers::check_batcher<Batcher, B, Model>(), "");
    const threads::scoped team(options_.threads);
    typename Batcher::template State<B> batches(batcher, options_, seed);
    batches.start_epoch(0);
    method_state fresh(method_, random::derive_seed(seed, "denoiser"));
    const bool was_training = model_.training();
    model_.train(false);
    eval_buffers_.track = false;
    double sum = 0.0;
    std::size_t count = 0;
    while (batches.next(eval_batch_)) {
      map_samples(eval_batch_, eval_buffers_);
      step_context_type ctx(model_, optimizer_, eval_batch_, eval_workspace_, eval_buffers_, epoch, iteration);
      ctx.forward();
      scalar divisor;
      if constexpr (methods::is_weighting_v<Method, B, Model>) {
        divisor = method_weights(fresh, ctx, eval_batch_, eval_buffers_);
      } else {
        eval_buffers_.weights.resize(ctx.loss().size());
        B::fill(eval_buffers_.weights, scalar(1));
        divisor = static_cast<scalar>(ctx.loss().size());
      }
      const double weighted = static_cast<double>(B::dot(eval_buffers_.weights, ctx.loss()));
      sum += divisor > scalar(0) ? weighted / static_cast<double>(divisor) : 0.0;
      ++count;
    }
    model_.train(was_training);
    if (count == 0) {
      throw input_error("loss_on: the batcher yields no batch (no positives?)", location::of_field("batcher"));
    }
    const double mean = sum / static_cast<double>(count);
    return std::isfinite(mean) ? mean : std::numeric_limits<double>::quiet_NaN();
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  template <class State>
  void require_model_covers(const State& batches) const {
    if constexpr (std::is_same<typename input_type::kind, data::pairs_tag>::value ||
                  std::is_same<typename input_type::kind, data::sequences_tag>::value) {
      if (batches.users() > model_.users() || batches.items() > model_.items()) {
        throw config_error("the training data has " + std::to_string(batches.users()) + " users and " +
                               std::to_string(batches.items()) + " items, more than the model's " +
                               std::to_string(model_.users()) + " x " + std::to_string(model_.items()),
                           location::of_field("model"));
      }
    }
  }

  // The weighting level: forward, the method's weights, then the standard update.
  void weighting_step(method_state& state, step_context_type& ctx) {
    ctx.forward();
    const scalar divisor = method_weights(state, ctx, batch_, buffers_);
    ctx.report(buffers_.weights, divisor);
    ctx.backward(buffers_.weights, divisor);
    ctx.update();
  }

  // The method's weights of a forwarded batch into buffers.weights; returns the divisor.
  scalar method_weights(method_state& state, step_context_type& ctx, const batch_type& batch,
                        detail::step_buffers<B>& buffers) {
    const typename B::matrix* representation = nullptr;
    if constexpr (reads_representation_v<Method>) {
      model_.sample_representation(batch.input, ctx.workspace(), representation_);
      representation = &representation_;
    }
    const batch_context<B, Model> view{ctx.loss(),
                                       ctx.prediction(),
                                       ctx.positive(),
                                       ctx.logits(),
                                       span<const offset_t>(buffers.sample_instance),
                                       span<const index_t>(buffers.sample_item),
                                       batch.layout,
                                       ctx.epoch(),
                                       ctx.iteration(),
                                       model_,
                                       batch.input,
                                       batch.labels,
                                       buffers.anchor,
                                       options_.epochs,
                                       representation};
    const scalar divisor = state.on_batch(view, buffers.weights);
    B::require_same_size(buffers.weights.size(), ctx.loss().size(), "method weights");
    return divisor;
  }

  // Each loss sample's anchor row, instance id and item (host), and the anchors on the backend.
  void map_samples() { map_samples(batch_, buffers_); }
  static void map_samples(const batch_type& batch, detail::step_buffers<B>& buffers) {
    const std::size_t n = Loss::sample_count(batch.layout);
    buffers.host_anchor.resize(n);
    buffers.sample_instance.resize(n);
    buffers.sample_item.resize(batch.item.empty() ? 0 : n);
    for (std::size_t s = 0; s < n; ++s) {
      const std::size_t a = Loss::anchor(s, batch.layout);
      buffers.host_anchor[s] = static_cast<index_t>(a);
      buffers.sample_instance[s] = batch.instance[a];
      if (!batch.item.empty()) buffers.sample_item[s] = batch.item[a];
    }
    B::from_host(buffers.host_anchor, buffers.anchor);
  }

  // Denoising quality of the epoch's mean weights against the ground-truth flags, if any.
  void denoising_quality(span<const std::uint8_t> flags, const std::vector<float>& weights,
                         metrics::metric_list& out) {
    if (flags.empty()) return;
    quality_weights_.clear();
    quality_noisy_.clear();
    for (std::size_t id = 0; id < flags.size() && id < weights.size(); ++id) {
      if (flags[id] == batchers::detail::no_flag || !(weights[id] == weights[id])) continue;
      quality_weights_.push_back(weights[id]);
      quality_noisy_.push_back(flags[id]);
    }
    if (quality_weights_.empty()) return;
    out = metrics::denoising_quality(span<const float>(quality_weights_), span<const std::uint8_t>(quality_noisy_))
              .metrics();
  }

  Model& model_;
  Optimizer optimizer_;
  Method method_;
  Evaluator evaluator_policy_;
  trainer_options options_;

  // Work buffers, reused across batches and epochs.
  batch_type batch_;
  typename Model::workspace workspace_;
  detail::step_buffers<B> buffers_;
  std::vector<float> quality_weights_;
  std::vector<std::uint8_t> quality_noisy_;
  typename B::matrix representation_;  // the model's per-row representation, for methods that read it
  // loss_on()'s own buffers, so a callback can call it between two steps of a run.
  batch_type eval_batch_;
  typename Model::workspace eval_workspace_;
  detail::step_buffers<B> eval_buffers_;
};

}  // namespace train
}  // namespace denoise
