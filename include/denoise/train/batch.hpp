// train::batch<B, Input>: one mini-batch as the training step sees it. `input` is what the model
// consumes (data::pair_batch for pair models; field rows and item sequences for the CTR and
// sequential families); the labels and the loss layout sit beside it, and the host-side instance
// ids say which training interaction each row is (the ground-truth noise flag is never here).
// A batcher refills it in place, so steady-state batching allocates nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "../core/types.hpp"
#include "../losses/layout.hpp"

namespace denoise {
namespace train {

template <class B, class Input>
struct batch {
  using backend = B;
  using input_type = Input;

  Input input;                     ///< the model's input, on the backend
  typename B::vector labels;       ///< one label per row (logit): 1 observed / clicked, 0 otherwise
  losses::layout layout;           ///< how rows group into (positive + its negatives), or groups of 1
  std::vector<offset_t> instance;  ///< host: stable instance id of each row; -1 for sampled negatives
  std::vector<index_t> item;       ///< host: the item of each row for pair inputs (empty otherwise)

  std::size_t rows() const noexcept { return input.size(); }
};

}  // namespace train
}  // namespace denoise
