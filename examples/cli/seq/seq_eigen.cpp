// The seq family on the Eigen backend: every model's runners, in one translation unit (the
// batcher, the evaluator and the optimizer are shared by its Trainer instantiations).
#include <denoise/backends/eigen.hpp>

#include "seq_runner.hpp"

namespace denoise_cli {
namespace {

namespace m = denoise::models;
using E = eigen_backend;

const registered_seq_runners<m::MFSoftmax<E>> mf{"mf"};
const registered_seq_runners<m::GRU4Rec<E>> gru4rec{"gru4rec"};
const registered_seq_runners<m::SASRec<E>> sasrec{"sasrec"};

}  // namespace
}  // namespace denoise_cli
