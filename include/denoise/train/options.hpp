// Options of a training run and the record of one epoch.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "../metrics/metric_value.hpp"

namespace denoise {
namespace train {

/// What options.batch_size counts in implicit-feedback training (batchers::NegativeSampling):
///   positives  batch_size positives, each followed by its negatives ((1 + negatives) x batch_size
///              samples per mini-batch);
///   samples    batch_size loss samples, positives and negatives together, as the ADT reference
///              (WenjieWWJ/DenoisingRec) and NCF count them: floor(batch_size / (1 + negatives))
///              positives per mini-batch, so an epoch has (1 + negatives) times the iterations and
///              an iteration-based schedule (T-CE's epsilon_N) means what the paper means.
/// Batchers whose rows are not groups of a positive and its negatives (field rows, sequence
/// windows) count rows either way.
enum class batch_unit { positives, samples };

struct trainer_options {
  std::size_t epochs = 20;
  std::size_t batch_size = 1024;  ///< mini-batch size, in `unit`s
  batch_unit unit = batch_unit::positives;  ///< what batch_size counts (see batch_unit)
  std::size_t negatives = 1;      ///< sampled negatives per positive
  std::uint64_t seed = 0;         ///< every random stream of the run derives from it
  std::vector<int> ks{20};        ///< cut-offs of the validation ranking metrics
  index_t eval_block_users = 256; ///< users scored per block during evaluation
  /// Keep each instance's mean weight and loss per epoch (on the backend; copied to the host once
  /// per epoch) for fit_result and the denoising-quality metrics. Off saves a kernel per batch.
  bool track_instances = true;
  /// Stop with divergence_error when a batch's training loss exceeds this many times the loss of
  /// the run's first batch (the untrained model's): a learning rate far too high makes the loss
  /// explode long before it overflows to NaN, while the metrics still look plausible. 0 turns the
  /// check off (a non-finite loss always stops the run).
  double divergence_ratio = 1000.0;
  int threads = 0;  ///< OpenMP threads of fit() and evaluate(); 0: the current ones (docs/threads.md)

  /// Positives per mini-batch of a negative-sampling batcher.
  std::size_t positives_per_batch() const noexcept {
    return unit == batch_unit::samples ? batch_size / (1 + negatives) : batch_size;
  }

  void validate() const {
    if (epochs == 0) throw config_error("must be positive", location::of_field("epochs"));
    if (batch_size == 0) throw config_error("must be positive", location::of_field("batch_size"));
    if (unit == batch_unit::samples && batch_size < 1 + negatives) {
      throw config_error("counted in samples, a mini-batch of " + std::to_string(batch_size) +
                             " cannot hold one positive with its " + std::to_string(negatives) + " negative(s)",
                         location::of_field("batch_size"));
    }
    if (threads < 0) throw config_error("must be >= 0 (0: the current setting)", location::of_field("threads"));
    if (!(divergence_ratio == 0.0 || divergence_ratio > 1.0))
      throw config_error("must be 0 (off) or greater than 1", location::of_field("divergence_ratio"));
    for (int k : ks)
      if (k <= 0) throw config_error("every K must be positive", location::of_field("ks"));
  }
};

/// Items to leave out of each user's ranking and the items that count as relevant, one CSR row
/// per user (validation: exclude = training items, relevant = clean validation items).
struct ranking_target {
  csr_view exclude;
  csr_view relevant;
};

/// One completed training step, as a callback's on_iteration_end sees it.
struct iteration_record {
  std::size_t epoch = 0;         ///< 0-based epoch the step belongs to
  std::uint64_t iteration = 0;   ///< steps completed so far in the run (1 after the first)
  std::size_t epochs = 0;        ///< planned epochs
};

/// One scored candidate of a periodic_selection (callbacks/periodic_selection.hpp).
struct selection_point {
  std::uint64_t iteration = 0;  ///< steps completed when it was scored
  std::size_t epoch = 0;        ///< 1-based epoch of that step
  double score = 0.0;
};

/// One epoch of a run, as callbacks and the result see it.
struct epoch_record {
  std::size_t epoch = 0;          ///< 1-based
  std::size_t epochs = 0;         ///< planned epochs
  std::uint64_t iterations = 0;   ///< mini-batches so far
  double train_loss = 0.0;        ///< weighted mean training loss of the epoch
  std::size_t samples = 0;        ///< loss samples seen in the epoch
  double seconds = 0.0;           ///< training time of the epoch (evaluation excluded)
  double eval_seconds = 0.0;      ///< validation time
  double samples_per_second = 0.0;
  metrics::metric_list validation;  ///< e.g. recall@20, ndcg@20 (empty without a validation set)
  metrics::metric_list denoising;   ///< drop precision/recall and weights of noisy vs clean samples,
                                    ///< when the training data carries ground-truth noise flags

  /// A metric by name from validation, then denoising; NaN when absent.
  double value(const std::string& name) const {
    for (const auto& m : validation)
      if (m.name == name) return m.value;
    for (const auto& m : denoising)
      if (m.name == name) return m.value;
    if (name == "train_loss") return train_loss;
    return std::numeric_limits<double>::quiet_NaN();
  }
};

/// What fit() returns.
struct fit_result {
  std::vector<epoch_record> history;
  std::size_t best_epoch = 0;     ///< 1-based epoch whose parameters the model holds at return
  bool stopped_early = false;
  /// Mean weight the denoiser gave each training instance in the last epoch, indexed by instance id
  /// (NaN for ids that were not trained on, e.g. negatives-only rows).
  std::vector<float> instance_weights;
  /// Mean per-sample loss of each training instance in the last epoch (same indexing).
  std::vector<float> instance_losses;
};

}  // namespace train
}  // namespace denoise
