// methods::sgdl::sgdl_options: every setting of SGDL (Gao et al., SIGIR'22), with the two profiles
// of ALGORITHMS.md §2: `paper()` (the paper's definitions, the default) and `code()` (the choices of
// the authors' public code, ZJU-DAILY/SGDL). Provenance of each default is given beside it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../core/error.hpp"
#include "../../nn/jvp.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

enum class sgdl_profile { paper, code };

/// The adaptive denoising scheduler that picks the memorized rows of the meta-loss.
enum class scheduler_kind {
  lstm,   ///< paper's default: an LSTM over each memorized sample's visits
  mlp,    ///< one hidden layer, ReLU
  top_f,  ///< no learning: the half of M_b with the largest normalised factors
  none    ///< the plain mean over M_b ("w/o ADS")
};

/// What phase II does (ablations of the paper and the control run of ALGORITHMS.md §2).
enum class sgdl_variant {
  full,         ///< SGDL
  without_dls,  ///< "w/o DLS": phase II trains on the memorized data only, with the plain loss
  without_ads,  ///< "w/o ADS": meta-loss = plain mean over M_b (same as scheduler none)
  control       ///< phase II restarts from theta_0, psi frozen at its initialisation, no scheduler
};

inline const char* to_string(sgdl_profile p) { return p == sgdl_profile::paper ? "paper" : "code"; }
inline const char* to_string(scheduler_kind s) {
  switch (s) {
    case scheduler_kind::lstm: return "lstm";
    case scheduler_kind::mlp: return "mlp";
    case scheduler_kind::top_f: return "top-f";
    default: return "none";
  }
}

struct sgdl_options {
  sgdl_profile profile = sgdl_profile::paper;
  sgdl_variant variant = sgdl_variant::full;

  // ---- phase I ---------------------------------------------------------------------------------
  std::size_t history = 10;                  ///< h, memorization history length [paper, code]
  bool code_memorization = false;            ///< candidate-set test, ring history [code]
  bool per_user_normalization = false;       ///< min-max of the losses within each user for the GMM [code]
  std::size_t max_phase1_epochs = 50;        ///< switch at this epoch at the latest [ours]
  double phase1_lr_factor = 1.0;             ///< phase-I lr = factor x the optimizer's lr [paper 1; code 1/5]
  std::size_t loss_batch = 4096;             ///< rows per forward when scoring all of D for sigma [ours]

  // ---- phase II --------------------------------------------------------------------------------
  std::size_t weight_hidden = 64;            ///< H of g(l; psi) [paper 64; code 100]
  double assumed_lr = 0.0;                   ///< eta1 of the assumed update; 0 = the optimizer's lr [paper]
  double meta_lr = 0.0;                      ///< eta2, Adam on psi; 0 = eta1 [paper]; code 5e-4
  bool reset_optimizers_each_epoch = false;  ///< recreate the model's, psi's and the scheduler's Adam [code]
  bool negatives_avoid_memorized_only = false;  ///< memorized batches' negatives avoid only M [code]
  nn::jvp_mode jvp = nn::jvp_mode::automatic;   ///< exact JVP when the model has one, else FD
  double jvp_eps = 1e-4;                     ///< finite-difference step when the JVP is not exact

  // ---- scheduler -------------------------------------------------------------------------------
  scheduler_kind scheduler = scheduler_kind::lstm;  ///< [paper default]
  std::size_t scheduler_hidden = 64;         ///< LSTM / MLP hidden width [paper 64]
  double scheduler_lr = 5e-3;                ///< Adam on phi [ours, as code]
  double tau = 0.05;                         ///< Gumbel-softmax temperature [paper 0.05; code 1.0]

  // ---- reporting -------------------------------------------------------------------------------
  double curve_max_loss = 4.0;               ///< the weighting function is sampled on [0, this] [ours]
  std::size_t curve_points = 41;

  /// The paper's definitions (the default).
  static sgdl_options paper() { return {}; }
  /// The authors' public code: candidate-set memorization with a ring history, per-user loss
  /// normalisation, H = 100, tau = 1, phase-I lr / 5, eta2 = 5e-4, optimizers recreated every
  /// phase-II epoch, negatives of memorized batches avoiding only the memorized positives.
  static sgdl_options code() {
    sgdl_options o;
    o.profile = sgdl_profile::code;
    o.code_memorization = true;
    o.per_user_normalization = true;
    o.weight_hidden = 100;
    o.tau = 1.0;
    o.phase1_lr_factor = 0.2;
    o.meta_lr = 5e-4;
    o.reset_optimizers_each_epoch = true;
    o.negatives_avoid_memorized_only = true;
    return o;
  }

  /// config_error naming the field for any setting out of range.
  void validate() const {
    auto bad = [](const char* field, const std::string& why) {
      throw config_error(std::string("sgdl: ") + field + " " + why, location::of_field(field));
    };
    if (history == 0) bad("history", "must be at least 1");
    if (max_phase1_epochs == 0) bad("max_phase1_epochs", "must be at least 1");
    if (!(phase1_lr_factor > 0.0) || !std::isfinite(phase1_lr_factor)) bad("phase1_lr_factor", "must be positive");
    if (loss_batch == 0) bad("loss_batch", "must be at least 1");
    if (weight_hidden == 0) bad("weight_hidden", "must be at least 1");
    if (!(assumed_lr >= 0.0) || !std::isfinite(assumed_lr)) bad("assumed_lr", "must be >= 0 (0: the optimizer's)");
    if (!(meta_lr >= 0.0) || !std::isfinite(meta_lr)) bad("meta_lr", "must be >= 0 (0: the assumed lr)");
    if (!(jvp_eps > 0.0)) bad("jvp_eps", "must be positive");
    if (scheduler_hidden == 0) bad("scheduler_hidden", "must be at least 1");
    if (!(scheduler_lr > 0.0) || !std::isfinite(scheduler_lr)) bad("scheduler_lr", "must be positive");
    if (!(tau > 0.0) || !std::isfinite(tau)) bad("tau", "must be positive");
    if (!(curve_max_loss > 0.0) || !std::isfinite(curve_max_loss)) bad("curve_max_loss", "must be positive");
    if (curve_points < 2) bad("curve_points", "must be at least 2");
  }

  /// The scheduler that actually runs: none for w/o ADS, w/o DLS and the control.
  scheduler_kind effective_scheduler() const noexcept {
    return variant == sgdl_variant::full ? scheduler : scheduler_kind::none;
  }
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
