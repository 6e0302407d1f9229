// Umbrella header of denoise/methods: one folder per paper (adt/, ...), heuristic baselines, and
// methods::None (plain training). See docs/policies/method.md for the extension levels.
#pragma once

#include "adt/adt.hpp"
#include "autodenoise_controller/autodenoise_controller.hpp"
#include "autodenoise_selection/autodenoise_selection.hpp"
#include "heuristic/heuristic.hpp"
#include "none.hpp"
#include "sgdl/sgdl_all.hpp"
#include "static_checks.hpp"
#include "step_function.hpp"
