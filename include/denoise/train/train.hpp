// Umbrella header of denoise/train: the Trainer, its Batcher and Evaluator policies, the contexts
// a Method sees at each level, the Selector driver, callbacks and checkpoints.
#pragma once

#include "batch.hpp"
#include "batch_context.hpp"
#include "batchers/batchers.hpp"
#include "callbacks/early_stopping.hpp"
#include "callbacks/epoch_log.hpp"
#include "callbacks/periodic_selection.hpp"
#include "callbacks/progress.hpp"
#include "checkpoint.hpp"
#include "epoch_context.hpp"
#include "evaluators/evaluators.hpp"
#include "options.hpp"
#include "selection_context.hpp"
#include "selector_checks.hpp"
#include "step_context.hpp"
#include "trainer.hpp"
