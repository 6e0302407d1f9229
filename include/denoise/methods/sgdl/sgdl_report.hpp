// methods::sgdl::sgdl_report: what an SGDL run records for its caller (the method's State lives
// inside Trainer::fit, so the policy holds this report through a shared pointer that every copy of
// the policy shares): per epoch the noise-rate estimate, the memorized share and, only when the
// caller handed noise flags in for logging, the memorization precision/recall; the switch epoch; the
// frozen memorized set; and the learned weighting function sampled on a loss grid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace denoise {
namespace methods {
namespace sgdl {

struct sgdl_epoch_record {
  std::size_t epoch = 0;  ///< 1-based
  int phase = 1;          ///< 1 memorization, 2 self-guided learning
  double noise_rate = std::numeric_limits<double>::quiet_NaN();        ///< sigma_hat (phase I)
  double memorized_share = std::numeric_limits<double>::quiet_NaN();   ///< |M_t| / |D|
  double memorization_precision = std::numeric_limits<double>::quiet_NaN();  ///< share of M_t clean
  double memorization_recall = std::numeric_limits<double>::quiet_NaN();     ///< share of clean in M_t
  double meta_loss = std::numeric_limits<double>::quiet_NaN();  ///< mean meta-loss of the epoch (phase II)
};

struct sgdl_report {
  std::vector<sgdl_epoch_record> epochs;
  std::size_t switch_epoch = 0;             ///< 1-based epoch after which phase II ran; 0: never
  std::vector<std::uint8_t> memorized;      ///< the frozen M, per instance id (1 = memorized)
  std::vector<double> curve_loss, curve_weight;  ///< g(l; psi) on a loss grid, at the last epoch end

  void clear() { *this = sgdl_report{}; }
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
