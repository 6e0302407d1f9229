// The ctr family on the Eigen backend: one runner per CTR backbone, in one translation unit (the
// first Trainer instantiation in a unit costs the most; the batcher, the evaluator and the
// optimizer are shared by the others).
#include <denoise/backends/eigen.hpp>
#include <denoise/models/ctr/ctr.hpp>

#include "ctr_runner.hpp"

namespace denoise_cli {
namespace {

namespace m = denoise::models;
using E = eigen_backend;

const registered_ctr_runner<E, m::FM<E>> fm{};
const registered_ctr_runner<E, m::WideDeep<E>> wd{};
const registered_ctr_runner<E, m::DeepFM<E>> deepfm{};
const registered_ctr_runner<E, m::DCN<E>> dcn{};
const registered_ctr_runner<E, m::IPNN<E>> ipnn{};

}  // namespace
}  // namespace denoise_cli
