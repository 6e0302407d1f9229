// ctr_options: the shape of the CTR backbones (pytorch-fm's models, AutoDenoise's settings).
#pragma once

#include <vector>

#include "../../core/types.hpp"
#include "../../nn/init.hpp"

namespace denoise {
namespace models {

struct ctr_options {
  index_t embed_dim = 16;                   ///< embedding size of every field
  std::vector<index_t> mlp_dims{16, 16};    ///< hidden layers: Linear -> BatchNorm -> ReLU -> Dropout each
  double dropout = 0.2;                     ///< after each hidden ReLU (training mode only)
  index_t cross_layers = 3;                 ///< DCN only
  double batch_norm_momentum = 0.1;         ///< running statistics update, as PyTorch's BatchNorm1d
  nn::init::initializer embedding_init = nn::init::xavier_uniform();  ///< field embeddings (pytorch-fm)
  nn::init::initializer linear_init = nn::init::normal(0.0, 1.0);     ///< the width-1 linear term (torch default)
  nn::init::initializer mlp_init = nn::init::xavier_uniform();        ///< MLP and output weights (biases 0)
};

}  // namespace models
}  // namespace denoise
