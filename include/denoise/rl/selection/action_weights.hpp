// action_weights<B>(actions, weights): the per-sample weight of each sampled action, weight = a.
// For a selection mask (Individual with 2 actions, TopK) that is 1 for a selected instance and 0
// otherwise; for the hard head of Ge et al.'s controller, actions {0, 1, 2} are delete, keep and
// duplicate (weights 0, 1, 2).
#pragma once

#include <cstddef>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace rl {

namespace detail {
template <class S>
struct action_to_weight {
  const index_t* actions;
  S* weights;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { weights[i] = static_cast<S>(actions[i]); }
};
}  // namespace detail

/// weights[i] = actions[i] (weights is resized to actions.size()).
template <class B>
void action_weights(const typename B::index_vector& actions, typename B::vector& weights) {
  if (weights.size() != actions.size()) weights.resize(actions.size());
  B::launch(actions.size(), detail::action_to_weight<typename B::scalar>{B::ptr(actions), B::ptr(weights)});
}

}  // namespace rl
}  // namespace denoise
