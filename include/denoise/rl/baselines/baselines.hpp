// Baseline policies for REINFORCE: the b of the advantage R - b. See docs/policies/baseline.md.
#pragma once

#include "baseline_for.hpp"
#include "moving_average.hpp"
#include "no_baseline.hpp"
