// Umbrella header of the Batcher policies (see docs/policies/batcher.md).
#pragma once

#include "labelled_pairs.hpp"
#include "negative_sampling.hpp"
#include "sequence_windows.hpp"
#include "static_checks.hpp"
