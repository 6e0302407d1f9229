// Heuristic baselines that weight samples from data statistics alone (no learning).
#pragma once

#include "inverse_frequency.hpp"
