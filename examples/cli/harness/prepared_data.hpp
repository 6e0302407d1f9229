// The data an experiment_config names, loaded and split once for every method and seed:
// implicit conversion with ground-truth noise flags, the split, and clean validation/test views
// (true positives only) as CSR rows per user.
#pragma once

#include <string>

#include <denoise/core/types.hpp>
#include <denoise/data/csr_index.hpp>
#include <denoise/data/interactions.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/split.hpp>
#include <denoise/train/options.hpp>

#include "experiment_config.hpp"

namespace denoise_cli {

struct prepared_data {
  denoise::data::Interactions all;  ///< every interaction after implicit conversion (noise flags kept)
  denoise::data::Split split;
  denoise::data::Interactions validation_clean, test_clean;
  denoise::data::CsrIndex train_by_user, validation_by_user, test_by_user;
  denoise::data::LoadReport load;
  std::string description;  ///< one line: source, counts, noise share

  denoise::train::ranking_target validation_target() const { return {train_by_user.view(), validation_by_user.view()}; }
  denoise::train::ranking_target test_target() const { return {train_by_user.view(), test_by_user.view()}; }
  denoise::index_t n_users() const { return all.n_users(); }
  denoise::index_t n_items() const { return all.n_items(); }
};

/// Loads, converts and splits the data (prepared_data.cpp).
prepared_data prepare_data(const experiment_config& config);

}  // namespace denoise_cli
