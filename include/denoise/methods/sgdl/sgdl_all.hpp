// SGDL (Gao et al., SIGIR'22): the method and its parts. See docs/sgdl.md.
#pragma once

#include "gaussian_mixture.hpp"
#include "gumbel_softmax.hpp"
#include "loss_normalization.hpp"
#include "lstm_scheduler.hpp"
#include "memorization.hpp"
#include "mlp_scheduler.hpp"
#include "sgdl.hpp"
#include "sgdl_options.hpp"
#include "sgdl_report.hpp"
#include "top_f_scheduler.hpp"
#include "weighting_net.hpp"
