// Umbrella header of the Evaluator policies (see docs/policies/evaluator.md).
#pragma once

#include "classification.hpp"
#include "ranking.hpp"
#include "sequence_ranking.hpp"
#include "static_checks.hpp"
