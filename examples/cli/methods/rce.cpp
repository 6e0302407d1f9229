// "r-ce": R-CE of ADT (Wang et al., WSDM 2021): down-weights each positive by its prediction to the
// power --beta (methods::ReweightedLoss).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_batch.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/methods/adt/reweighted_loss.hpp>

#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

class reweighted_loss final : public cli_method {
 public:
  explicit reweighted_loss(const method_flags& f) : beta_(f.values.number("--beta", f.synthetic ? 0.5 : 0.25)) {
    if (!(beta_ >= 0.0)) flags::fail("--beta", "must be >= 0");
  }
  void write_config(denoise::json_writer& out) const override { out.field("beta", beta_); }
  bool runs_in(const std::string& task) const override { return task == "pairs" || task == "seq" || task == "ctr"; }
  std::unique_ptr<pairs_weighting> start_pairs(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<pairs_weighting>(denoise::methods::ReweightedLoss(beta_), seed);
  }
  std::unique_ptr<sequence_weighting> start_sequences(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<sequence_weighting>(denoise::methods::ReweightedLoss(beta_), seed);
  }
  std::unique_ptr<field_weighting> start_fields(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<field_weighting>(denoise::methods::ReweightedLoss(beta_), seed);
  }

 private:
  double beta_;
};

const method_registrar rce_registration{{
    "r-ce",
    20,
    {{"--beta", "B", "R-CE exponent (default 0.25; synthetic 0.5)"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> { return std::make_unique<reweighted_loss>(f); },
}};

}  // namespace
}  // namespace denoise_cli
