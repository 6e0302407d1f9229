// Shared input checks for the binary-label metrics (AUC, LogLoss, denoising quality).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "../../core/error.hpp"
#include "../../core/span.hpp"

namespace denoise {
namespace metrics {
namespace detail {

// A label as 0/1; throws input_error naming the field and the sample for anything else.
template <class Label>
inline bool binary_label(Label value, std::size_t i, const char* field) {
  if (value == Label(0)) return false;
  if (value == Label(1)) return true;
  std::string shown;
  if constexpr (std::is_floating_point<Label>::value) {
    shown = std::isnan(value) ? std::string("NaN") : std::to_string(value);
  } else {
    shown = std::to_string(static_cast<long long>(value));
  }
  throw input_error("sample " + std::to_string(i) + " has label " + shown + "; labels must be 0 or 1",
                    location::of_field(field));
}

inline void check_sizes(std::size_t a, const char* a_name, std::size_t b, const char* b_name) {
  if (a != b) {
    throw input_error(std::string("has ") + std::to_string(b) + " entries but " + a_name + " has " +
                          std::to_string(a),
                      location::of_field(b_name));
  }
}

}  // namespace detail
}  // namespace metrics
}  // namespace denoise
