// Loading and splitting, compiled once (no model, no backend).
#include "prepared_data.hpp"

#include <denoise/data/implicit.hpp>
#include <denoise/data/movielens.hpp>
#include <denoise/data/synthetic.hpp>

namespace denoise_cli {

prepared_data prepare_data(const experiment_config& config) {
  namespace data = denoise::data;
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
  if (d.kind != data_kind::synthetic && out.all.has_ratings()) {
    data::make_implicit(out.all, data::ImplicitOptions{d.noisy_below});
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
                     " users, " + std::to_string(out.n_items()) + " items; train " +
                     std::to_string(out.split.train.size()) + " (" + std::to_string(noisy) +
                     " noisy), clean validation " + std::to_string(out.validation_clean.size()) + ", clean test " +
                     std::to_string(out.test_clean.size());
  return out;
}

}  // namespace denoise_cli
