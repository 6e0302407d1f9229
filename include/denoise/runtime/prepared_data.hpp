// Loads and splits the data an experiment_config names, once, for every method and seed:
// implicit conversion with ground-truth noise flags, the split, and clean validation/test views
// (true positives only) as CSR rows per user.
#pragma once

#include <string>

#include "../data/csr_index.hpp"
#include "../data/delimited_reader.hpp"
#include "../data/implicit.hpp"
#include "../data/movielens.hpp"
#include "../data/split.hpp"
#include "../data/synthetic.hpp"
#include "../train/options.hpp"
#include "experiment_config.hpp"

namespace denoise {
namespace runtime {

struct prepared_data {
  data::Interactions all;  ///< every interaction after implicit conversion (noise flags kept)
  data::Split split;
  data::Interactions validation_clean, test_clean;
  data::CsrIndex train_by_user, validation_by_user, test_by_user;
  data::LoadReport load;
  std::string description;  ///< one line: source, counts, noise share

  train::ranking_target validation_target() const { return {train_by_user.view(), validation_by_user.view()}; }
  train::ranking_target test_target() const { return {train_by_user.view(), test_by_user.view()}; }
  index_t n_users() const { return all.n_users(); }
  index_t n_items() const { return all.n_items(); }
};

inline prepared_data prepare_data(const experiment_config& config) {
  prepared_data out;
  const data_config& d = config.data;
  switch (d.kind) {
    case data_kind::synthetic:
      out.all = data::make_synthetic(d.synthetic).interactions;
      out.description = "synthetic planted-noise data (seed " + std::to_string(d.synthetic.seed) + ")";
      break;
    case data_kind::movielens_100k:
      out.all = data::load_movielens_100k(d.path, &out.load);
      out.description = "MovieLens 100K " + d.path;
      break;
    case data_kind::movielens_dat:
      out.all = data::load_movielens_dat(d.path, &out.load);
      out.description = "MovieLens ratings.dat " + d.path;
      break;
    case data_kind::delimited:
      out.all = data::read_delimited(d.path, d.columns, d.read, &out.load);
      out.description = d.path;
      break;
  }
  if (d.kind != data_kind::synthetic) {
    if (out.all.has_ratings()) {
      data::make_implicit(out.all, data::ImplicitOptions{d.noisy_below});
    }
  }
  switch (config.split) {
    case split_kind::random: out.split = data::random_split(out.all, config.split_seed, config.ratios); break;
    case split_kind::chronological: out.split = data::chronological_split(out.all, config.ratios); break;
    case split_kind::leave_last: out.split = data::leave_last_k(out.all, config.leave_last, config.leave_last); break;
  }
  out.validation_clean = data::clean_view(out.split.validation);
  out.test_clean = data::clean_view(out.split.test);
  out.train_by_user = out.split.train.by_user();
  out.validation_by_user = out.validation_clean.by_user();
  out.test_by_user = out.test_clean.by_user();
  const std::size_t noisy = data::count_noisy(out.split.train);
  out.description += ": " + std::to_string(out.all.size()) + " interactions, " + std::to_string(out.n_users()) +
                     " users, " + std::to_string(out.n_items()) + " items; train " + std::to_string(out.split.train.size()) +
                     " (" + std::to_string(noisy) + " noisy), clean validation " +
                     std::to_string(out.validation_clean.size()) + ", clean test " + std::to_string(out.test_clean.size());
  return out;
}

}  // namespace runtime
}  // namespace denoise
