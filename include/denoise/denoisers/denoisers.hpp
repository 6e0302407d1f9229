// Umbrella header of denoise/denoisers: in-training denoising policies.
#pragma once

#include "drop_schedule.hpp"
#include "inverse_frequency.hpp"
#include "none.hpp"
#include "reweighted_loss.hpp"
#include "static_checks.hpp"
#include "truncated_loss.hpp"
