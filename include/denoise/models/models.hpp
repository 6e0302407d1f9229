// Umbrella header of denoise/models: the collaborative-filtering models and the Model policy
// check. Eigen-free: nvcc units may include it. See docs/policies/model.md.
#pragma once

#include "cdae.hpp"
#include "gmf.hpp"
#include "lightgcn.hpp"
#include "mf.hpp"
#include "neumf.hpp"
#include "ngcf.hpp"
#include "static_checks.hpp"
