// denoise: training recommender models on noisy implicit feedback.
// The umbrella header; include a folder's own umbrella header (denoise/train/train.hpp, ...) to
// pull in less. Under nvcc only the device-capable parts are included (no Eigen, no host I/O).
#pragma once

#if !defined(_MSC_VER) && __cplusplus < 201703L
#error "denoise needs C++17 or newer: compile with -std=c++17 (or target_link_libraries(... denoise::denoise), which requests it)"
#elif defined(_MSC_VER) && _MSVC_LANG < 201703L
#error "denoise needs C++17 or newer: compile with /std:c++17"
#endif

#include "core/core.hpp"

#include "backends/static_checks.hpp"
#if defined(DENOISE_THRUST_SYSTEM_CPP) || defined(DENOISE_THRUST_SYSTEM_OMP) || defined(DENOISE_THRUST_SYSTEM_CUDA)
#include "backends/thrust.hpp"  // linked through denoise::thrust
#endif
#include "losses/losses.hpp"
#include "models/models.hpp"
#include "nn/nn.hpp"
#include "rl/rl.hpp"

#if !defined(__CUDACC__)
#include "backends/eigen.hpp"
#include "data/data.hpp"
#include "methods/methods.hpp"
#include "metrics/metrics.hpp"
#include "train/train.hpp"
#endif
