// The run-time description of an experiment: data, split, model, loss, denoising methods and
// training settings, as the CLI fills it from flags. validate() names the offending field.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "../data/delimited_reader.hpp"
#include "../data/split.hpp"
#include "../data/synthetic.hpp"

namespace denoise {
namespace runtime {

enum class data_kind { synthetic, movielens_100k, movielens_dat, delimited };
enum class split_kind { random, chronological, leave_last };

struct data_config {
  data_kind kind = data_kind::synthetic;
  std::string path;                 ///< file to read (not synthetic)
  data::ColumnMapping columns;      ///< delimited files: which column is what
  data::ReadOptions read;           ///< delimited files: delimiter, header, ...
  float noisy_below = 3.0f;         ///< rating < noisy_below is a noisy positive (real data)
  data::SyntheticConfig synthetic;  ///< the built-in planted-noise dataset
};

struct experiment_config {
  data_config data;

  split_kind split = split_kind::random;
  data::SplitRatios ratios{8, 1, 1};
  std::size_t leave_last = 1;      ///< leave-last-k: items per user for validation and for test
  std::uint64_t split_seed = 2024;

  std::string model = "gmf";       ///< mf, gmf, neumf, cdae
  index_t factor = 32;
  index_t layers = 3;              ///< NeuMF tower depth
  double dropout = 0.0;            ///< NeuMF tower dropout
  index_t hidden = 200;            ///< CDAE hidden width
  double corruption = 0.5;         ///< CDAE input corruption

  std::string loss = "bce";        ///< bce, bpr, softmax
  std::size_t negatives = 1;

  std::vector<std::string> methods{"normal", "t-ce", "r-ce", "inverse-frequency"};
  std::string drop_schedule = "linear";  ///< linear, exponential
  double max_drop_rate = 0.2;
  std::uint64_t drop_ramp = 0;           ///< ε_N (linear) or τ (exponential), in iterations;
                                         ///< 0: a quarter of the run's iterations
  double beta = 0.25;

  std::size_t epochs = 20;
  std::size_t batch_size = 1024;
  double lr = 0.001;
  double weight_decay = 0.0;
  bool dense_adam = false;         ///< PyTorch-style dense Adam instead of lazy sparse rows
  std::vector<std::uint64_t> seeds{1};
  std::vector<int> ks{20};
  std::string monitor = "ndcg@20"; ///< validation metric that selects the reported epoch
  std::size_t patience = 0;        ///< stop after this many epochs without improvement (0: never)
  int threads = 0;                 ///< OpenMP threads (0: default)

  void validate() const {
    auto fail = [](const std::string& field, const std::string& why) { throw config_error(why, location::of_field(field)); };
    if (data.kind != data_kind::synthetic && data.path.empty()) fail("--data", "needs a file path");
    if (model != "mf" && model != "gmf" && model != "neumf" && model != "cdae")
      fail("--model", "unknown model '" + model + "' (mf, gmf, neumf, cdae)");
    if (loss != "bce" && loss != "bpr" && loss != "softmax") fail("--loss", "unknown loss '" + loss + "' (bce, bpr, softmax)");
    if ((loss == "bpr" || loss == "softmax") && negatives == 0) fail("--negatives", loss + " needs at least one negative");
    if (methods.empty()) fail("--methods", "needs at least one method");
    for (const auto& m : methods)
      if (m != "normal" && m != "t-ce" && m != "r-ce" && m != "inverse-frequency")
        fail("--methods", "unknown method '" + m + "' (normal, t-ce, r-ce, inverse-frequency)");
    if (drop_schedule != "linear" && drop_schedule != "exponential")
      fail("--drop-schedule", "unknown schedule '" + drop_schedule + "' (linear, exponential)");
    if (!(max_drop_rate >= 0.0 && max_drop_rate < 1.0)) fail("--drop-rate", "must be in [0, 1)");
    // T-CE drops ε·|B| of a batch of positives and their negatives: at ε·(1 + k) >= 1 that is every
    // positive, and training would see negatives only.
    if (loss == "bce" && max_drop_rate * static_cast<double>(1 + negatives) >= 1.0 &&
        std::find(methods.begin(), methods.end(), "t-ce") != methods.end()) {
      fail("--drop-rate", "with " + std::to_string(negatives) + " negative(s) per positive, a drop rate of " +
                              std::to_string(max_drop_rate) + " drops every positive; use less than " +
                              std::to_string(1.0 / static_cast<double>(1 + negatives)));
    }
    if (!(beta >= 0.0)) fail("--beta", "must be >= 0");
    if (factor <= 0) fail("--factor", "must be positive");
    if (layers <= 0) fail("--layers", "must be positive");
    if (hidden <= 0) fail("--hidden", "must be positive");
    if (!(dropout >= 0.0 && dropout < 1.0)) fail("--dropout", "must be in [0, 1)");
    if (!(corruption >= 0.0 && corruption < 1.0)) fail("--corruption", "must be in [0, 1)");
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

}  // namespace runtime
}  // namespace denoise
