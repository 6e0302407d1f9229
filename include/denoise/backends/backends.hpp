// Umbrella header of denoise/backends: the Backend policies and their static checks.
// backends::Eigen is left out when nvcc compiles (Eigen stays out of CUDA translation units).
#pragma once

#include "static_checks.hpp"
#include "thrust.hpp"
#if !defined(__CUDACC__)
#include "eigen.hpp"
#endif
