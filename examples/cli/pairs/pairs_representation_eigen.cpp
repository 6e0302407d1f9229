// The pairs family's representation runners on the Eigen backend: the models with a per-row
// representation (sample_representation: MF and GMF, [e_u || e_i]) under every loss they take, for
// the methods that read it (AutoDenoise-H / -S). In a unit of its own beside pairs_eigen.cpp, so
// the two Trainer families compile in parallel. NeuMF, CDAE, LightGCN and NGCF have no
// representation: a method that reads one is refused with them before training (naming --model).
#include <denoise/backends/eigen.hpp>
#include <denoise/losses/losses.hpp>

#include "pairs_representation_runner.hpp"

namespace denoise_cli {
namespace {

namespace l = denoise::losses;
namespace m = denoise::models;
using E = eigen_backend;

const pairs_representation_runners<E, m::MF<E>, l::BCE, l::BPR, l::SampledSoftmax> mf{};
const pairs_representation_runners<E, m::GMF<E>, l::BCE, l::BPR, l::SampledSoftmax> gmf{};

}  // namespace
}  // namespace denoise_cli
