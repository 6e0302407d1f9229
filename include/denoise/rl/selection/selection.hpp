// Selection policies (Individual, TopK), the soft Gaussian head and the action-to-weight helper.
// See docs/policies/selection.md.
#pragma once

#include "action_weights.hpp"
#include "gaussian_weight.hpp"
#include "individual.hpp"
#include "top_k.hpp"
