// "inverse-frequency": a heuristic baseline that weights each positive by the inverse of its
// item's training frequency (methods::InverseFrequency).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/methods/heuristic/inverse_frequency.hpp>

#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

class inverse_frequency final : public cli_method {
 public:
  bool runs_in(const std::string& task) const override { return task == "pairs" || task == "seq"; }
  std::unique_ptr<pairs_weighting> start_pairs(const run_info& run, std::uint64_t seed) const override {
    return start_policy<pairs_weighting>(denoise::methods::InverseFrequency(run.items, run.labels, run.n_items), seed);
  }
  std::unique_ptr<sequence_weighting> start_sequences(const run_info& run, std::uint64_t seed) const override {
    return start_policy<sequence_weighting>(denoise::methods::InverseFrequency(run.items, run.labels, run.n_items),
                                            seed);
  }
};

const method_registrar inverse_frequency_registration{{
    "inverse-frequency",
    30,
    {},
    [](const method_flags&) -> std::unique_ptr<cli_method> { return std::make_unique<inverse_frequency>(); },
}};

}  // namespace
}  // namespace denoise_cli
