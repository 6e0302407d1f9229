// The reinforcement-learning building blocks of the AutoDenoise methods, as compile-time
// policies, one class per file:
//   rewards/    LossImprovement (per batch, over loss_history), ValidationMetric (per epoch)
//   baselines/  NoBaseline, MovingAverage
//   selection/  Individual, TopK, GaussianWeight (soft head), action_weights
//   reinforce.hpp     the REINFORCE estimator (score-function dlogits, gradient accumulation)
//   static_checks.hpp check_reward, check_baseline, check_selection
// No Eigen here: nvcc can compile every header of this folder.
#pragma once

#include "baselines/baselines.hpp"
#include "reinforce.hpp"
#include "rewards/rewards.hpp"
#include "selection/selection.hpp"
#include "static_checks.hpp"
#include "timing.hpp"
