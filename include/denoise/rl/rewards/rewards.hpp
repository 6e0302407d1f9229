// Reward policies: per batch (LossImprovement, over a loss_history) and per epoch
// (ValidationMetric). See docs/policies/reward.md.
#pragma once

#include "../timing.hpp"
#include "loss_history.hpp"
#include "loss_improvement.hpp"
#include "validation_metric.hpp"
