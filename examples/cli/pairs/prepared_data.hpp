// The pairs family's data (--task pairs): what an experiment_config names, loaded and split once
// for every method and seed:
// implicit conversion with ground-truth noise flags, the split, and clean validation/test views
// (true positives only) as CSR rows per user.
//
// A split given as files (--data split:DIR) follows SGDL's protocol instead: validation ranks all
// items but the user's training items and counts every validation row relevant, noisy or not (SGDL
// validates on its noisy split); test excludes the training and the validation items
// (metrics/holdout_target.hpp). Either way an evaluation set without a single user is an error
// naming the flag that emptied it, never a table of zeros.
#pragma once

#include <string>

#include <denoise/core/types.hpp>
#include <denoise/data/csr_index.hpp>
#include <denoise/data/interactions.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/split.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/train/options.hpp>

#include "../harness/experiment_config.hpp"
#include "../registry/task_registry.hpp"

namespace denoise_cli {

struct prepared_data final : task_data {
  const std::string& description() const override { return description_text; }

  denoise::data::Interactions all;  ///< every interaction after implicit conversion (noise flags kept)
  denoise::data::Split split;
  denoise::data::Interactions validation_clean, test_clean;
  denoise::data::CsrIndex train_by_user, validation_by_user, test_by_user;
  denoise::data::LoadReport load;
  denoise::data::DuplicateReport duplicates;  ///< repeated (user, item) rows of a data file and what was done
  std::string description_text;  ///< one line: source, counts, noise share
  bool given_split = false;  ///< --data split:DIR: the targets below replace the clean views
  denoise::metrics::holdout_target validation_holdout, test_holdout;

  denoise::train::ranking_target validation_target() const {
    if (given_split) return validation_holdout.target();
    return {train_by_user.view(), validation_by_user.view()};
  }
  /// Test ranks every item but the user's training and validation items (noisy ones too), as the
  /// ADT and SGDL reference code do; the clean test items are relevant.
  denoise::train::ranking_target test_target() const { return test_holdout.target(); }
  denoise::index_t n_users() const { return all.n_users(); }
  denoise::index_t n_items() const { return all.n_items(); }
};

/// Loads, converts and splits the data (prepared_data.cpp), the random split with `split_seed`.
prepared_data prepare_data(const experiment_config& config, std::uint64_t split_seed);
inline prepared_data prepare_data(const experiment_config& config) { return prepare_data(config, config.split_seed); }

}  // namespace denoise_cli
