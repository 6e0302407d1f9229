// AutoDenoiseController<Head, Reward, Baseline>: Ge et al.'s AutoDenoise, a weighting-level Method
// (docs/policies/method.md) whose per-sample weights come from an RL controller validated on
// explicit feedback (ALGORITHMS.md §4; no public code, every open detail is [ours]).
//
// Per batch, with the controller Φ fixed (on_batch):
//   s = [representation of the sample's row || ℓ || epoch / epochs]   (detached from the model;
//       the representation is the model's sample_representation: [e_u || e_i] for MF/GMF,
//       [sequence state at the last position || target output embedding] for GRU4Rec/SASRec/
//       MFSoftmax; the trainer fills batch_context::representation because of
//       `reads_representation`)
//   out = ControllerNetwork(s); the Head draws each sample's weight (HardHead: a ~ Cat, w = a;
//       SoftHead: w ~ N(μ, σ²), weight softplus(w)) and gives d log P / d out;
//   G += Σ ∇Φ log P (rl::Reinforce: one backward through Φ per batch, no per-sample storage).
//   The trainer then steps the model on (1/|B|) Σ w ℓ.
// Samples that are not observed interactions (sampled negatives of a pair batch: positive = 0)
// keep weight 1 and add nothing to G [ours: the paper trains with a softmax over items, every
// sample is an interaction]; |D| counts the weighted samples.
// After the epoch's validation (on_epoch_end): R = Reward (validation "auc" by default, read by
// rl::ValidationMetric), advantage R − b with the Baseline's current b (rl::MovingAverage, b = 0 at
// the start), Φ takes an Adam step ascending (R − b)·G/|D| with L2 λ2 (Adam's weight decay, i.e.
// λ2·Φ added to the gradient), then b is updated with R and G restarts.
//
// The method keeps a history per epoch (reward, baseline, advantage, mean weight) that the policy
// object shares with its copies (trainer.method().history()). With noise flags given by the
// caller (set_noise_flags: indexed by instance id, for reporting only; they never reach the
// controller's decisions), it also records the mean weight of flagged-noisy vs clean samples.
//
//   methods::AutoDenoiseController<methods::SoftHead> controller;       // AutoDenoise-S
//   train::Trainer<decltype(model), losses::SoftmaxCrossEntropy, decltype(controller)>
//       trainer(model, nn::Adam<B>{}, controller, options);
//   trainer.fit(train::batchers::SequenceWindows(split), &validation);
//   for (const auto& e : trainer.method().history()) ...
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/span.hpp"
#include "../../core/types.hpp"
#include "../../nn/optim/adam.hpp"
#include "../../rl/baselines/baseline_for.hpp"
#include "../../rl/baselines/moving_average.hpp"
#include "../../rl/reinforce.hpp"
#include "../../rl/rewards/validation_metric.hpp"
#include "controller_network.hpp"
#include "hard_head.hpp"
#include "soft_head.hpp"
#include "static_checks.hpp"

namespace denoise {
namespace methods {

struct autodenoise_controller_options {
  index_t hidden = 64;          ///< width of both hidden layers [ours]
  double learning_rate = 1e-3;  ///< Φ's Adam learning rate [ours, from the paper's grid]
  double l2 = 1e-5;             ///< λ2, Φ's L2 (Adam weight decay) [ours, from the paper's grid]

  /// Throws config_error naming the field.
  void validate() const {
    if (hidden <= 0) throw config_error("must be positive", location::of_field("hidden"));
    if (!(learning_rate > 0.0) || !std::isfinite(learning_rate))
      throw config_error("must be positive and finite", location::of_field("learning_rate"));
    if (!(l2 >= 0.0) || !std::isfinite(l2)) throw config_error("must be >= 0 and finite", location::of_field("l2"));
  }
};

/// One epoch of the controller, as history() records it.
struct controller_epoch {
  std::size_t epoch = 0;      ///< 1-based
  double reward = 0.0;        ///< R
  double baseline = 0.0;      ///< the b the advantage used (before this epoch's update)
  double advantage = 0.0;     ///< R - b
  double mean_weight = 0.0;   ///< over the weighted (observed) samples of the epoch
  std::size_t samples = 0;    ///< |D|: weighted samples of the epoch
  /// Mean weight of samples flagged noisy / clean by set_noise_flags(); NaN without flags.
  double mean_weight_noisy = std::numeric_limits<double>::quiet_NaN();
  double mean_weight_clean = std::numeric_limits<double>::quiet_NaN();
};

namespace kernels {

/// state[r, :] = [rep[r, :] || loss[r] || epoch_fraction].
template <class S>
struct controller_state {
  const S* rep;
  const S* loss;
  S* state;
  std::size_t dim;
  S epoch_fraction;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    S* out = state + r * (dim + 2);
    for (std::size_t k = 0; k < dim; ++k) out[k] = rep[r * dim + k];
    out[dim] = loss[r];
    out[dim + 1] = epoch_fraction;
  }
};

/// weights[r] = positive[r] ? sampled[r] : 1.
template <class S>
struct observed_weights {
  const S* sampled;
  const S* positive;
  S* weights;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const { weights[r] = positive[r] > S(0.5) ? sampled[r] : S(1); }
};

}  // namespace kernels

template <class Head = HardHead, class Reward = rl::ValidationMetric, class Baseline = rl::MovingAverage>
class AutoDenoiseController {
 public:
  /// The trainer fills batch_context::representation for this method.
  static constexpr bool reads_representation = true;
  static constexpr const char* name() { return "autodenoise-controller"; }

  explicit AutoDenoiseController(Head head = Head{}, autodenoise_controller_options options = {},
                                 Reward reward = Reward{}, Baseline baseline = Baseline{})
      : head_(std::move(head)), options_(options), reward_(std::move(reward)), baseline_(std::move(baseline)),
        history_(std::make_shared<std::vector<controller_epoch>>()) {
    options_.validate();
  }

  const Head& head() const noexcept { return head_; }
  const autodenoise_controller_options& options() const noexcept { return options_; }
  const Reward& reward() const noexcept { return reward_; }

  /// Ground-truth noise flags by instance id (0 clean, 1 noisy, anything else: none), e.g. a
  /// batcher's noise_flags(): only for the per-epoch mean weights of history().
  void set_noise_flags(std::vector<std::uint8_t> flags) {
    flags_ = std::make_shared<const std::vector<std::uint8_t>>(std::move(flags));
  }

  /// The epochs of the last (or running) fit, shared by every copy of this policy.
  const std::vector<controller_epoch>& history() const noexcept { return *history_; }

  template <class B>
  class State {
    static_assert(check_controller_policies<Head, Reward, Baseline, B>(), "");

   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;
    using network_type = ControllerNetwork<B>;

    State(const AutoDenoiseController& policy, std::uint64_t seed)
        : options_(policy.options_), outputs_(policy.head_.outputs()),
          network_seed_(random::derive_seed(seed, "autodenoise_controller.network")),
          head_(policy.head_, random::derive_seed(seed, "autodenoise_controller.head")),
          reward_(policy.reward_), baseline_(policy.baseline_), optimizer_(adam(policy.options_)),
          history_(policy.history_), flags_(policy.flags_) {
      history_->clear();
    }

    /// The weights of one batch (see the header); returns |B| (the batch mean).
    template <class Context>
    scalar on_batch(const Context& ctx, vector& weights) {
      if (ctx.representation == nullptr) {
        throw config_error(std::string(name()) +
                               " reads the model's representation of each sample, and this caller passed none (the "
                               "Trainer passes it to methods with reads_representation)",
                           location::of_field("representation"));
      }
      const matrix& rep = *ctx.representation;
      const std::size_t n = ctx.samples();
      B::require_same_size(ctx.anchor.size(), n, "controller anchors");
      B::require_same_size(ctx.instance.size(), n, "controller instance ids");
      B::gather_rows(rep, ctx.anchor, rep_);
      const auto dim = static_cast<std::size_t>(rep.cols());
      if (!network_) network_ = std::make_unique<network_type>(static_cast<index_t>(dim + 2), options_.hidden, outputs_,
                                                               network_seed_);
      state_.resize(static_cast<index_t>(n), static_cast<index_t>(dim + 2));
      const double epochs = ctx.epochs > 0 ? static_cast<double>(ctx.epochs) : 1.0;
      B::launch(n, kernels::controller_state<scalar>{B::ptr(static_cast<const matrix&>(rep_)), B::ptr(ctx.loss),
                                                     B::ptr(state_), dim,
                                                     static_cast<scalar>(static_cast<double>(ctx.epoch) / epochs)},
                dim);
      network_->forward(state_, out_);

      host_ids_.resize(n);
      for (std::size_t s = 0; s < n; ++s) host_ids_[s] = static_cast<index_t>(ctx.instance[s]);
      B::from_host(host_ids_, ids_);
      head_.sample(out_, ids_, sampled_);
      weights.resize(n);
      B::launch(n, kernels::observed_weights<scalar>{B::ptr(static_cast<const vector&>(sampled_)), B::ptr(ctx.positive),
                                                     B::ptr(weights)});

      // G += Σ_observed ∇Φ log P(w | s): the positive flags scale each row's score.
      head_.score(out_, ctx.positive, dout_);
      const auto observed = static_cast<std::size_t>(std::llround(static_cast<double>(B::sum(ctx.positive))));
      reinforce_.accumulate(*network_, dout_, observed, [this](const matrix& d) { network_->backward(d); });
      weight_sum_ += static_cast<double>(B::dot(weights, ctx.positive));
      if (flags_ && !flags_->empty()) record_flags(ctx, weights);
      return static_cast<scalar>(n);
    }

    /// R from the validation result, the Φ step, the baseline update, the history entry.
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx) {
      const double reward = reward_.reward(ctx.validation);
      const double b = rl::baseline_for(baseline_, reward);
      controller_epoch e;
      e.epoch = ctx.epoch + 1;
      e.reward = reward;
      e.baseline = b;
      e.advantage = reward - b;
      e.samples = reinforce_.samples();
      e.mean_weight = e.samples > 0 ? weight_sum_ / static_cast<double>(e.samples) : 0.0;
      if (flags_ && !flags_->empty()) {
        e.mean_weight_noisy = noisy_[1] > 0 ? noisy_[0] / noisy_[1] : std::numeric_limits<double>::quiet_NaN();
        e.mean_weight_clean = clean_[1] > 0 ? clean_[0] / clean_[1] : std::numeric_limits<double>::quiet_NaN();
      }
      if (network_ && reinforce_.samples() > 0) {
        reinforce_.scale(static_cast<scalar>(e.advantage));
        reinforce_.normalise();        // / |D|
        reinforce_.write_descent(*network_);  // grad = -(R - b) G / |D|: Adam's descent ascends
        optimizer_.step(*network_);
        reinforce_.reset(*network_);
      }
      baseline_.update(reward);
      history_->push_back(e);
      weight_sum_ = 0.0;
      noisy_[0] = noisy_[1] = clean_[0] = clean_[1] = 0.0;
    }

    // ---- inspection (tests, diagnostics) ------------------------------------------------------
    /// The controller network (created by the first batch; null before).
    network_type* network() noexcept { return network_.get(); }
    /// The network's output of the last batch (rows x head outputs) and the state it read.
    const matrix& head_output() const noexcept { return out_; }
    const matrix& state() const noexcept { return state_; }
    const typename Head::template State<B>& head_state() const noexcept { return head_; }
    /// G accumulated in the current epoch.
    const rl::Reinforce<B>& reinforce() const noexcept { return reinforce_; }
    const Baseline& baseline() const noexcept { return baseline_; }

   private:
    static nn::Adam<B> adam(const autodenoise_controller_options& o) {
      nn::adam_options a;
      a.lr = o.learning_rate;
      a.weight_decay = o.l2;
      return nn::Adam<B>(a);
    }

    // Reporting only: the mean weight of flagged samples (host copy of the weights).
    template <class Context>
    void record_flags(const Context& ctx, const vector& weights) {
      B::to_host(weights, host_weights_);
      B::to_host(ctx.positive, host_positive_);
      const auto& flags = *flags_;
      for (std::size_t s = 0; s < host_weights_.size(); ++s) {
        const offset_t id = ctx.instance[s];
        if (id < 0 || static_cast<std::size_t>(id) >= flags.size() || host_positive_[s] < scalar(0.5)) continue;
        const std::uint8_t f = flags[static_cast<std::size_t>(id)];
        double* acc = f == 1 ? noisy_ : f == 0 ? clean_ : nullptr;
        if (acc == nullptr) continue;
        acc[0] += static_cast<double>(host_weights_[s]);
        acc[1] += 1.0;
      }
    }

    autodenoise_controller_options options_;
    index_t outputs_;
    std::uint64_t network_seed_;
    typename Head::template State<B> head_;
    Reward reward_;
    Baseline baseline_;
    nn::Adam<B> optimizer_;
    std::shared_ptr<std::vector<controller_epoch>> history_;
    std::shared_ptr<const std::vector<std::uint8_t>> flags_;
    std::unique_ptr<network_type> network_;
    rl::Reinforce<B> reinforce_;
    matrix rep_, state_, out_, dout_;
    vector sampled_;
    std::vector<index_t> host_ids_;
    index_vector ids_;
    double weight_sum_ = 0.0;
    double noisy_[2] = {0.0, 0.0}, clean_[2] = {0.0, 0.0};  // weight sum, count
    std::vector<scalar> host_weights_, host_positive_;
  };

 private:
  Head head_;
  autodenoise_controller_options options_;
  Reward reward_;
  Baseline baseline_;
  std::shared_ptr<std::vector<controller_epoch>> history_;
  std::shared_ptr<const std::vector<std::uint8_t>> flags_;
};

/// AutoDenoise-H (hard head, A = 3 by default) and AutoDenoise-S (soft head).
using AutoDenoiseH = AutoDenoiseController<HardHead>;
using AutoDenoiseS = AutoDenoiseController<SoftHead>;

}  // namespace methods
}  // namespace denoise
