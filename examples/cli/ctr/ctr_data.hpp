// The ctr family's data (--task ctr): feature-field rows with 0/1 labels, loaded and split once for
// every method and seed.
//
// Sources: the built-in planted-signal fields (examples/quickstart/planted_fields.hpp) with a
// --noise-rate share of the TRAINING labels flipped (the flip is the ground-truth noise flag;
// validation and test keep the true labels, as the pairs family keeps them clean [ours]);
// MovieLens as AutoDenoise encodes it (movielens-ctr:DIR, ml-100k or ML-1M files); the public
// AutoDenoise CSV files (autodenoise-csv:TRAIN,VALID,TEST, the files are the split); a headed CSV
// with named field columns and a label column (csv:PATH). Every source but the given files is
// split at random (--ratios, 8:1:1 by default: AutoDenoise's 80/10/10) with the split seed.
#pragma once

#include <cstdint>
#include <string>

#include <denoise/data/field_dataset.hpp>
#include <denoise/data/field_split.hpp>

#include "../harness/experiment_config.hpp"
#include "../registry/task_registry.hpp"
#include "ctr_runner_base.hpp"

namespace denoise_cli {

struct ctr_data final : task_data {
  const std::string& description() const override { return description_text; }

  denoise::data::field_split split;  ///< train / validation / test rows, instance ids kept
  std::string description_text;      ///< source, fields with cardinalities, rows and positive rate per split
};

/// Loads and splits the data config.data names (ctr_data.cpp), the random split with `split_seed`.
ctr_data prepare_ctr_data(const experiment_config& config, const ctr_settings& settings, std::uint64_t split_seed);

/// The planted-signal rows with a `rate` share of their labels flipped (flip decided per instance id
/// from `seed`); the flipped rows carry noise flag 1.
denoise::data::FieldDataset flip_labels(const denoise::data::FieldDataset& rows, double rate, std::uint64_t seed);

}  // namespace denoise_cli
