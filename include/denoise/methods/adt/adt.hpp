// ADT: "Denoising Implicit Feedback for Recommendation", Wang et al., WSDM 2021. Two weighting
// methods: T-CE drops the largest-loss positives on a rising schedule (TruncatedLoss<DropSchedule>),
// R-CE down-weights hard positives by ŷ^β (ReweightedLoss).
#pragma once

#include "drop_schedule.hpp"
#include "reweighted_loss.hpp"
#include "truncated_loss.hpp"
