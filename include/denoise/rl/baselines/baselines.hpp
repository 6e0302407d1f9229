// Baseline policies for REINFORCE: the b of the advantage R - b. See docs/policies/baseline.md.
#pragma once

#include "moving_average.hpp"
#include "no_baseline.hpp"
