// Umbrella header of denoise/nn: layers, initialisers, the parameter interface (snapshot,
// virtual step, JVP), optimizers and gradient checks. Eigen-free: nvcc units may include it.
#pragma once

#include "activation.hpp"
#include "dense.hpp"
#include "dropout.hpp"
#include "embedding.hpp"
#include "gradient_check.hpp"
#include "init.hpp"
#include "jvp.hpp"
#include "mlp.hpp"
#include "optim/adam.hpp"
#include "optim/sgd.hpp"
#include "parameter.hpp"
#include "relu.hpp"
#include "sigmoid.hpp"
#include "snapshot.hpp"
#include "softplus.hpp"
#include "tanh.hpp"
#include "virtual_step.hpp"
