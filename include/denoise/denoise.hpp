// denoise: training recommender models on noisy implicit feedback.
// The umbrella header; include a folder's own umbrella header to pull in less.
#pragma once

#if !defined(_MSC_VER) && __cplusplus < 201703L
#error "denoise needs C++17 or newer: compile with -std=c++17 (or target_link_libraries(... denoise::denoise), which requests it)"
#elif defined(_MSC_VER) && _MSVC_LANG < 201703L
#error "denoise needs C++17 or newer: compile with /std:c++17"
#endif

#include "core/core.hpp"
