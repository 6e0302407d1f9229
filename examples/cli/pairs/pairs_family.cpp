// The "pairs" task family: user-item pair models (MF, GMF, NeuMF, CDAE) trained on positives with
// sampled negatives under BCE, BPR or sampled softmax, evaluated by full ranking. Registers --task
// pairs with its flags; the runners themselves come from the backend translation units.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <denoise/data/exchange.hpp>
#include <denoise/metrics/denoising_quality.hpp>

#include "pairs_outputs.hpp"
#include "prepared_data.hpp"
#include "../registry/task_registry.hpp"
#include "pairs_runner_base.hpp"

namespace denoise_cli {
namespace {

using runner_key = std::tuple<std::string, std::string, std::string, method_level>;  // model, loss, backend, level

std::map<runner_key, std::unique_ptr<pairs_runner_base>>& runners() {
  static std::map<runner_key, std::unique_ptr<pairs_runner_base>> map;
  return map;
}

std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class pairs_family final : public task_family {
 public:
  pairs_family(pairs_settings s, bool select_every, std::string export_split)
      : s_(std::move(s)), select_every_(select_every), export_split_(std::move(export_split)) {}

  std::string describe() const override {
    return "model " + s_.model + ", loss " + s_.loss + ", " + std::to_string(s_.negatives) + " negative(s)";
  }

  void check(const std::vector<selected_method>& selected) const override {
    for (const auto& [name, m] : selected) {
      m->check(pairs_method_use(s_));
      // Selection every N steps scores the plain weighting level only: sgdl selects in phase II on
      // its own schedule, and the controller's reward is every epoch's validation (its fresh
      // scoring states would also restart the controller's history).
      if (select_every_ && pairs_method_level(*m) != method_level::weighting) {
        throw denoise::config_error(
            "does not apply to " + name +
                (m->sgdl() != nullptr ? ", which selects in phase II on --monitor every --sgdl-eval-every epochs"
                                      : ", whose reward is the validation AUC of every epoch"),
            denoise::location::of_field("--select-every"));
      }
    }
  }

  void write_config(denoise::json_writer& out) const override {
    out.field("model", s_.model)
        .field("factor", static_cast<int>(s_.factor))
        .field("layers", static_cast<int>(s_.layers))
        .field("dropout", s_.dropout).field("hidden", static_cast<int>(s_.hidden)).field("corruption", s_.corruption)
        .field("node_dropout", s_.node_dropout).field("l2", s_.l2)
        .field("loss", s_.loss)
        .field("negatives", s_.negatives);
  }

  std::unique_ptr<task_data> prepare(const experiment_config& config, std::uint64_t split_seed) const override {
    return std::make_unique<prepared_data>(prepare_data(config, split_seed));
  }

  method_run run(const experiment_config& config, const task_data& td, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    const auto& data = static_cast<const prepared_data&>(td);  // made by prepare() above
    const bool sgdl = method.sgdl() != nullptr;
    const auto* runner = find_pairs_runner(s_.model, s_.loss, s_.backend, pairs_method_level(method));
    if (runner == nullptr)
      throw denoise::config_error("no " + s_.model + " x " + s_.loss + " runner" + (sgdl ? " for sgdl" : "") + " on " +
                                      s_.backend,
                                  denoise::location::of_field(sgdl ? "--loss" : "--model"));
    return runner->run(s_, config, data, method, method_name, seed);
  }

  // The ranking metrics of each cut-off (precision too under SGDL's protocol, which reports it),
  // then the drop precision/recall against the noise flags.
  std::vector<std::string> metric_names(const experiment_config& c) const override {
    std::vector<std::string> known;
    for (int k : c.ks)
      for (const char* m : {"recall@", "precision@", "f1@", "ndcg@", "hit_rate@"}) known.push_back(m + std::to_string(k));
    for (const auto& m : denoise::metrics::denoising_report{}.metrics()) known.push_back(m.name);
    return known;
  }
  std::vector<std::string> default_columns(const experiment_config& c) const override {
    std::vector<std::string> columns;
    for (int k : c.ks) {
      const std::string at = "@" + std::to_string(k);
      columns.push_back("recall" + at);
      if (c.given_split()) columns.push_back("precision" + at);
      columns.push_back("ndcg" + at);
    }
    columns.push_back("drop_precision");
    columns.push_back("drop_recall");
    return columns;
  }
  std::string table_notes(const experiment_config& c) const override {
    std::string notes = c.given_split()
                            ? "recall/precision/ndcg: the test file, all item ids ranked except the user's training and\n"
                              "validation items (SGDL's protocol). "
                            : "recall/ndcg: clean test set, all items ranked except the user's training and validation items. ";
    return notes + "drop_precision: share of\ndropped (weight 0) training positives that are truly noisy; drop_recall: "
                   "share of noisy ones dropped.";
  }

  void export_weights(const std::string& path, const method_run& run, const task_data& data) const override {
    export_pairs_weights(path, run, static_cast<const prepared_data&>(data));
  }
  std::vector<std::string> figure_names() const override { return {"loss"}; }
  std::vector<std::string> write_figures(const std::string& prefix, const method_run& run,
                                         const task_data& data) const override {
    return write_loss_figure(prefix, run, static_cast<const prepared_data&>(data));
  }

  // --export-split PREFIX: the first seed's split as three interactions CSV files (every row with
  // its dense ids, raw ids, rating and noise flag; data/exchange.hpp), so that another program --
  // the PyTorch twins of bench/ -- trains and evaluates on exactly the rows this run uses.
  std::vector<std::pair<std::string, std::string>> output_files() const override {
    if (export_split_.empty()) return {};
    std::vector<std::pair<std::string, std::string>> files;
    for (const char* part : {"_train.csv", "_validation.csv", "_test.csv"})
      files.emplace_back("--export-split", export_split_ + part);
    return files;
  }
  std::vector<std::string> export_data(const task_data& td) const override {
    const auto& d = static_cast<const prepared_data&>(td);
    const denoise::data::Interactions* parts[] = {&d.split.train, &d.split.validation, &d.split.test};
    std::vector<std::string> written;
    const auto files = output_files();
    for (std::size_t k = 0; k < files.size(); ++k) {
      denoise::data::write_csv(*parts[k], files[k].second);
      written.push_back(files[k].second);
    }
    return written;
  }

 private:
  pairs_settings s_;
  bool select_every_;         // --select-every given: the methods beyond the plain weighting level are refused
  std::string export_split_;  // --export-split PREFIX, or empty
};

std::unique_ptr<task_family> make_pairs(const flags& f, experiment_config& config) {
  pairs_settings s;
  s.model = f.text("--model", s.model);
  s.factor = f.integer_as<denoise::index_t>("--factor", s.factor, 1);
  s.layers = f.integer_as<denoise::index_t>("--layers", s.layers, 1);
  s.dropout = f.number("--dropout", s.dropout);
  s.hidden = f.integer_as<denoise::index_t>("--hidden", s.hidden, 1);
  s.corruption = f.number("--corruption", s.corruption);
  s.node_dropout = f.number("--node-dropout", s.node_dropout);
  s.l2 = f.number("--l2", s.l2);
  s.loss = f.text("--loss", s.loss);
  s.negatives = f.integer_as<std::size_t>("--negatives", s.negatives);

  const auto models = pairs_models(), losses = pairs_losses();
  if (std::find(models.begin(), models.end(), s.model) == models.end())
    flags::fail("--model", "unknown model '" + s.model + "' (" + comma_list(models) + ")");
  if (std::find(losses.begin(), losses.end(), s.loss) == losses.end())
    flags::fail("--loss", "unknown loss '" + s.loss + "' (" + comma_list(losses) + ")");
  // A model setting given to a model that does not read it is refused: silently ignoring it
  // would let a run report settings it never used.
  static const std::vector<std::pair<const char*, std::vector<std::string>>> readers = {
      {"--factor", {"mf", "gmf", "neumf", "lightgcn", "ngcf"}},
      {"--layers", {"neumf", "lightgcn", "ngcf"}},
      {"--dropout", {"neumf", "ngcf"}},
      {"--hidden", {"cdae"}},
      {"--corruption", {"cdae"}},
      {"--node-dropout", {"ngcf"}},
      {"--l2", {"lightgcn", "ngcf"}}};
  for (const auto& r : readers) {
    if (f.has(r.first) && std::find(r.second.begin(), r.second.end(), s.model) == r.second.end())
      flags::fail(r.first, "does not apply to --model " + s.model + " (it sets " + comma_list(r.second) + ")");
  }
  if ((s.loss == "bpr" || s.loss == "softmax") && s.negatives == 0)
    flags::fail("--negatives", s.loss + " needs at least one negative");
  if (!(s.dropout >= 0.0 && s.dropout < 1.0)) flags::fail("--dropout", "must be in [0, 1)");
  if (!(s.corruption >= 0.0 && s.corruption < 1.0)) flags::fail("--corruption", "must be in [0, 1)");
  if (!(s.node_dropout >= 0.0 && s.node_dropout < 1.0)) flags::fail("--node-dropout", "must be in [0, 1)");
  if (!(s.l2 >= 0.0)) flags::fail("--l2", "must be >= 0");
  std::string export_split;
  if (f.has("--export-split")) {
    export_split = f.text("--export-split", "");
    if (export_split.empty()) flags::fail("--export-split", "needs a file prefix");
    if (config.split_per_seed)
      flags::fail("--export-split", "writes one split; --split-seed per-seed makes one per seed");
  }
  return std::make_unique<pairs_family>(std::move(s), config.select_every > 0, std::move(export_split));
}

const task_registrar pairs_registration{{
    "pairs",
    "user-item pairs with sampled negatives, ranked over all items",
    "model and loss (--task pairs)",
    {{"--model", "M", "mf | gmf (default) | neumf | cdae | lightgcn | ngcf"},
     {"--factor", "N", "embedding size (default 32; the graph papers use 64)"},
     {"--layers", "N", "NeuMF MLP layers, LightGCN/NGCF propagation layers (default 3)"},
     {"--dropout", "P", "NeuMF tower dropout, NGCF message dropout (default 0)"},
     {"--node-dropout", "P", "NGCF node dropout (default 0)"},
     {"--l2", "X", "LightGCN/NGCF batch L2 (default 0; LightGCN's paper 1e-4)"},
     {"--hidden", "N", "CDAE hidden units (default 200)"},
     {"--corruption", "P", "CDAE corruption (default 0.5)"},
     {"--loss", "L", "bce (default) | bpr | softmax"},
     {"--negatives", "K", "sampled negatives per positive (default 1)"},
     {"--export-split", "PREFIX", "write the split as PREFIX_train.csv, _validation.csv, _test.csv\n"
                                  "(interactions CSV with ids, ratings and noise flags; docs/data.md)"}},
    {"synthetic", "ml-100k", "ml-dat", "csv", "split"},
    &make_pairs,
}};

}  // namespace

void register_pairs_runner(const std::string& model, const std::string& loss, const std::string& backend,
                           method_level level, std::unique_ptr<pairs_runner_base> runner) {
  runners()[runner_key{model, loss, backend, level}] = std::move(runner);
}

const pairs_runner_base* find_pairs_runner(const std::string& model, const std::string& loss,
                                           const std::string& backend, method_level level) {
  const auto it = runners().find(runner_key{model, loss, backend, level});
  return it == runners().end() ? nullptr : it->second.get();
}

std::vector<std::string> pairs_models() {
  std::set<std::string> names;
  for (const auto& r : runners()) names.insert(std::get<0>(r.first));
  return {names.begin(), names.end()};
}

std::vector<std::string> pairs_losses() {
  std::set<std::string> names;
  for (const auto& r : runners()) names.insert(std::get<1>(r.first));
  return {names.begin(), names.end()};
}

}  // namespace denoise_cli
