// Reading the interactions --data names (the built-in synthetic data, MovieLens, a delimited
// file), with the --duplicates policy applied: what the pairs and the seq families both start from
// before converting and splitting in their own ways.
#pragma once

#include <string>

#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/duplicates.hpp>
#include <denoise/data/interactions.hpp>

#include "experiment_config.hpp"

namespace denoise_cli {

struct loaded_interactions {
  denoise::data::Interactions all;            ///< as read: ratings (and timestamps) kept
  denoise::data::LoadReport load;
  denoise::data::DuplicateReport duplicates;  ///< repeated (user, item) rows and what was done
  std::string description;                    ///< the source, and the repeated rows if any
};

/// Reads synthetic, ml-100k, ml-dat or csv data; any other kind is a config_error naming --data.
loaded_interactions load_interactions(const data_config& d);

}  // namespace denoise_cli
