// Umbrella header of the CTR backbones (pytorch-fm shapes): FM, Wide&Deep, DeepFM, DCN, IPNN.
#pragma once

#include "dcn.hpp"
#include "deep_fm.hpp"
#include "fm.hpp"
#include "ipnn.hpp"
#include "wide_deep.hpp"
