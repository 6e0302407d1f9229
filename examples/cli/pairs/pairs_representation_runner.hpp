// pairs_representation_runner<Model, Loss, Backend>: the pairs_runner of the weighting methods
// that read the model's per-row representation (cli_method::reads_representation: AutoDenoise-H /
// -S) on a pairs model that has one (sample_representation: MF and GMF, [e_u || e_i]): a Trainer
// with pairs_representation_denoiser and RankingWithAuc (pairs_representation_eigen.cpp), so the
// Trainer of every other method never computes a representation.
//
// Validation adds "auc" to the ranking metrics (ranking_auc_evaluator.hpp): the controller's
// reward, ALGORITHMS.md §4. The method's report (reward, baseline, mean weight of clean vs noisy
// positives per epoch) becomes the run's "method_report".
#pragma once

#include "prepared_data.hpp"
#include "pairs_runner.hpp"
#include "ranking_auc_evaluator.hpp"

namespace denoise_cli {

/// RankingWithAuc's targets: the AUC leaves out what the user interacted with in train and
/// validation (noisy rows too), which is exactly what the test ranking excludes
/// (prepared_data::test_holdout), so validation borrows that index; at test the ranking's own
/// exclusions are it already.
template <>
class pairs_targets<RankingWithAuc> {
 public:
  explicit pairs_targets(const prepared_data& d) : d_(d) {}
  ranking_auc_target validation() const { return {d_.validation_target(), d_.test_holdout.exclude()}; }
  ranking_auc_target test() const { return {d_.test_target(), {}}; }

 private:
  const prepared_data& d_;
};

/// The runner of the methods that read the representation (MF, GMF: sample_representation).
template <class Model, class Loss, class Backend>
using pairs_representation_runner = pairs_runner<Model, Loss, Backend, pairs_representation_denoiser, RankingWithAuc>;

/// The representation runners of a model, one per loss: `const pairs_representation_runners<E, models::MF<E>, losses::BCE> mf{};`
template <class Backend, class Model, class... Losses>
using pairs_representation_runners = registered_runners<pairs_representation_runner, method_level::representation, Backend, Model, Losses...>;

}  // namespace denoise_cli
