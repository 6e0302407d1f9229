// Umbrella header of denoise/train: the Trainer, its callbacks and checkpoints.
#pragma once

#include "batch_context.hpp"
#include "callbacks/early_stopping.hpp"
#include "callbacks/epoch_log.hpp"
#include "callbacks/progress.hpp"
#include "checkpoint.hpp"
#include "options.hpp"
#include "trainer.hpp"
