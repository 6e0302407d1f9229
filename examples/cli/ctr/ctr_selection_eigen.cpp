// `--methods autodenoise` in the ctr family on the Eigen backend: one selection runner per CTR
// backbone (ctr_selection_runner.hpp), apart from the weighting runners (ctr_eigen.cpp) so that
// each unit holds one kind of Trainer instantiation.
#include <denoise/backends/eigen.hpp>
#include <denoise/models/ctr/ctr.hpp>

#include "ctr_selection_runner.hpp"

namespace denoise_cli {
namespace {

namespace m = denoise::models;
using E = eigen_backend;

const registered_ctr_selection_runner<E, m::FM<E>> fm_selection{};
const registered_ctr_selection_runner<E, m::WideDeep<E>> wd_selection{};
const registered_ctr_selection_runner<E, m::DeepFM<E>> deepfm_selection{};
const registered_ctr_selection_runner<E, m::DCN<E>> dcn_selection{};
const registered_ctr_selection_runner<E, m::IPNN<E>> ipnn_selection{};

}  // namespace
}  // namespace denoise_cli
