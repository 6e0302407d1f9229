// Umbrella header of denoise/data: containers, loaders, splits, samplers, batchers, the synthetic
// planted-noise generator, CTR encoding, CSV/.npy exchange, and three-file splits (SGDL).
#pragma once

#include "alias_table.hpp"
#include "../core/atomic_file.hpp"
#include "batch.hpp"
#include "batcher.hpp"
#include "csr_index.hpp"
#include "delimited_reader.hpp"
#include "exchange.hpp"
#include "id_map.hpp"
#include "implicit.hpp"
#include "interactions.hpp"
#include "label_encoder.hpp"
#include "movielens.hpp"
#include "movielens_ctr.hpp"
#include "negative_batcher.hpp"
#include "popularity_negative_sampler.hpp"
#include "split.hpp"
#include "split_files.hpp"
#include "synthetic.hpp"
#include "uniform_negative_sampler.hpp"
