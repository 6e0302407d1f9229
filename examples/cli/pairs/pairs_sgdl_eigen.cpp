// SGDL on the pairs family's Eigen backend: every model with BCE and BPR (the losses SGDL is
// defined for), in a unit of its own beside pairs_eigen.cpp, so the two Trainer families compile
// in parallel.
#include <denoise/backends/eigen.hpp>
#include <denoise/losses/losses.hpp>

#include "pairs_sgdl_runner.hpp"

namespace denoise_cli {
namespace {

namespace l = denoise::losses;
namespace m = denoise::models;
using E = eigen_backend;

const pairs_sgdl_runners<E, m::MF<E>, l::BCE, l::BPR> mf{};
const pairs_sgdl_runners<E, m::GMF<E>, l::BCE, l::BPR> gmf{};
const pairs_sgdl_runners<E, m::NeuMF<E>, l::BCE, l::BPR> neumf{};
const pairs_sgdl_runners<E, m::CDAE<E>, l::BCE, l::BPR> cdae{};
const pairs_sgdl_runners<E, m::LightGCN<E>, l::BCE, l::BPR> lightgcn{};
const pairs_sgdl_runners<E, m::NGCF<E>, l::BCE, l::BPR> ngcf{};

}  // namespace
}  // namespace denoise_cli
