// Umbrella header of denoise/losses: per-sample losses with their gradients.
#pragma once

#include "bce.hpp"
#include "bpr.hpp"
#include "layout.hpp"
#include "sampled_softmax.hpp"
#include "static_checks.hpp"
