// Umbrella header of denoise/metrics: ranking metrics over all items (Recall, Precision, F1, NDCG,
// HitRate @K), AUC and GAUC, LogLoss, denoising quality against ground-truth noise flags, and the
// validation/test ranking targets of a split (SGDL's protocol).
#pragma once

#include "auc.hpp"
#include "denoising_quality.hpp"
#include "holdout_target.hpp"
#include "log_loss.hpp"
#include "metric_value.hpp"
#include "ranking_evaluator.hpp"
#include "ranking_result.hpp"
#include "top_k.hpp"
