// The settings every task family shares: data, split, training loop, seeds, cut-offs and the
// chosen methods' names. A family's own settings (model, loss...) live with the family, a method's
// with the method (registry/). validate() names the offending flag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/core/types.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/duplicates.hpp>
#include <denoise/data/split.hpp>
#include <denoise/train/options.hpp>
#include <denoise/data/synthetic.hpp>

namespace denoise_cli {

/// split_files: a split shipped as three files (SGDL's `<name>.train.rating`, `.valid.rating`,
/// `.test.negative` in one folder), evaluated with SGDL's protocol (pairs/prepared_data.cpp).
/// movielens_ctr: a MovieLens folder encoded as CTR feature fields; ctr_files: the AutoDenoise
/// CSV files TRAIN,VALID,TEST (--task ctr). Which family reads which: task_registration::data_sources.
enum class data_kind { synthetic, movielens_100k, movielens_dat, delimited, split_files, movielens_ctr, ctr_files };
enum class split_kind { random, chronological, leave_last };

struct data_config {
  data_kind kind = data_kind::synthetic;
  std::string path;                          ///< file to read (not synthetic); split_files: the folder
  denoise::data::ColumnMapping columns;      ///< delimited files: which column is what
  denoise::data::ReadOptions read;           ///< delimited files: delimiter, header, ...
  float noisy_below = 3.0f;                  ///< rating < noisy_below is a noisy positive (real data)
  /// Repeated (user, item) rows of a data file (--duplicates): an error unless a policy is chosen.
  denoise::data::DuplicatePolicy duplicates = denoise::data::DuplicatePolicy::error;
  denoise::data::SyntheticConfig synthetic;  ///< the built-in planted-noise dataset
};

struct experiment_config {
  std::string task = "pairs";  ///< the task family (--task)
  data_config data;

  split_kind split = split_kind::random;
  denoise::data::SplitRatios ratios{8, 1, 1};
  std::size_t leave_last = 1;  ///< leave-last-k: items per user for validation and for test
  std::uint64_t split_seed = 2024;
  bool split_per_seed = false;  ///< --split-seed per-seed: each training seed splits the data anew

  std::vector<std::string> methods;  ///< registered method names, in --methods order

  std::size_t epochs = 20;
  std::size_t batch_size = 1024;
  /// What --batch-size counts: samples (positives and negatives together, as the ADT reference
  /// and NCF count them; the default) or positives (each followed by its negatives).
  denoise::train::batch_unit batch_unit = denoise::train::batch_unit::samples;
  double lr = 0.001;
  double weight_decay = 0.0;
  bool dense_adam = false;          ///< PyTorch-style dense Adam instead of lazy sparse rows
  /// --rank-sampling: every uniform negative by rank, no bitset (UniformNegativeSampler with a
  /// budget of 0): the draws of runs made before 2026-12-06 (same distribution, other negatives).
  bool rank_sampling = false;
  std::vector<std::uint64_t> seeds{1};
  std::vector<int> ks{20};
  std::string monitor = "ndcg@20";  ///< validation metric that selects the reported epoch
  std::size_t patience = 0;         ///< stop after this many epochs without improvement (0: never)
  /// --select-every N: select on the method's loss over the noisy validation positives (fresh
  /// negatives each time) every N steps, ADT's reference rule; 0 selects per epoch on `monitor`.
  std::uint64_t select_every = 0;
  int threads = 0;                  ///< OpenMP threads (0: default)

  bool synthetic() const noexcept { return data.kind == data_kind::synthetic; }
  /// The data come split (--data split:DIR, autodenoise-csv:...): the split flags do not apply.
  bool given_split() const noexcept { return data.kind == data_kind::split_files || data.kind == data_kind::ctr_files; }

  void validate() const {
    auto fail = [](const std::string& field, const std::string& why) {
      throw denoise::config_error(why, denoise::location::of_field(field));
    };
    if (data.kind != data_kind::synthetic && data.path.empty()) fail("--data", "needs a file path");
    if (methods.empty()) fail("--methods", "needs at least one method");
    if (epochs == 0) fail("--epochs", "must be positive");
    if (batch_size == 0) fail("--batch-size", "must be positive");
    if (!(lr > 0.0)) fail("--lr", "must be positive");
    if (!(weight_decay >= 0.0)) fail("--weight-decay", "must be >= 0");
    if (seeds.empty()) fail("--seeds", "needs at least one seed");
    if (ks.empty()) fail("--k", "needs at least one cut-off");
    for (int k : ks)
      if (k <= 0) fail("--k", "cut-offs must be positive");
    if (threads < 0) fail("--threads", "must be >= 0");
  }
};

/// The split seed of a training seed's run: --split-seed, or 2024 + seed with per-seed.
inline std::uint64_t split_seed_for(const experiment_config& c, std::uint64_t seed) {
  return c.split_per_seed ? 2024 + seed : c.split_seed;
}

}  // namespace denoise_cli
