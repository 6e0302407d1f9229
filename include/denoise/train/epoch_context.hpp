// What a method's on_epoch_end sees: it runs after validation, so a method that learns from a
// validation reward (Ge et al.'s controller) reads it here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "../metrics/metric_value.hpp"

namespace denoise {
namespace train {

template <class Model>
struct epoch_context {
  std::size_t epoch;                         ///< 0-based epoch that just ended
  std::uint64_t iterations;                  ///< iterations run so far
  double train_loss;                         ///< weighted mean training loss of the epoch
  Model& model;
  const metrics::metric_list& validation;    ///< the evaluator's metrics; empty without a validation set

  /// A validation metric by name (e.g. "auc", "ndcg@20"); NaN when absent.
  double metric(const std::string& name) const {
    return metrics::find_metric(validation, name, std::numeric_limits<double>::quiet_NaN());
  }
};

}  // namespace train
}  // namespace denoise
