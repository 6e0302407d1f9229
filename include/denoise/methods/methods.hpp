// Umbrella header of denoise/methods: one folder per paper (adt/, ...), heuristic baselines, and
// methods::None (plain training). See docs/policies/method.md for the extension levels.
#pragma once

#include "adt/adt.hpp"
#include "heuristic/heuristic.hpp"
#include "none.hpp"
#include "static_checks.hpp"
#include "step_function.hpp"
