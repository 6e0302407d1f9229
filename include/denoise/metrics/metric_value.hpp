// A named scalar result ("recall@20", "auc", "drop_precision"), the form in which every metrics
// result struct can be listed for CSV/JSON logs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace denoise {
namespace metrics {

/// One named value. Undefined values (a precision with nothing dropped) are NaN.
struct metric_value {
  std::string name;
  double value = 0.0;
};

using metric_list = std::vector<metric_value>;

/// The value named `name` in `list`, or `fallback` when the list has no such entry.
inline double find_metric(const metric_list& list, const std::string& name, double fallback) {
  for (const auto& m : list) {
    if (m.name == name) return m.value;
  }
  return fallback;
}

}  // namespace metrics
}  // namespace denoise
