// "t-ce": T-CE of ADT (Wang et al., WSDM 2021): drops the largest-loss positives, at a rate that
// ramps up to --drop-rate over --drop-ramp iterations (methods::TruncatedLoss).
#include <algorithm>
#include <string>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_batch.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/methods/adt/truncated_loss.hpp>

#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

class truncated_loss final : public cli_method {
 public:
  explicit truncated_loss(const method_flags& f) {
    const flags& v = f.values;
    schedule_ = v.text("--drop-schedule", "linear");
    if (schedule_ != "linear" && schedule_ != "exponential")
      flags::fail("--drop-schedule", "unknown schedule '" + schedule_ + "' (linear, exponential)");
    max_rate_ = v.number("--drop-rate", f.synthetic ? 0.1 : 0.2);
    if (!(max_rate_ >= 0.0 && max_rate_ < 1.0)) flags::fail("--drop-rate", "must be in [0, 1)");
    ramp_ = v.integer_as<std::uint64_t>("--drop-ramp", 0);
  }

  // T-CE drops ε·|B| of a batch of positives and their negatives: at ε·(1 + k) >= 1 that is every
  // positive, and training would see negatives only.
  void check(const method_use& use) const override {
    if (use.loss == "bce" && max_rate_ * static_cast<double>(1 + use.negatives) >= 1.0) {
      flags::fail("--drop-rate", "with " + std::to_string(use.negatives) + " negative(s) per positive, a drop rate of " +
                                     std::to_string(max_rate_) + " drops every positive; use less than " +
                                     std::to_string(1.0 / static_cast<double>(1 + use.negatives)));
    }
  }

  void write_config(denoise::json_writer& out) const override {
    out.field("drop_schedule", schedule_)
        .field("max_drop_rate", max_rate_)
        .field("drop_ramp", static_cast<std::size_t>(ramp_));
  }

  bool runs_in(const std::string& task) const override { return task == "pairs" || task == "seq" || task == "ctr"; }
  std::unique_ptr<pairs_weighting> start_pairs(const run_info& run, std::uint64_t seed) const override {
    return start<pairs_weighting>(run, seed);
  }
  std::unique_ptr<sequence_weighting> start_sequences(const run_info& run, std::uint64_t seed) const override {
    return start<sequence_weighting>(run, seed);
  }
  std::unique_ptr<field_weighting> start_fields(const run_info& run, std::uint64_t seed) const override {
    return start<field_weighting>(run, seed);
  }

 private:
  template <class Erased>
  std::unique_ptr<Erased> start(const run_info& run, std::uint64_t seed) const {
    namespace m = denoise::methods;
    std::uint64_t ramp = ramp_;
    if (ramp == 0) {  // auto: reach the maximum drop rate a quarter of the way through the run
      const std::size_t per_epoch = (run.positives() + run.batch_size - 1) / run.batch_size;
      ramp = std::max<std::uint64_t>(1, per_epoch * run.epochs / 4);
    }
    if (schedule_ == "exponential") {
      return start_policy<Erased>(
          m::TruncatedLoss<m::exponential_drop_schedule>(m::exponential_drop_schedule(max_rate_, static_cast<double>(ramp))),
          seed);
    }
    return start_policy<Erased>(m::TruncatedLoss<m::linear_drop_schedule>(m::linear_drop_schedule(max_rate_, ramp)), seed);
  }

  std::string schedule_;
  double max_rate_ = 0.2;
  std::uint64_t ramp_ = 0;  ///< ε_N (linear) or τ (exponential), in iterations; 0: a quarter of the run
};

const method_registrar tce_registration{{
    "t-ce",
    10,
    {{"--drop-schedule", "S", "T-CE schedule: linear (paper, default) | exponential"},
     {"--drop-rate", "R", "T-CE maximum drop rate ε_max (default 0.2; synthetic 0.1)"},
     {"--drop-ramp", "N", "iterations to reach it (ε_N; τ for exponential); default: a quarter\nof the run's iterations"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> { return std::make_unique<truncated_loss>(f); },
}};

}  // namespace
}  // namespace denoise_cli
