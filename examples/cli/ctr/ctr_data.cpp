// The ctr family's data (ctr_data.hpp).
#include "ctr_data.hpp"

#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/ctr_csv.hpp>
#include <denoise/data/movielens_ctr.hpp>

#include "../../quickstart/planted_fields.hpp"

namespace denoise_cli {
namespace {

bool readable(const std::string& path) { return std::ifstream(path).good(); }

std::vector<std::string> comma_split(const std::string& s) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

std::string rate(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", v);
  return buffer;
}

std::string part(const char* name, const denoise::data::FieldDataset& d) {
  std::string out = std::string(name) + " " + std::to_string(d.size()) + " rows (positive rate " + rate(d.positive_rate());
  const auto noisy = d.noisy();
  if (!noisy.empty()) {
    std::size_t n = 0;
    for (auto f : noisy) n += f ? 1u : 0u;
    out += ", " + std::to_string(n) + " flagged noisy";
  }
  return out + ")";
}

// The fraction of the ratios train : validation : test.
std::pair<double, double> fractions(const experiment_config& c) {
  const double total = c.ratios.train + c.ratios.validation + c.ratios.test;
  if (!(c.ratios.train > 0.0 && c.ratios.validation > 0.0 && c.ratios.test > 0.0 && total > 0.0))
    throw denoise::config_error("train, validation and test must each be positive (AUC needs rows in each)",
                                denoise::location::of_field("--ratios"));
  return {c.ratios.train / total, c.ratios.validation / total};
}

}  // namespace

denoise::data::FieldDataset flip_labels(const denoise::data::FieldDataset& rows, double rate, std::uint64_t seed) {
  denoise::data::FieldDataset out(rows.field_names(), rows.cardinalities());
  out.reserve(rows.size());
  const denoise::random::counter_stream stream(denoise::random::derive_seed(seed, "ctr_label_flips"));
  std::vector<std::uint8_t> flipped(rows.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto id = rows.instances()[r];
    const bool flip = stream.uniform<double>(static_cast<std::uint64_t>(id)) < rate;
    const float label = rows.labels()[r];
    out.push_back_with_instance(rows.row(r), flip ? 1.0f - label : label, id);
    flipped[r] = flip ? 1 : 0;
  }
  out.set_noisy(std::move(flipped));
  return out;
}

ctr_data prepare_ctr_data(const experiment_config& c, const ctr_settings& s, std::uint64_t split_seed) {
  namespace data = denoise::data;
  ctr_data out;
  std::string source;
  if (c.data.kind == data_kind::ctr_files) {
    const auto paths = comma_split(c.data.path);
    if (paths.size() != 3)
      throw denoise::config_error("autodenoise-csv needs three files TRAIN,VALID,TEST (got " +
                                      std::to_string(paths.size()) + ")",
                                  denoise::location::of_field("--data"));
    auto parts = data::read_autodenoise_csv(paths, s.csv_fields);
    out.split.train = std::move(parts[0]);
    out.split.validation = std::move(parts[1]);
    out.split.test = std::move(parts[2]);
    source = "AutoDenoise CSV files (the files are the split)";
  } else {
    data::FieldDataset rows;
    if (c.data.kind == data_kind::synthetic) {
      rows = planted_fields(s.synthetic_rows);
      source = "planted-signal fields";
    } else if (c.data.kind == data_kind::movielens_ctr) {
      if (readable(c.data.path + "/u.data")) {
        rows = data::load_movielens_100k_ctr_fields(c.data.path);
        source = "MovieLens-100K CTR (" + c.data.path + ")";
      } else if (readable(c.data.path + "/ratings.dat")) {
        rows = data::load_movielens_1m_ctr_fields(c.data.path);
        source = "MovieLens-1M CTR (" + c.data.path + ")";
      } else {
        throw denoise::config_error("'" + c.data.path + "' holds neither u.data (ml-100k) nor ratings.dat (ML-1M)",
                                    denoise::location::of_field("--data"));
      }
      // The loader flags every low-rated row, which here is a label-0 row, not a noisy one: the
      // CTR encoding has no ground-truth noise [ours], so no drop metrics are reported on it.
      rows.set_noisy({});
    } else if (c.data.kind == data_kind::delimited) {
      data::field_csv_options options;
      options.fields = s.field_columns;
      options.label = s.label_column;
      options.delimiter = c.data.read.delimiter;
      rows = data::read_field_csv(c.data.path, options);
      source = "CSV " + c.data.path;
    } else {
      throw denoise::config_error("--task ctr does not read this source", denoise::location::of_field("--data"));
    }
    const auto [train, validation] = fractions(c);
    out.split = data::split_fields(rows, split_seed, train, validation);
    if (c.data.kind == data_kind::synthetic && c.data.synthetic.noise_rate > 0.0) {
      out.split.train = flip_labels(out.split.train, c.data.synthetic.noise_rate, c.data.synthetic.seed);
      source += ", " + rate(c.data.synthetic.noise_rate) + " of the training labels flipped";
    }
  }
  for (const auto* p : {&out.split.train, &out.split.validation, &out.split.test}) {
    if (p->empty()) {
      const char* which = p == &out.split.train ? "training" : p == &out.split.validation ? "validation" : "test";
      throw denoise::config_error(std::string("the ") + which + " set is empty",
                                  denoise::location::of_field(c.given_split() ? "--data" : "--ratios"));
    }
  }
  const auto& t = out.split.train;
  std::string fields;
  for (std::size_t f = 0; f < t.n_fields(); ++f)
    fields += (f == 0 ? "" : ", ") + t.field_name(f) + " " + std::to_string(t.cardinality(f));
  out.description_text = source + "; " + std::to_string(t.n_fields()) + " fields (" + fields + "); " +
                         part("train", t) + ", " + part("validation", out.split.validation) + ", " +
                         part("test", out.split.test);
  return out;
}

}  // namespace denoise_cli
