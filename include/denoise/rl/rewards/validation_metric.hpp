// ValidationMetric: one scalar reward per epoch (timing rl::per_epoch), read by name from the
// validation result — the reward of the AutoDenoise controller (Ge et al.): R = validation AUC.
//
//   rl::ValidationMetric reward{"auc"};           // or "ndcg@20", "recall@20", "gauc", ...
//   double R = reward.reward(result.metrics());   // any metrics::metric_list
//   double R = reward.reward(result);             // or any result with metrics()
//
// The name must appear in the list and its value must not be NaN; otherwise config_error with
// the field 'metric' (a wrong name is a misconfiguration, not a number to learn from).
#pragma once

#include <cmath>
#include <string>
#include <utility>

#include "../../core/error.hpp"
#include "../../metrics/metric_value.hpp"
#include "../timing.hpp"

namespace denoise {
namespace rl {

class ValidationMetric {
 public:
  using timing = per_epoch;
  static constexpr const char* name() { return "validation_metric"; }

  explicit ValidationMetric(std::string metric = "auc") : metric_(std::move(metric)) {
    if (metric_.empty()) throw config_error("ValidationMetric needs a metric name", location::of_field("metric"));
  }

  const std::string& metric() const noexcept { return metric_; }

  /// The value named metric() in the validation result.
  double reward(const metrics::metric_list& validation) const {
    for (const auto& m : validation) {
      if (m.name == metric_) {
        if (std::isnan(m.value)) {
          throw config_error("validation metric '" + metric_ + "' is NaN and cannot be a reward",
                             location::of_field("metric"));
        }
        return m.value;
      }
    }
    std::string names;
    for (const auto& m : validation) names += (names.empty() ? "" : ", ") + m.name;
    throw config_error("validation result has no metric '" + metric_ + "' (it has: " +
                           (names.empty() ? std::string("nothing") : names) + ")",
                       location::of_field("metric"));
  }

  /// The same for any result type that lists itself with `metric_list metrics() const`.
  template <class Result, class = decltype(std::declval<const Result&>().metrics())>
  double reward(const Result& validation) const {
    return reward(static_cast<const metrics::metric_list&>(validation.metrics()));
  }

 private:
  std::string metric_;
};

}  // namespace rl
}  // namespace denoise
