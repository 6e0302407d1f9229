// instance_selection_options: the run-time settings of AutoDenoise by RL instance selection (Lin et
// al., WWW'23; ALGORITHMS.md §3). Defaults are the paper's (C = 4, T = 50, ratio 0.98) and the
// authors' code's learning rates. Provenance of each choice: [paper], [code] or [ours].
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "policy_network.hpp"

namespace denoise {
namespace methods {

/// Which description the searching phase follows.
enum class selection_profile {
  /// The paper (default): a1 sampled per instance, per-instance rewards r_i · ∇log π(1|x_i) summed
  /// over the selected, one policy update per batch, every stored loss from one eval-mode forward.
  paper,
  /// The authors' public code: a1 = argmax π with each action flipped with probability epsilon,
  /// a2 = argmax; `code_policy_updates` updates per batch, each with the batch-summed reward times
  /// all log-probabilities; stored losses from the train-mode training forward, for the selected
  /// instances only (the rest keep stale values).
  code,
};

/// How the validation phase turns Θ's probabilities into a subset.
enum class validation_selection {
  top_k,       ///< AutoDenoise: each batch keeps its round(ratio · rows) most probable [code]
  individual,  ///< AutoDenoise-v: each instance sampled from π(1|x) [paper]
};

inline const char* name_of(selection_profile p) noexcept { return p == selection_profile::paper ? "paper" : "code"; }
inline const char* name_of(validation_selection v) noexcept {
  return v == validation_selection::top_k ? "top_k" : "individual";
}

struct instance_selection_options {
  std::size_t history = 4;            ///< C: warm-up models and rows of the loss matrix [paper: best of 2..6]
  std::size_t searching_epochs = 50;  ///< T [paper, code]
  double ratio = 0.98;                ///< kept share of each batch in the validation phase [paper: best of .95-.99]
  validation_selection validation = validation_selection::top_k;
  selection_profile profile = selection_profile::paper;

  policy_network_options policy;       ///< Θ's shape [code]
  double policy_lr = 1e-2;             ///< Θ's Adam [code]
  double policy_weight_decay = 1e-5;   ///< Θ's Adam L2 [code]
  double epsilon = 0.2;                ///< code profile: flip probability of the greedy action [code]
  std::size_t code_policy_updates = 3; ///< code profile: policy updates per batch [code]

  std::size_t retrain_epochs = 100;    ///< validation phase: at most this many epochs [code]
  std::size_t retrain_patience = 2;    ///< stop after this many epochs without validation gain [code]
  std::string monitor = "auc";         ///< the validation metric that picks the epoch and the subset

  /// [ours] The retraining of every validation phase starts from the same seed, so that the
  /// searching epochs are compared on their subsets, not on their initialisations.
  bool same_retrain_seed = true;

  /// Choose the subset by the retrained model's TEST result, as the paper's Alg. 3 and its code
  /// do. This reads the test set: the selector refuses to run with it unless it was given a test
  /// target (InstanceSelection::State::read_test_set_for_selection), and results so obtained must
  /// be reported as selected on test. Off: selection on validation [ours].
  bool select_on_test = false;

  /// Throws config_error naming the field of the first bad setting.
  void validate() const {
    if (history == 0) throw config_error("C (history) must be at least 1", location::of_field("history"));
    if (searching_epochs == 0) {
      throw config_error("at least one searching epoch is needed", location::of_field("searching_epochs"));
    }
    if (!(ratio > 0.0 && ratio <= 1.0)) {
      throw config_error("the kept ratio must lie in (0, 1], got " + std::to_string(ratio), location::of_field("ratio"));
    }
    if (!(policy_lr > 0.0)) throw config_error("must be positive", location::of_field("policy_lr"));
    if (!(policy_weight_decay >= 0.0)) throw config_error("must be >= 0", location::of_field("policy_weight_decay"));
    if (!(epsilon >= 0.0 && epsilon <= 1.0)) {
      throw config_error("the flip probability must lie in [0, 1]", location::of_field("epsilon"));
    }
    if (code_policy_updates == 0) throw config_error("must be at least 1", location::of_field("code_policy_updates"));
    if (retrain_epochs == 0) throw config_error("must be at least 1", location::of_field("retrain_epochs"));
    if (monitor.empty()) throw config_error("needs a metric name (e.g. auc)", location::of_field("monitor"));
    policy.validate();
  }
};

}  // namespace methods
}  // namespace denoise
