// "normal": plain training, every sample weighted 1 (methods::None). The baseline of the table.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_batch.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/methods/none.hpp>

#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

class normal final : public cli_method {
 public:
  std::unique_ptr<pairs_weighting> start_pairs(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<pairs_weighting>(denoise::methods::None{}, seed);
  }
  bool runs_in(const std::string& /*task*/) const override { return true; }
  std::unique_ptr<sequence_weighting> start_sequences(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<sequence_weighting>(denoise::methods::None{}, seed);
  }
  std::unique_ptr<field_weighting> start_fields(const run_info& /*run*/, std::uint64_t seed) const override {
    return start_policy<field_weighting>(denoise::methods::None{}, seed);
  }
};

const method_registrar normal_registration{{
    "normal",
    0,
    {},
    [](const method_flags&) -> std::unique_ptr<cli_method> { return std::make_unique<normal>(); },
}};

}  // namespace
}  // namespace denoise_cli
