// Reading the interactions of --data (see load_interactions.hpp), compiled once.
#include "load_interactions.hpp"

#include <denoise/core/error.hpp>
#include <denoise/data/movielens.hpp>
#include <denoise/data/synthetic.hpp>

namespace denoise_cli {

loaded_interactions load_interactions(const data_config& d) {
  namespace data = denoise::data;
  loaded_interactions out;
  switch (d.kind) {
    case data_kind::synthetic:
      out.all = data::make_synthetic(d.synthetic).interactions;
      out.description = "synthetic planted-noise data (seed " + std::to_string(d.synthetic.seed) + ")";
      return out;
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
    default:
      throw denoise::config_error("not a file of interactions", denoise::location::of_field("--data"));
  }
  try {
    out.all = data::resolve_duplicates(out.all, d.duplicates, &out.duplicates, d.path);
  } catch (const denoise::input_error& e) {
    throw denoise::input_error(e.reason() + " with --duplicates first|last|sum", denoise::location::in_file(d.path));
  }
  if (out.duplicates.removed > 0)
    out.description += " (" + std::to_string(out.duplicates.removed) + " repeated rows of " +
                       std::to_string(out.duplicates.pairs) + " pairs " +
                       (d.duplicates == data::DuplicatePolicy::sum ? "summed" : "removed") + ")";
  return out;
}

}  // namespace denoise_cli
