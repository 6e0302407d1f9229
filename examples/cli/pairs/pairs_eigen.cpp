// The pairs family on the Eigen backend: every model x loss runner, in one translation unit. (The
// first Trainer instantiation in a unit costs far more than each further one, because the batcher,
// the ranking evaluator and the optimizer are shared; one unit per family and backend keeps that
// cost single, and the rest of the CLI compiles beside it at -j2.)
#include <denoise/backends/eigen.hpp>
#include <denoise/losses/losses.hpp>

#include "pairs_runner.hpp"

namespace denoise_cli {
namespace {

namespace l = denoise::losses;
namespace m = denoise::models;
using E = eigen_backend;

const pairs_runners<E, m::MF<E>, l::BCE, l::BPR, l::SampledSoftmax> mf{};
const pairs_runners<E, m::GMF<E>, l::BCE, l::BPR, l::SampledSoftmax> gmf{};
const pairs_runners<E, m::NeuMF<E>, l::BCE, l::BPR, l::SampledSoftmax> neumf{};
const pairs_runners<E, m::CDAE<E>, l::BCE, l::BPR, l::SampledSoftmax> cdae{};
const pairs_runners<E, m::LightGCN<E>, l::BCE, l::BPR> lightgcn{};
const pairs_runners<E, m::NGCF<E>, l::BCE, l::BPR> ngcf{};

}  // namespace
}  // namespace denoise_cli
