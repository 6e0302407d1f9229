// Trainer<Model, Loss, Denoiser, Optimizer, Backend>: mini-batch training of a recommender on
// implicit feedback, with an in-training denoiser deciding each sample's weight.
//
// Each iteration: a batch of positives with their sampled negatives -> model.forward -> per-sample
// loss -> denoiser weights -> weighted loss gradient -> model.backward -> optimizer step. After each
// epoch: validation ranking metrics, denoising quality against ground-truth flags (reporting only;
// never shown to the denoiser), the denoiser's on_epoch_end, then the callbacks.
//
//   models::GMF<backends::Eigen<>> model(n_users, n_items);
//   train::Trainer<decltype(model), losses::BCE> trainer(model);
//   auto result = trainer.fit(train_data, sampler, &validation, train::progress{});
#pragma once

#include <algorithm>
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
#include "../core/random.hpp"
#include "../data/interactions.hpp"
#include "../data/negative_batcher.hpp"
#include "../methods/none.hpp"
#include "../methods/static_checks.hpp"
#include "../losses/static_checks.hpp"
#include "../metrics/denoising_quality.hpp"
#include "../metrics/ranking_evaluator.hpp"
#include "../models/static_checks.hpp"
#include "../nn/optim/adam.hpp"
#include "../nn/parameter.hpp"
#include "batch_context.hpp"
#include "callbacks/callback_traits.hpp"
#include "options.hpp"

namespace denoise {
namespace train {

template <class Model, class Loss, class Denoiser = methods::None,
          class Optimizer = nn::Adam<typename Model::backend>, class Backend = typename Model::backend>
class Trainer {
  static_assert(backends::check_backend<Backend>(), "");
  static_assert(models::check_model<Model>(), "");
  static_assert(losses::check_loss<Loss, Backend>(), "");
  static_assert(methods::check_denoiser<Denoiser, Backend, Model>(), "");

 public:
  using backend = Backend;
  using scalar = typename Backend::scalar;
  using vector = typename Backend::vector;
  using matrix = typename Backend::matrix;
  using index_vector = typename Backend::index_vector;
  using denoiser_state = typename Denoiser::template State<Backend>;

  /// The trainer keeps a reference to `model`; the optimizer and denoiser policies are taken by value.
  explicit Trainer(Model& model, Optimizer optimizer = Optimizer{}, Denoiser denoiser = Denoiser{},
                   trainer_options options = {})
      : model_(model), optimizer_(std::move(optimizer)), denoiser_(std::move(denoiser)), options_(std::move(options)) {
    options_.validate();
  }

  const trainer_options& options() const noexcept { return options_; }
  Optimizer& optimizer() noexcept { return optimizer_; }

  /// Trains on the positives of `train` (label > 0), each with options().negatives negatives from
  /// `sampler`, for options().epochs epochs (or until a callback stops it). `validation` may be null.
  /// Callbacks are any objects with some of: on_train_begin(const trainer_options&),
  /// bool on_epoch_end(const epoch_record&, Model&) (true stops), on_train_end(Model&, fit_result&).
  template <class Sampler, class... Callbacks>
  fit_result fit(const data::Interactions& train, const Sampler& sampler, const ranking_target* validation,
                 Callbacks&&... callbacks) {
    if (train.n_users() > model_.users() || train.n_items() > model_.items()) {
      throw config_error("the training data has " + std::to_string(train.n_users()) + " users and " +
                             std::to_string(train.n_items()) + " items, more than the model's " +
                             std::to_string(model_.users()) + " x " + std::to_string(model_.items()),
                         location::of_field("model"));
    }
    data::NegativeBatcher<Sampler> batcher(train, sampler, options_.batch_size, options_.negatives,
                                           data::Order::shuffled, random::derive_seed(options_.seed, "batches"));
    if (batcher.positives() == 0) throw config_error("the training data has no positives", location::of_field("train"));
    denoiser_state state(denoiser_, random::derive_seed(options_.seed, "denoiser"));
    metrics::ranking_evaluator evaluator(metrics::ranking_options{options_.ks, options_.eval_block_users, 0,
                                                                  metrics::top_k_method::partial});
    const losses::layout full_layout{0, options_.negatives + 1};

    fit_result result;
    result.history.reserve(options_.epochs);
    (detail::call_train_begin(callbacks, options_), ...);

    std::uint64_t iteration = 0;
    for (std::size_t epoch = 0; epoch < options_.epochs; ++epoch) {
      const auto started = std::chrono::steady_clock::now();
      batcher.start_epoch(epoch);
      begin_weight_tracking(train);
      model_.train(true);
      double loss_sum = 0.0, weight_sum = 0.0;
      std::size_t samples = 0;

      while (batcher.next(batch_)) {
        const losses::layout l{batch_.size() / full_layout.group_size, full_layout.group_size};
        upload_batch();
        model_.forward(users_, items_, logits_);
        Loss::template forward<Backend>(logits_, labels_, l, loss_, prediction_, positive_);
        map_sample_instances(l);
        const batch_context<Backend, Model> ctx{loss_,
                                                prediction_,
                                                positive_,
                                                logits_,
                                                span<const offset_t>(sample_instance_),
                                                span<const index_t>(sample_item_),
                                                l,
                                                epoch,
                                                iteration,
                                                model_};
        const scalar divisor = state.on_batch(ctx, weights_);
        Backend::require_same_size(weights_.size(), loss_.size(), "denoiser weights");
        const double weighted = static_cast<double>(Backend::dot(weights_, loss_));
        if (!std::isfinite(weighted)) {
          throw divergence_error("the training loss is not finite at epoch " + std::to_string(epoch + 1) +
                                     ", iteration " + std::to_string(iteration + 1) +
                                     " (lower the learning rate or check the data)",
                                 location::of_field("loss"));
        }
        loss_sum += weighted;
        weight_sum += static_cast<double>(divisor);
        samples += loss_.size();
        track_weights();

        nn::zero_grad<Backend>(model_);
        const scalar scale = divisor > scalar(0) ? scalar(1) / divisor : scalar(0);
        Loss::template backward<Backend>(logits_, labels_, l, weights_, scale, dlogits_);
        model_.backward(dlogits_);
        optimizer_.step(model_);
        ++iteration;
      }

      epoch_record record;
      record.epoch = epoch + 1;
      record.epochs = options_.epochs;
      record.iterations = iteration;
      record.train_loss = weight_sum > 0.0 ? loss_sum / weight_sum : 0.0;
      record.samples = samples;
      record.seconds = seconds_since(started);
      record.samples_per_second = record.seconds > 0.0 ? static_cast<double>(samples) / record.seconds : 0.0;
      finish_weight_tracking(train, result, record.denoising);

      state.on_epoch_end(epoch_context<Model>{epoch, iteration, record.train_loss, model_});
      if (validation != nullptr) {
        const auto eval_started = std::chrono::steady_clock::now();
        record.validation = evaluate(evaluator, *validation).metrics();
        record.eval_seconds = seconds_since(eval_started);
      }
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

  /// Ranking metrics of the model on `target` (in evaluation mode).
  metrics::ranking_result evaluate(const ranking_target& target) {
    metrics::ranking_evaluator evaluator(metrics::ranking_options{options_.ks, options_.eval_block_users, 0,
                                                                  metrics::top_k_method::partial});
    return evaluate(evaluator, target);
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  metrics::ranking_result evaluate(metrics::ranking_evaluator& evaluator, const ranking_target& target) {
    model_.eval();
    auto scorer = [this](span<const index_t> users, span<float> out) {
      host_users_.assign(users.begin(), users.end());
      Backend::from_host(host_users_, eval_users_);
      model_.score(eval_users_, scores_);
      Backend::to_host(scores_, host_scores_);
      std::transform(host_scores_.begin(), host_scores_.end(), out.begin(),
                     [](scalar s) { return static_cast<float>(s); });
    };
    auto result = evaluator.evaluate(scorer, model_.items(), target.exclude, target.relevant);
    model_.train(true);
    return result;
  }

  void upload_batch() {
    host_labels_.assign(batch_.label_buffer.begin(), batch_.label_buffer.end());
    Backend::from_host(batch_.user_buffer, users_);
    Backend::from_host(batch_.item_buffer, items_);
    Backend::from_host(host_labels_, labels_);
  }

  // Instance id and item of each loss sample's anchor (the interaction the sample is about).
  void map_sample_instances(const losses::layout& l) {
    const std::size_t n = Loss::sample_count(l);
    sample_instance_.resize(n);
    sample_item_.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
      const std::size_t a = Loss::anchor(s, l);
      sample_instance_[s] = batch_.instance_buffer[a];
      sample_item_[s] = batch_.item_buffer[a];
    }
  }

  void begin_weight_tracking(const data::Interactions& train) {
    const auto n = static_cast<std::size_t>(train.instance_capacity());
    weight_total_.assign(n, 0.0);
    loss_total_.assign(n, 0.0);
    weight_count_.assign(n, 0u);
  }
  void track_weights() {
    Backend::to_host(weights_, host_weights_);
    Backend::to_host(loss_, host_losses_);
    for (std::size_t s = 0; s < sample_instance_.size(); ++s) {
      const offset_t id = sample_instance_[s];
      if (id < 0) continue;
      weight_total_[static_cast<std::size_t>(id)] += static_cast<double>(host_weights_[s]);
      loss_total_[static_cast<std::size_t>(id)] += static_cast<double>(host_losses_[s]);
      ++weight_count_[static_cast<std::size_t>(id)];
    }
  }
  // Mean weight per instance over the epoch; denoising quality when ground-truth flags exist.
  void finish_weight_tracking(const data::Interactions& train, fit_result& result, metrics::metric_list& out) {
    auto& instance_weights = result.instance_weights;
    instance_weights.assign(weight_total_.size(), std::numeric_limits<float>::quiet_NaN());
    result.instance_losses.assign(weight_total_.size(), std::numeric_limits<float>::quiet_NaN());
    for (std::size_t id = 0; id < weight_total_.size(); ++id) {
      if (weight_count_[id] > 0) {
        const auto count = static_cast<double>(weight_count_[id]);
        instance_weights[id] = static_cast<float>(weight_total_[id] / count);
        result.instance_losses[id] = static_cast<float>(loss_total_[id] / count);
      }
    }
    const auto noisy = train.noisy();
    if (noisy.empty()) return;
    const auto labels = train.labels();
    const auto instances = train.instances();
    quality_weights_.clear();
    quality_noisy_.clear();
    for (std::size_t r = 0; r < train.size(); ++r) {
      const auto id = static_cast<std::size_t>(instances[r]);
      if (!(labels[r] > 0.0f) || weight_count_[id] == 0) continue;
      quality_weights_.push_back(instance_weights[id]);
      quality_noisy_.push_back(noisy[r]);
    }
    if (quality_weights_.empty()) return;
    out = metrics::denoising_quality(span<const float>(quality_weights_), span<const std::uint8_t>(quality_noisy_))
              .metrics();
  }

  Model& model_;
  Optimizer optimizer_;
  Denoiser denoiser_;
  trainer_options options_;

  // Work buffers, reused across batches and epochs.
  data::Batch batch_;
  std::vector<scalar> host_labels_, host_weights_, host_losses_, host_scores_;
  std::vector<index_t> host_users_, sample_item_;
  std::vector<offset_t> sample_instance_;
  index_vector users_, items_, eval_users_;
  vector labels_, logits_, loss_, prediction_, positive_, weights_, dlogits_;
  matrix scores_;
  std::vector<double> weight_total_, loss_total_;
  std::vector<std::uint32_t> weight_count_;
  std::vector<float> quality_weights_;
  std::vector<std::uint8_t> quality_noisy_;
};

}  // namespace train
}  // namespace denoise
