// Umbrella header of AutoDenoise by deep-RL instance selection (Lin et al., WWW'23): the policy
// network Θ, the options, the code profile's epsilon-greedy choice, the dataset-level Selector and
// the subset export. See docs/autodenoise_selection.md.
#pragma once

#include "epsilon_greedy.hpp"
#include "instance_selection.hpp"
#include "instance_selection_options.hpp"
#include "policy_network.hpp"
#include "subset_export.hpp"
