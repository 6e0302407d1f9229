// The pairs family's data: loading, implicit conversion and splitting, compiled once (no model, no
// backend).
#include "prepared_data.hpp"

#include <denoise/core/error.hpp>
#include <denoise/data/implicit.hpp>
#include <denoise/data/split_files.hpp>
#include <utility>

#include "../harness/load_interactions.hpp"

namespace denoise_cli {
namespace {

std::size_t users_with_rows(const denoise::data::CsrIndex& rows) {
  std::size_t n = 0;
  for (std::size_t u = 0; u < rows.rows(); ++u) n += rows.row_size(u) > 0 ? 1u : 0u;
  return n;
}

/// An evaluation part without a single user would average over nobody and print 0.0000 (or NaN)
/// as if it were a result; refuse it before training, naming the flag that most likely emptied it.
void require_users(const experiment_config& c, const char* part, std::size_t users, std::size_t rows,
                   std::size_t clean_rows) {
  if (users > 0) return;
  std::string flag, why;
  if (c.given_split()) {
    flag = "--data";
    why = "the " + std::string(part) + " file has no row of a user who could be ranked";
  } else if (rows > 0 && clean_rows == 0) {
    flag = "--noisy-below";
    why = "all " + std::to_string(rows) + " " + part + " rows are noisy (rating below the threshold), so no user " +
          "has a clean positive to rank";
  } else {
    flag = c.split == split_kind::leave_last ? "--leave-last" : "--ratios";
    why = "the " + std::string(part) + " set is empty (" + std::to_string(rows) +
          " rows after the split; a user's only interaction stays in train, and rows of users or items " +
          "unseen in train are dropped)";
  }
  throw denoise::config_error(why + "; there is nothing to evaluate", denoise::location::of_field(flag));
}

void prepare_given_split(const experiment_config& config, prepared_data& out) {
  namespace data = denoise::data;
  data::SplitFileOptions options;
  options.ids = data::IdLayout::raw;  // SGDL's table sizes: every id up to the largest is ranked
  data::SplitFileReport report;
  out.split = data::load_sgdl_split(config.data.path, "", options, &report);
  out.load = report.train;
  out.all = out.split.train;  // shares the id maps: n_users() / n_items() are the split's universe
  out.given_split = true;
  out.validation_holdout = denoise::metrics::holdout_target::validation(out.split);
  out.test_holdout = denoise::metrics::holdout_target::test(out.split);
  out.train_by_user = out.split.train.by_user();
  out.validation_clean = data::clean_view(out.split.validation);
  out.test_clean = data::clean_view(out.split.test);
  const std::size_t valid_users = out.validation_holdout.users_evaluated(),
                    test_users = out.test_holdout.users_evaluated();
  require_users(config, "validation", valid_users, out.split.validation.size(), out.validation_clean.size());
  require_users(config, "test", test_users, out.split.test.size(), out.test_clean.size());
  out.description_text = "split " + config.data.path + ": " + std::to_string(out.n_users()) + " users, " +
                    std::to_string(out.n_items()) + " item ids; train " + std::to_string(out.split.train.size()) +
                    " (" + std::to_string(report.noisy_train) + " noisy), validation " +
                    std::to_string(out.split.validation.size()) + " (" + std::to_string(report.noisy_validation) +
                    " noisy, all relevant), test " + std::to_string(out.split.test.size()) + " (" +
                    std::to_string(report.noisy_test) + " noisy); " + std::to_string(valid_users) + " / " +
                    std::to_string(test_users) + " users evaluated";
}

/// A cut-off beyond the catalogue would rank items that do not exist.
void check_cutoffs(const experiment_config& c, const prepared_data& d) {
  for (int k : c.ks) {
    if (static_cast<denoise::index_t>(k) > d.n_items())
      throw denoise::config_error("cut-off " + std::to_string(k) + " exceeds the " + std::to_string(d.n_items()) +
                                      " items of the data",
                                  denoise::location::of_field("--k"));
  }
}

}  // namespace

prepared_data prepare_data(const experiment_config& config, std::uint64_t split_seed) {
  namespace data = denoise::data;
  prepared_data out;
  const data_config& d = config.data;
  if (d.kind == data_kind::split_files) {
    prepare_given_split(config, out);
    check_cutoffs(config, out);
    return out;
  }
  loaded_interactions loaded = load_interactions(d);
  out.all = std::move(loaded.all);
  out.load = loaded.load;
  out.duplicates = loaded.duplicates;
  out.description_text = std::move(loaded.description);
  if (d.kind != data_kind::synthetic && out.all.has_ratings()) {
    data::make_implicit(out.all, data::ImplicitOptions{d.noisy_below});
  }
  switch (config.split) {
    case split_kind::random: out.split = data::random_split(out.all, split_seed, config.ratios); break;
    case split_kind::chronological: out.split = data::chronological_split(out.all, config.ratios); break;
    case split_kind::leave_last: out.split = data::leave_last_k(out.all, config.leave_last, config.leave_last); break;
  }
  out.validation_clean = data::clean_view(out.split.validation);
  out.test_clean = data::clean_view(out.split.test);
  out.train_by_user = out.split.train.by_user();
  out.validation_by_user = out.validation_clean.by_user();
  out.test_by_user = out.test_clean.by_user();
  out.test_holdout = denoise::metrics::holdout_target::build({&out.split.train, &out.split.validation}, out.split.test,
                                                             denoise::metrics::relevance::clean_only, "test");
  require_users(config, "validation", users_with_rows(out.validation_by_user), out.split.validation.size(),
                out.validation_clean.size());
  require_users(config, "test", users_with_rows(out.test_by_user), out.split.test.size(), out.test_clean.size());
  const std::size_t noisy = data::count_noisy(out.split.train);
  out.description_text += ": " + std::to_string(out.all.size()) + " interactions, " + std::to_string(out.n_users()) +
                     " users, " + std::to_string(out.n_items()) + " items; train " +
                     std::to_string(out.split.train.size()) + " (" + std::to_string(noisy) +
                     " noisy), clean validation " + std::to_string(out.validation_clean.size()) + ", clean test " +
                     std::to_string(out.test_clean.size());
  check_cutoffs(config, out);
  return out;
}

}  // namespace denoise_cli
