// InstanceSelection<Reward, Baseline, Selection>: AutoDenoise by deep-RL instance selection (Lin et
// al., WWW'23; ALGORITHMS.md §3), a dataset-level Selector (docs/policies/selector.md) for CTR
// models on field rows (train::field_selection_context).
//
//   Reward     per-batch reward policy (rl::LossImprovement: mean of the C stored losses − now)
//   Baseline   subtracted from every reward (rl::NoBaseline [paper]; rl::MovingAverage, updated
//              with each batch's mean reward over the selected [ours])
//   Selection  how the searching phase samples a1 and a2 from π (rl::Individual [paper])
//
// select(ctx) runs, with Θ a PolicyNetwork and W the context's model:
//   warm-up    C fresh models, one epoch each on every instance; each instance's loss, from one
//              eval-mode forward before the batch's step [ours; code: train mode], fills one row
//              of the loss matrix (Reward::State::record, end_epoch).
//   search     T epochs, each on a fresh W and its Adam; per batch (fixed order):
//                ℓ(W) of every instance from one eval-mode forward, before W's step [ours];
//                r = reward(ids, ℓ) − b; a1 ~ π_Θ (Selection); Θ ascends Σ_{a1_i=1} r_i ∇log π(1|x_i)
//                (one Adam step); a2 ~ π_Θ (updated); W takes one Adam step on the mean BCE over
//                {a2_i = 1}; record(ids, ℓ) writes the current loss row (LVec) [ours].
//              At the epoch's end the row replaces the oldest stored one (FIFO).
//   validation after each searching epoch: Θ in eval mode over the training set in the same
//              batches; TopK keeps round(ratio · rows) of each batch (AutoDenoise), or Individual
//              samples (AutoDenoise-v); a fresh W is trained on that subset with early stopping on
//              the validation monitor; the subset (and Θ) with the best validation value is kept
//              (the test value instead only under options.select_on_test).
// The `code` profile replaces the searching step with the authors' (see selection_profile).
//
// Θ is in training mode (dropout, batch statistics) throughout the searching phase [ours: the
// paper is silent; the code never switches it]. When a2 selects nothing, W skips its step.
//
//   train::field_selection_context<models::DeepFM<B>> ctx(model, split.train, &validation, options);
//   methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection{}, seed);
//   std::vector<offset_t> subset = train::select<methods::AutoDenoiseSelection>(state, ctx);
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/static_checks.hpp"
#include "../../core/types.hpp"
#include "../../data/field_batch.hpp"
#include "../../nn/optim/adam.hpp"
#include "../../nn/parameter.hpp"
#include "../../rl/baselines/baseline_for.hpp"
#include "../../rl/baselines/no_baseline.hpp"
#include "../../rl/reinforce.hpp"
#include "../../rl/rewards/loss_improvement.hpp"
#include "../../rl/selection/action_weights.hpp"
#include "../../rl/selection/individual.hpp"
#include "../../rl/selection/top_k.hpp"
#include "../../rl/static_checks.hpp"
#include "../../train/evaluators/classification.hpp"
#include "epsilon_greedy.hpp"
#include "instance_selection_options.hpp"
#include "policy_network.hpp"

namespace denoise {
namespace methods {

/// What one searching epoch and its validation phase gave.
struct search_epoch_record {
  std::size_t epoch = 0;            ///< 1-based searching epoch
  double search_seconds = 0.0;      ///< the searching epoch (policy and W updates)
  double validation_seconds = 0.0;  ///< scoring the training set and retraining on the subset
  std::size_t kept = 0;             ///< instances in the epoch's subset
  double kept_positive_share = 0.0; ///< kept share of the label-1 rows
  double kept_negative_share = 0.0; ///< kept share of the label-0 rows
  double mean_reward = 0.0;         ///< mean reward over the selected (a1) of the epoch, before the baseline
  double selected_share = 0.0;      ///< mean share of a2-selected rows W trained on
  std::size_t retrain_epochs = 0;   ///< epochs the retraining ran (early stopping)
  double validation = 0.0;          ///< the monitor of the retrained model at its best epoch
  double validation_logloss = std::numeric_limits<double>::quiet_NaN();
  double test = std::numeric_limits<double>::quiet_NaN();  ///< only when select_on_test
  /// Share of ground-truth noisy rows among the dropped ones and overall (NaN without flags;
  /// evaluation only, never shown to the selector).
  double dropped_noisy_share = std::numeric_limits<double>::quiet_NaN();
  double noisy_share = std::numeric_limits<double>::quiet_NaN();
};

namespace detail {

/// adv[r] = actions[r] != 0 ? reward[r] - baseline : 0
template <class S>
struct masked_advantage {
  const index_t* actions;
  const S* reward;
  S baseline;
  S* adv;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const { adv[r] = actions[r] != 0 ? reward[r] - baseline : S(0); }
};

/// out[r] = actions[r] != 0 ? reward[r] : 0
template <class S>
struct masked_reward {
  const index_t* actions;
  const S* reward;
  S* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const { out[r] = actions[r] != 0 ? reward[r] : S(0); }
};

template <class R>
auto default_reward(const instance_selection_options& o) {
  if constexpr (std::is_constructible<R, std::size_t>::value) {
    return R(o.history);
  } else {
    return R{};
  }
}

template <class R> using history_t = decltype(static_cast<std::size_t>(std::declval<const R&>().history()));

}  // namespace detail

template <class Reward = rl::LossImprovement, class Baseline = rl::NoBaseline, class Selection = rl::Individual>
class InstanceSelection {
  static_assert(rl::check_reward<Reward, rl::per_batch>(), "");
  static_assert(rl::check_baseline<Baseline>(), "");

 public:
  using reward_type = Reward;
  using baseline_type = Baseline;
  using selection_type = Selection;

  static constexpr const char* name() { return "autodenoise"; }

  /// A Reward that takes C (like rl::LossImprovement) is built from options.history; one with a
  /// history() must agree with options.history (config_error 'history' otherwise).
  InstanceSelection() : InstanceSelection(instance_selection_options()) {}
  explicit InstanceSelection(const instance_selection_options& options)
      : InstanceSelection(options, detail::default_reward<Reward>(options)) {}
  InstanceSelection(const instance_selection_options& options, Reward reward, Baseline baseline = Baseline{},
                    Selection selection = Selection{})
      : options_(options), reward_(std::move(reward)), baseline_(std::move(baseline)),
        selection_(std::move(selection)) {
    options_.validate();
    if constexpr (traits::is_detected_v<detail::history_t, Reward>) {
      if (static_cast<std::size_t>(reward_.history()) != options_.history) {
        throw config_error("the reward averages " + std::to_string(reward_.history()) + " past losses but C is " +
                               std::to_string(options_.history) + " (warm-up models)",
                           location::of_field("history"));
      }
    }
  }

  const instance_selection_options& options() const noexcept { return options_; }
  const Reward& reward() const noexcept { return reward_; }
  const Baseline& baseline() const noexcept { return baseline_; }
  const Selection& selection() const noexcept { return selection_; }

  template <class B>
  class State {
    static_assert(rl::check_reward<Reward, rl::per_batch, B>(), "");
    static_assert(rl::check_selection<Selection, B>(), "");

   public:
    using scalar = typename B::scalar;
    using vector = typename B::vector;
    using matrix = typename B::matrix;
    using index_vector = typename B::index_vector;
    using reward_state = typename Reward::template State<B>;
    using target_type = train::evaluators::classification_target;

    State(const InstanceSelection& policy, std::uint64_t seed)
        : options_(policy.options_), reward_(policy.reward_), baseline_(policy.baseline_),
          selection_(policy.selection_), seed_(seed) {}

    /// select_on_test only: the test rows whose retrained result chooses the subset (the paper's
    /// Alg. 3). Without the option this is a config_error: selection reads validation only.
    void read_test_set_for_selection(const target_type& test) {
      if (!options_.select_on_test) {
        throw config_error("a test target was given but select_on_test is off (selection is on validation)",
                           location::of_field("select_on_test"));
      }
      test_ = &test;
    }

    /// Called after each searching epoch's validation phase (progress output, plots).
    void on_epoch(std::function<void(const search_epoch_record&)> f) { observer_ = std::move(f); }

    /// The whole run: warm-up, then T searching epochs each followed by its validation phase.
    /// Returns the subset of the best epoch (sorted instance ids).
    template <class Context>
    std::vector<offset_t> select(Context& ctx) {
      begin(ctx);
      warm_up(ctx);
      for (std::size_t t = 0; t < options_.searching_epochs; ++t) {
        search_epoch(ctx);
        validation_phase(ctx);
      }
      return best_subset_;
    }

    // ---- the phases, public so that tests can step through a run --------------------------

    /// Creates Θ, its optimizer and the reward state for ctx's data (select() calls it).
    template <class Context>
    void begin(Context& ctx) {
      using Model = typename Context::model_type;
      DENOISE_STATIC_CHECK((std::is_same<typename Model::batch_type::kind, data::fields_tag>::value),
                           "denoise: AutoDenoise instance selection (methods::InstanceSelection) reads CTR field rows: "
                           "use a field model (DeepFM, FM, ...) through train::field_selection_context; see "
                           "docs/autodenoise_selection.md");
      if (options_.select_on_test && test_ == nullptr) {
        throw config_error("select_on_test needs the test rows: call read_test_set_for_selection(test) first",
                           location::of_field("select_on_test"));
      }
      if (ctx.validation() == nullptr) {
        throw config_error("AutoDenoise selects its subset on validation: give the context a validation target",
                           location::of_field("validation"));
      }
      policy_.emplace(ctx.data().cardinalities(), options_.policy, random::derive_seed(seed_, "policy"));
      best_policy_.reset();
      nn::adam_options adam;
      adam.lr = options_.policy_lr;
      adam.weight_decay = options_.policy_weight_decay;
      policy_optimizer_.emplace(adam);
      rewards_.emplace(reward_, ctx.instances());
      baseline_state_ = baseline_;
      search_a1_.emplace(selection_, random::derive_seed(seed_, "a1"));
      search_a2_.emplace(selection_, random::derive_seed(seed_, "a2"));
      greedy_a1_.emplace(EpsilonGreedy(options_.epsilon), random::derive_seed(seed_, "code.a1"));
      greedy_a2_.emplace(EpsilonGreedy(0.0), random::derive_seed(seed_, "code.a2"));
      top_k_.emplace(rl::TopK(options_.ratio), 0);
      sampled_.emplace(rl::Individual{}, random::derive_seed(seed_, "validation"));
      history_.clear();
      best_subset_.clear();
      best_epoch_ = 0;
      best_value_ = -std::numeric_limits<double>::infinity();
      epoch_ = 0;
    }

    /// The seed of warm-up model c (0-based) and of searching epoch t's model W.
    std::uint64_t warm_up_seed(std::size_t c) const { return random::derive_seed(random::derive_seed(seed_, "warm_up"), c); }
    std::uint64_t search_seed(std::size_t t) const { return random::derive_seed(random::derive_seed(seed_, "search"), t); }
    std::uint64_t retrain_seed(std::size_t t) const {
      return random::derive_seed(random::derive_seed(seed_, "retrain"), options_.same_retrain_seed ? 0 : t);
    }

    /// C fresh models, one epoch each on every instance; each fills one loss row.
    template <class Context>
    void warm_up(Context& ctx) {
      require_begun();
      using Model = typename Context::model_type;
      using Loss = typename Context::loss_type;
      typename Model::workspace eval_ws;
      auto step = [&](auto& s) {
        const auto& batch = s.batch();
        upload_ids(batch.instance);
        if (options_.profile == selection_profile::paper) {
          eval_loss<Loss>(s.model(), batch, eval_ws);
          rewards_->record(ids_, loss_);
        }
        s.forward();
        ones_.resize(s.samples());
        B::fill(ones_, scalar(1));
        s.report(ones_, static_cast<scalar>(s.samples()));
        if (options_.profile == selection_profile::code) rewards_->record(ids_, s.loss());  // train mode [code]
        s.backward(ones_, static_cast<scalar>(s.samples()));
        s.update();
      };
      for (std::size_t c = 0; c < options_.history; ++c) {
        ctx.search_fresh(warm_up_seed(c), 1, step);
        rewards_->end_epoch();
      }
    }

    /// One searching epoch on a fresh W; its loss row enters the history at the end.
    template <class Context>
    void search_epoch(Context& ctx) {
      require_begun();
      using Model = typename Context::model_type;
      using Loss = typename Context::loss_type;
      typename Model::workspace eval_ws;
      const auto started = std::chrono::steady_clock::now();
      reward_sum_ = 0.0;
      reward_count_ = 0.0;
      selected_sum_ = 0.0;
      selected_rows_ = 0.0;
      PolicyNetwork<B>& theta = *policy_;
      theta.train(true);
      auto step = [&](auto& s) {
        const auto& batch = s.batch();
        const auto n = static_cast<std::size_t>(batch.labels.size());
        upload_ids(batch.instance);
        // ℓ_i(W) before W's step, and the rewards from it (eval mode in both profiles: the code's
        // reward reads an eval-mode forward too; only what it stores differs).
        eval_loss<Loss>(s.model(), batch, eval_ws);
        rewards_->reward(ids_, loss_, batch_reward_);
        const std::size_t updates =
            options_.profile == selection_profile::paper ? std::size_t{1} : options_.code_policy_updates;
        for (std::size_t u = 0; u < updates; ++u) policy_update(batch.input, n);
        // a2 from the updated Θ, then W's step on the mean BCE over the selected.
        theta.forward(batch.input, policy_ws_, logits_);
        PolicyNetwork<B>::probabilities(logits_, probs_);
        if (options_.profile == selection_profile::paper) {
          search_a2_->select(probs_, ids_, a2_);
        } else {
          greedy_a2_->select(probs_, ids_, a2_);
        }
        rl::action_weights<B>(a2_, weights_);
        const scalar chosen = B::sum(weights_);
        selected_sum_ += static_cast<double>(chosen);
        selected_rows_ += static_cast<double>(n);
        s.forward();
        s.report(weights_, chosen);
        if (chosen > scalar(0)) {
          s.backward(weights_, chosen);
          s.update();
        }
        if (options_.profile == selection_profile::paper) {
          rewards_->record(ids_, loss_);
        } else {
          record_selected(s.loss());  // train mode, selected only; the rest stay stale [code]
        }
      };
      ctx.search_fresh(search_seed(epoch_), 1, step);
      rewards_->end_epoch();
      last_.search_seconds = seconds_since(started);
      last_.mean_reward = reward_count_ > 0.0 ? reward_sum_ / reward_count_ : 0.0;
      last_.selected_share = selected_rows_ > 0.0 ? selected_sum_ / selected_rows_ : 0.0;
      searched_ = true;
    }

    /// Θ (eval mode) picks a subset; a fresh W retrains on it; the best subset so far is kept.
    template <class Context>
    void validation_phase(Context& ctx) {
      require_begun();
      if (!searched_) throw config_error("validation_phase() needs a searching epoch first", location::of_field("epoch"));
      const auto started = std::chrono::steady_clock::now();
      const std::vector<offset_t> subset = current_subset(ctx);
      const auto result =
          ctx.retrain(subset, retrain_seed(epoch_), options_.monitor, options_.retrain_patience, options_.retrain_epochs);
      search_epoch_record r = last_;
      r.epoch = epoch_ + 1;
      r.kept = subset.size();
      r.retrain_epochs = result.history.size();
      const auto& best = result.history.at(result.best_epoch - 1);
      r.validation = best.value(options_.monitor);
      r.validation_logloss = best.value("logloss");
      if (test_ != nullptr) {
        const auto metrics = ctx.evaluate(*test_).metrics();
        for (const auto& m : metrics)
          if (m.name == options_.monitor) r.test = m.value;
      }
      shares(ctx.data(), subset, r);
      r.validation_seconds = seconds_since(started);
      const double chosen_by = options_.select_on_test ? r.test : r.validation;
      if (best_epoch_ == 0 || chosen_by > best_value_) {
        best_value_ = chosen_by;
        best_epoch_ = r.epoch;
        best_subset_ = subset;
        best_policy_.emplace(*policy_);
      }
      history_.push_back(r);
      ++epoch_;
      searched_ = false;
      if (observer_) observer_(r);
    }

    /// The subset Θ picks now (eval mode, fixed-order batches; TopK or Individual per the options).
    template <class Context>
    std::vector<offset_t> current_subset(Context& ctx) {
      require_begun();
      PolicyNetwork<B>& theta = *policy_;
      theta.eval();
      std::vector<offset_t> kept;
      kept.reserve(ctx.instances());
      ctx.for_each_batch([&](const auto& batch) {
        upload_ids(batch.instance);
        theta.forward(batch.input, policy_ws_, logits_);
        PolicyNetwork<B>::probabilities(logits_, probs_);
        if (options_.validation == validation_selection::top_k) {
          top_k_->select(probs_, ids_, a1_);
        } else {
          sampled_->select(probs_, ids_, a1_);
        }
        B::to_host(a1_, host_actions_);
        for (std::size_t k = 0; k < host_actions_.size(); ++k)
          if (host_actions_[k] != 0) kept.push_back(batch.instance[k]);
      });
      theta.train(true);
      std::sort(kept.begin(), kept.end());
      return kept;
    }

    // ---- results -------------------------------------------------------------------------

    const std::vector<search_epoch_record>& history() const noexcept { return history_; }
    /// 1-based searching epoch whose subset select() returned (0 before any).
    std::size_t best_epoch() const noexcept { return best_epoch_; }
    const std::vector<offset_t>& best_subset() const noexcept { return best_subset_; }
    /// Θ now, and Θ as it was at the best epoch.
    PolicyNetwork<B>& policy() {
      require_begun();
      return *policy_;
    }
    const PolicyNetwork<B>& best_policy() const {
      if (!best_policy_) throw config_error("no searching epoch has been validated yet", location::of_field("policy"));
      return *best_policy_;
    }
    /// The reward's state: for rl::LossImprovement the loss matrix (history()) and LVec (current()).
    const reward_state& rewards() const {
      require_begun();
      return *rewards_;
    }

   private:
    void require_begun() const {
      if (!policy_) throw config_error("call begin(ctx) (or select(ctx)) first", location::of_field("state"));
    }

    static double seconds_since(std::chrono::steady_clock::time_point start) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    void upload_ids(const std::vector<offset_t>& instances) {
      host_ids_.resize(instances.size());
      for (std::size_t k = 0; k < instances.size(); ++k) host_ids_[k] = static_cast<index_t>(instances[k]);
      B::from_host(host_ids_, ids_);
    }

    /// loss_ = per-instance loss of the model in evaluation mode on `batch` (own workspace, so the
    /// trainer's pending forward/backward is untouched).
    template <class Loss, class Model, class Batch>
    void eval_loss(Model& model, const Batch& batch, typename Model::workspace& ws) {
      const bool was_training = model.training();
      model.eval();
      model.forward(batch.input, ws, eval_logits_);
      model.train(was_training);
      Loss::template forward<B>(eval_logits_, batch.labels, batch.layout, loss_, eval_prediction_, eval_positive_);
    }

    /// One REINFORCE step of Θ on the batch (rewards in batch_reward_).
    void policy_update(const data::field_batch<B>& input, std::size_t n) {
      PolicyNetwork<B>& theta = *policy_;
      theta.forward(input, policy_ws_, logits_);
      PolicyNetwork<B>::probabilities(logits_, probs_);
      advantage_.resize(n);
      masked_.resize(n);
      if (options_.profile == selection_profile::paper) {
        search_a1_->select(probs_, ids_, a1_);
        B::launch(n, detail::masked_reward<scalar>{B::ptr(a1_), B::ptr(batch_reward_), B::ptr(masked_)});
        rl::action_weights<B>(a1_, weights_);
        const double selected = static_cast<double>(B::sum(weights_));
        const double total = static_cast<double>(B::sum(masked_));
        const double b = rl::baseline_for(baseline_state_, selected > 0.0 ? total / selected : 0.0);
        // Σ_{a1_i = 1} (r_i − b) ∇log π(1|x_i): the advantage is 0 for the deselected rows.
        B::launch(n, detail::masked_advantage<scalar>{B::ptr(a1_), B::ptr(batch_reward_), static_cast<scalar>(b),
                                                      B::ptr(advantage_)});
        reinforce_.score_dlogits(logits_, a1_, advantage_, dlogits_);
        if (selected > 0.0) baseline_state_.update(total / selected);
        reward_sum_ += total;
        reward_count_ += selected;
      } else {
        greedy_a1_->select(probs_, ids_, a1_);
        B::launch(n, detail::masked_reward<scalar>{B::ptr(a1_), B::ptr(batch_reward_), B::ptr(masked_)});
        rl::action_weights<B>(a1_, weights_);
        const double total = static_cast<double>(B::sum(masked_));
        // [code] (Σ_{i∈S1} r_i − b) · Σ_{all i} ∇log π(a_i|x_i): one batch-summed reward.
        reinforce_.score_dlogits(logits_, a1_, static_cast<scalar>(total - rl::baseline_for(baseline_state_, total)),
                                 dlogits_);
        baseline_state_.update(total);
        reward_sum_ += total;
        reward_count_ += static_cast<double>(B::sum(weights_));
      }
      reinforce_.reset(theta);
      reinforce_.accumulate(theta, dlogits_, n, [&](const matrix& d) { theta.backward(policy_ws_, d); });
      reinforce_.write_descent(theta);
      policy_optimizer_->step(theta);
    }

    /// Code profile: record() only the a2-selected instances, with the training forward's losses.
    void record_selected(const vector& train_loss) {
      B::to_host(a2_, host_actions_);
      B::to_host(train_loss, host_loss_);
      host_kept_ids_.clear();
      host_kept_loss_.clear();
      for (std::size_t k = 0; k < host_actions_.size(); ++k) {
        if (host_actions_[k] == 0) continue;
        host_kept_ids_.push_back(host_ids_[k]);
        host_kept_loss_.push_back(host_loss_[k]);
      }
      if (host_kept_ids_.empty()) return;
      B::from_host(host_kept_ids_, kept_ids_);
      B::from_host(host_kept_loss_, kept_loss_);
      rewards_->record(kept_ids_, kept_loss_);
    }

    /// Kept share of each label, and of the ground-truth noisy rows when the data has flags.
    static void shares(const data::FieldDataset& rows, const std::vector<offset_t>& subset, search_epoch_record& r) {
      std::vector<std::uint8_t> kept(static_cast<std::size_t>(rows.instance_capacity()), 0);
      for (offset_t id : subset) kept[static_cast<std::size_t>(id)] = 1;
      const auto labels = rows.labels();
      const auto ids = rows.instances();
      const auto noisy = rows.noisy();
      double pos = 0, pos_kept = 0, neg = 0, neg_kept = 0, dropped = 0, dropped_noisy = 0, noisy_total = 0;
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const bool keep = kept[static_cast<std::size_t>(ids[k])] != 0;
        if (labels[k] > 0.5f) {
          pos += 1;
          pos_kept += keep ? 1 : 0;
        } else {
          neg += 1;
          neg_kept += keep ? 1 : 0;
        }
        if (!noisy.empty()) {
          noisy_total += noisy[k];
          if (!keep) {
            dropped += 1;
            dropped_noisy += noisy[k];
          }
        }
      }
      r.kept_positive_share = pos > 0 ? pos_kept / pos : 0.0;
      r.kept_negative_share = neg > 0 ? neg_kept / neg : 0.0;
      if (!noisy.empty()) {
        r.noisy_share = noisy_total / static_cast<double>(rows.size());
        r.dropped_noisy_share = dropped > 0 ? dropped_noisy / dropped : 0.0;
      }
    }

    instance_selection_options options_;
    Reward reward_;
    Baseline baseline_;
    Selection selection_;
    std::uint64_t seed_;
    const target_type* test_ = nullptr;
    std::function<void(const search_epoch_record&)> observer_;

    std::optional<PolicyNetwork<B>> policy_, best_policy_;
    std::optional<nn::Adam<B>> policy_optimizer_;
    std::optional<reward_state> rewards_;
    Baseline baseline_state_;
    std::optional<typename Selection::template State<B>> search_a1_, search_a2_;
    std::optional<EpsilonGreedy::State<B>> greedy_a1_, greedy_a2_;
    std::optional<rl::TopK::State<B>> top_k_;
    std::optional<rl::Individual::State<B>> sampled_;
    rl::Reinforce<B> reinforce_;
    typename PolicyNetwork<B>::workspace policy_ws_;

    // Per-batch buffers, reused.
    std::vector<index_t> host_ids_, host_actions_, host_kept_ids_;
    std::vector<scalar> host_loss_, host_kept_loss_;
    index_vector ids_, a1_, a2_, kept_ids_;
    vector loss_, eval_logits_, eval_prediction_, eval_positive_, batch_reward_, advantage_, masked_, weights_, ones_,
        kept_loss_;
    matrix logits_, probs_, dlogits_;

    // Run state.
    std::vector<search_epoch_record> history_;
    search_epoch_record last_;
    std::vector<offset_t> best_subset_;
    std::size_t best_epoch_ = 0;
    double best_value_ = 0.0;
    std::size_t epoch_ = 0;
    bool searched_ = false;
    double reward_sum_ = 0.0, reward_count_ = 0.0, selected_sum_ = 0.0, selected_rows_ = 0.0;
  };

 private:
  instance_selection_options options_;
  Reward reward_;
  Baseline baseline_;
  Selection selection_;
};

/// AutoDenoise as the paper describes it: LossImprovement reward, no baseline, Individual sampling.
using AutoDenoiseSelection = InstanceSelection<>;

}  // namespace methods
}  // namespace denoise
