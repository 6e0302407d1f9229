// ctr_selection_runner<Model, Backend>: `--methods autodenoise` in the ctr family (issue 13's CLI).
// AutoDenoise owns its training: methods::AutoDenoiseSelection searches a subset of the training
// rows with the backbone (warm-up, T searching epochs, a validation phase after each, the subset of
// the best VALIDATION result kept: selection by test is not offered here), then the backbone is
// retrained from the run's model seed on that subset with early stopping on validation auc, and
// tested once. The run's history is that retraining's; its method_report lists every searching
// epoch (subset size, kept share per label, mean reward, retrained validation auc, share of
// flagged-noisy rows among the dropped) and the chosen one.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/methods/autodenoise_selection/autodenoise_selection.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

#include "autodenoise_selection_settings.hpp"
#include "ctr_runner.hpp"

namespace denoise_cli {

/// "FILE.csv" -> "FILE_rows.csv" (FILE_rows when there is no extension).
inline std::string subset_rows_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "_rows";
  return path.substr(0, dot) + "_rows" + path.substr(dot);
}

template <class Model, class Backend>
class ctr_selection_runner final : public ctr_runner_base {
 public:
  method_run run(const ctr_settings& s, const experiment_config& c, const ctr_data& d, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    namespace m = denoise::methods;
    const autodenoise_selection_settings& settings = *method.autodenoise_selection();
    const auto& rows = d.split.train;
    const std::uint64_t model_seed = denoise::random::derive_seed(seed, "model");
    Model model(rows.cardinalities(), ctr_model_options(s), model_seed);
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = trainer_options_from(c, seed);
    const denoise::nn::adam_options adam = adam_from(c);
    train::evaluators::classification_target validation, test;
    validation.fields = &d.split.validation;
    test.fields = &d.split.test;
    train::field_selection_context<Model> context(model, rows, &validation, o, denoise::nn::Adam<Backend>(adam));

    m::instance_selection_options options = settings.options;
    options.retrain_epochs = c.epochs;
    options.retrain_patience = c.patience;
    options.monitor = c.monitor;
    typename m::AutoDenoiseSelection::template State<Backend> state(m::AutoDenoiseSelection(options), seed);
    state.on_epoch([&](const m::search_epoch_record& r) {  // progress per phase
      std::fprintf(stderr, "  autodenoise seed %llu search epoch %zu/%zu: kept %zu of %zu rows, retrained validation "
                           "%s %.4f (%.1f s search, %.1f s validation)\n",
                   static_cast<unsigned long long>(seed), r.epoch, options.searching_epochs, r.kept, rows.size(),
                   c.monitor.c_str(), r.validation, r.search_seconds, r.validation_seconds);
    });
    const std::vector<denoise::offset_t> subset = train::select<m::AutoDenoiseSelection>(state, context);

    method_run out;
    out.method = method_name;
    out.seed = seed;
    out.fit = context.retrain(subset, model_seed, c.monitor, c.patience, c.epochs);
    out.test = context.evaluate(test).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!settings.subset_path.empty() && seed == c.seeds.front()) {
      denoise::data::write_subset_csv(subset, settings.subset_path);
      m::write_subset_rows_csv(rows, subset, subset_rows_path(settings.subset_path));
    }
    const std::vector<m::search_epoch_record> history = state.history();
    const std::size_t best = state.best_epoch(), kept = subset.size(), total = rows.size();
    out.write_report = [history, best, kept, total](denoise::json_writer& w) {
      w.field("best_search_epoch", best).field("kept", kept).field("rows", total);
      w.key("search_epochs").begin_array();
      for (const auto& r : history) {
        w.begin_object()
            .field("epoch", r.epoch)
            .field("kept", r.kept)
            .field("kept_positive_share", r.kept_positive_share)
            .field("kept_negative_share", r.kept_negative_share)
            .field("mean_reward", r.mean_reward)
            .field("selected_share", r.selected_share)
            .field("retrain_epochs", r.retrain_epochs)
            .field("validation", r.validation)
            .field("validation_logloss", r.validation_logloss)
            .field("dropped_noisy_share", r.dropped_noisy_share)
            .field("search_seconds", r.search_seconds)
            .field("validation_seconds", r.validation_seconds)
            .end_object();
      }
      w.end_array();
    };
    // --plot: <prefix>_autodenoise_report.svg, the retrained validation auc and the kept share of
    // each label per searching epoch.
    out.figure = [history, monitor = c.monitor]() {
      method_figure f{"AutoDenoise: retrained validation " + monitor + " and kept share per label, per searching epoch",
                      "searching epoch", "value", {}};
      plot_series retrained{"validation " + monitor + " (retrained)", {}, {}};
      plot_series positives{"kept share of label-1 rows", {}, {}}, negatives{"kept share of label-0 rows", {}, {}};
      for (const auto& r : history) {
        const double x = static_cast<double>(r.epoch);
        retrained.x.push_back(x), retrained.y.push_back(r.validation);
        positives.x.push_back(x), positives.y.push_back(r.kept_positive_share);
        negatives.x.push_back(x), negatives.y.push_back(r.kept_negative_share);
      }
      f.lines = {retrained, positives, negatives};
      return f;
    };
    return out;
  }
};

/// Registers ctr_selection_runner<Model, Backend> beside the model's weighting runner.
template <class Backend, class Model>
struct registered_ctr_selection_runner {
  registered_ctr_selection_runner() {
    register_ctr_runner(std::string(Model::name()) + "/autodenoise", Backend::name(),
                        std::make_unique<ctr_selection_runner<Model, Backend>>());
  }
};

}  // namespace denoise_cli
