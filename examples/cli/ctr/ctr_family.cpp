// The "ctr" task family (issue 12): click-through-rate prediction on rows of categorical feature
// fields with a 0/1 label, the pytorch-fm backbones AutoDenoise trains (FM, Wide&Deep, DeepFM, DCN,
// IPNN) under BCE, judged by AUC and LogLoss. Registers --task ctr with its flags; the runners come
// from the backend translation unit (ctr_eigen.cpp).
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <denoise/metrics/denoising_quality.hpp>

#include <denoise/methods/autodenoise_selection/subset_export.hpp>

#include "../registry/task_registry.hpp"
#include "ctr_data.hpp"
#include "ctr_outputs.hpp"
#include "ctr_runner_base.hpp"

namespace denoise_cli {
namespace {

std::map<std::pair<std::string, std::string>, std::unique_ptr<ctr_runner_base>>& ctr_runners() {
  static std::map<std::pair<std::string, std::string>, std::unique_ptr<ctr_runner_base>> map;
  return map;
}

std::string ctr_joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class ctr_family final : public task_family {
 public:
  ctr_family(ctr_settings s, std::string monitor) : s_(std::move(s)), monitor_(std::move(monitor)) {}

  std::string describe() const override {
    std::string mlp;
    for (auto d : s_.mlp_dims) mlp += (mlp.empty() ? "" : ",") + std::to_string(d);
    std::string out = "model " + s_.model + ", loss bce, embedding " + std::to_string(s_.embed_dim) + " per field";
    if (s_.model != "fm") out += ", mlp " + mlp;
    if (s_.model == "dcn") out += ", " + std::to_string(s_.cross_layers) + " cross layers";
    return out;
  }

  void check(const std::vector<selected_method>& selected) const override {
    for (const auto& [name, m] : selected) {
      // Both runner kinds other than the weighting one are pairs-only here: a step-owning method or
      // one that reads the model's representation needs a runner of its own.
      if (m->sgdl() != nullptr || m->reads_representation())
        throw denoise::config_error(name + " does not run in --task ctr", denoise::location::of_field("--methods"));
      // AutoDenoise's retraining keeps the epoch and the subset with the HIGHEST validation metric.
      if (m->autodenoise_selection() != nullptr && monitor_ != "auc")
        throw denoise::config_error(name + " selects on validation auc (got --monitor " + monitor_ + ")",
                                    denoise::location::of_field("--monitor"));
      method_use use{"ctr", "bce", 0};
      use.model = s_.model;
      m->check(use);
    }
  }

  void write_config(denoise::json_writer& out) const override {
    // The driver does not record --task; a result file must say it is a ctr run.
    out.field("model", s_.model).field("embed_dim", static_cast<int>(s_.embed_dim));
    out.key("mlp_dims").begin_array();
    for (auto d : s_.mlp_dims) out.value(static_cast<int>(d));
    out.end_array();
    out.field("dropout", s_.dropout).field("cross_layers", static_cast<int>(s_.cross_layers)).field("loss", "bce");
    out.field("ctr_rows", s_.synthetic_rows);
    if (!s_.field_columns.empty()) {
      out.key("field_columns").array(s_.field_columns);
      out.field("label_column", s_.label_column);
    }
  }

  std::unique_ptr<task_data> prepare(const experiment_config& config, std::uint64_t split_seed) const override {
    return std::make_unique<ctr_data>(prepare_ctr_data(config, s_, split_seed));
  }

  method_run run(const experiment_config& config, const task_data& td, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    const auto& data = static_cast<const ctr_data&>(td);  // made by prepare() above
    // AutoDenoise owns its training step: a runner of its own (ctr_selection_runner.hpp).
    const bool selection = method.autodenoise_selection() != nullptr;
    const auto* runner = find_ctr_runner(selection ? s_.model + "/autodenoise" : s_.model, s_.backend);
    if (runner == nullptr)
      throw denoise::config_error("no " + s_.model + (selection ? " autodenoise" : "") + " runner on " + s_.backend,
                                  denoise::location::of_field("--model"));
    return runner->run(s_, config, data, method, method_name, seed);
  }

  // AUC and LogLoss (train/evaluators/classification.hpp), then the drop precision/recall against
  // the noise flags (the planted label flips; the real sources have none).
  std::vector<std::string> metric_names(const experiment_config& /*c*/) const override {
    std::vector<std::string> known{"auc", "logloss"};
    for (const auto& m : denoise::metrics::denoising_report{}.metrics()) known.push_back(m.name);
    return known;
  }
  std::vector<std::string> default_columns(const experiment_config& c) const override {
    if (c.synthetic()) return {"auc", "logloss", "drop_precision", "drop_recall"};
    return {"auc", "logloss"};
  }
  std::string table_notes(const experiment_config& c) const override {
    std::string notes =
        "auc: exact test AUC (ties counted half); logloss: mean test BCE of sigmoid(logit); the model of\n"
        "the epoch with the best validation " + c.monitor + ", restored and tested once.";
    if (c.synthetic())
      notes += " Validation and test keep the true labels.\ndrop_precision: share of dropped (weight 0) "
               "training rows whose label was flipped;\ndrop_recall: share of flipped rows dropped.";
    return notes;
  }

  void export_weights(const std::string& path, const method_run& run, const task_data& data) const override {
    export_ctr_weights(path, run, static_cast<const ctr_data&>(data));
  }
  // --export-rows PREFIX: the encoded rows of each part in the AutoDenoise CSV format (the field
  // codes, then the label), which --data autodenoise-csv:PREFIX_train.csv,... reads back.
  std::vector<std::pair<std::string, std::string>> output_files() const override {
    if (s_.export_rows.empty()) return {};
    std::vector<std::pair<std::string, std::string>> files;
    for (const char* part : {"_train.csv", "_valid.csv", "_test.csv"}) files.emplace_back("--export-rows", s_.export_rows + part);
    return files;
  }
  std::vector<std::string> export_data(const task_data& td) const override {
    const auto& d = static_cast<const ctr_data&>(td);
    std::vector<std::string> written;
    const denoise::data::FieldDataset* parts[] = {&d.split.train, &d.split.validation, &d.split.test};
    const auto files = output_files();
    for (std::size_t k = 0; k < files.size(); ++k) {
      denoise::methods::write_subset_rows_csv(*parts[k], parts[k]->instances(), files[k].second);
      written.push_back(files[k].second);
    }
    return written;
  }

  std::vector<std::string> figure_names() const override { return {}; }
  std::vector<std::string> write_figures(const std::string& /*prefix*/, const method_run& /*run*/,
                                         const task_data& /*data*/) const override {
    return {};
  }

 private:
  ctr_settings s_;
  std::string monitor_;  // --monitor (auc or logloss)
};

std::vector<denoise::index_t> positive_list(const flags& f, const char* name, std::vector<denoise::index_t> fallback) {
  if (!f.has(name)) return fallback;
  std::vector<denoise::index_t> out;
  for (const auto& item : f.list(name, {})) {
    const auto v = flags::checked<denoise::index_t>(name, flags::parse_integer(name, item));
    if (v <= 0) flags::fail(name, "each size must be positive (got " + item + ")");
    out.push_back(v);
  }
  if (out.empty()) flags::fail(name, "needs at least one layer");
  return out;
}

std::unique_ptr<task_family> make_ctr(const flags& f, experiment_config& c) {
  // Common flags that mean nothing for rows of fields scored by AUC.
  static const std::pair<const char*, const char*> refused[] = {
      {"--k", "ranking cut-offs do not apply to --task ctr (it reports auc and logloss)"},
      {"--batch-unit", "does not apply to --task ctr (a batch is --batch-size rows)"},
      {"--select-every", "does not apply to --task ctr (it selects per epoch on --monitor)"},
      {"--leave-last", "does not apply to --task ctr (rows are split at random, --ratios)"},
      {"--columns", "does not apply to --task ctr (name the field columns with --field-columns and the label "
                    "with --label-column)"},
      {"--synthetic-users", "does not apply to --task ctr (its synthetic data: --ctr-rows, --noise-rate, "
                            "--synthetic-seed)"},
      {"--synthetic-items", "does not apply to --task ctr (its synthetic data: --ctr-rows, --noise-rate, "
                            "--synthetic-seed)"},
      {"--synthetic-positives", "does not apply to --task ctr (its synthetic data: --ctr-rows)"},
      {"--synthetic-dim", "does not apply to --task ctr"},
      {"--popularity-skew", "does not apply to --task ctr"},
      {"--like-share", "does not apply to --task ctr"},
      {"--dislike-share", "does not apply to --task ctr"},
      {"--noise-appeal", "does not apply to --task ctr"}};
  for (const auto& [name, why] : refused)
    if (f.has(name)) flags::fail(name, why);
  if (f.has("--split") && f.text("--split", "random") != "random")
    flags::fail("--split", "--task ctr splits rows at random (--ratios); '" + f.text("--split", "") +
                               "' splits per user");
  if (f.has("--noisy-below"))
    flags::fail("--noisy-below", "does not apply to --task ctr (a low rating is a label-0 row there, not noise)");

  ctr_settings s;
  s.model = f.text("--model", s.model);
  const auto models = ctr_models();
  if (std::find(models.begin(), models.end(), s.model) == models.end())
    flags::fail("--model", "unknown model '" + s.model + "' (--task ctr: " + ctr_joined(models) + ")");
  s.embed_dim = f.integer_as<denoise::index_t>("--embed-dim", s.embed_dim, 1);
  s.mlp_dims = positive_list(f, "--mlp-dims", s.model == "ipnn" ? std::vector<denoise::index_t>{16} : s.mlp_dims);
  s.dropout = f.number("--dropout", s.dropout);
  if (!(s.dropout >= 0.0 && s.dropout < 1.0)) flags::fail("--dropout", "must be in [0, 1)");
  s.cross_layers = f.integer_as<denoise::index_t>("--cross-layers", s.cross_layers, 1);
  static const std::pair<const char*, std::vector<std::string>> readers[] = {
      {"--mlp-dims", {"wd", "deepfm", "dcn", "ipnn"}},
      {"--dropout", {"wd", "deepfm", "dcn", "ipnn"}},
      {"--cross-layers", {"dcn"}}};
  for (const auto& r : readers)
    if (f.has(r.first) && std::find(r.second.begin(), r.second.end(), s.model) == r.second.end())
      flags::fail(r.first, "does not apply to --model " + s.model + " (it sets " + ctr_joined(r.second) + ")");

  if (f.has("--csv-fields") && c.data.kind != data_kind::ctr_files)
    flags::fail("--csv-fields", "only applies to --data autodenoise-csv:TRAIN,VALID,TEST");
  s.csv_fields = f.integer_as<std::size_t>("--csv-fields", s.csv_fields, 1);
  if (f.has("--export-rows")) {
    s.export_rows = f.text("--export-rows", "");
    if (s.export_rows.empty()) flags::fail("--export-rows", "needs a file prefix");
  }
  if (f.has("--ctr-rows") && !c.synthetic()) flags::fail("--ctr-rows", "only applies to --data synthetic");
  s.synthetic_rows = f.integer_as<std::size_t>("--ctr-rows", s.synthetic_rows, 10);
  const bool csv = c.data.kind == data_kind::delimited;
  if (!csv && (f.has("--field-columns") || f.has("--label-column")))
    flags::fail(f.has("--field-columns") ? "--field-columns" : "--label-column", "only applies to --data csv:PATH");
  if (csv) {
    if (!f.has("--field-columns"))
      flags::fail("--field-columns", "--data csv:PATH in --task ctr needs the field columns (header names)");
    s.field_columns = f.list("--field-columns", {});
    s.label_column = f.text("--label-column", s.label_column);
  }

  // The protocol (AutoDenoise's settings) where the flags are silent.
  if (!f.has("--lr")) c.lr = 1e-3;
  if (!f.has("--weight-decay")) c.weight_decay = 1e-6;
  if (!f.has("--batch-size")) c.batch_size = 2048;
  if (!f.has("--epochs")) c.epochs = 100;
  if (!f.has("--patience")) c.patience = 2;
  if (!f.has("--monitor")) c.monitor = "auc";
  if (c.monitor != "auc" && c.monitor != "logloss")
    flags::fail("--monitor", "--task ctr validates on auc or logloss (got '" + c.monitor + "')");
  // The default --methods list holds methods made for pairs; without --methods, ctr runs those of
  // them that run here.
  if (!f.has("--methods")) {
    const method_flags mf{f, c.synthetic()};
    std::vector<std::string> here;
    for (const auto& name : c.methods)
      if (find_method(name)->make(mf)->runs_in("ctr")) here.push_back(name);
    c.methods = std::move(here);
  }
  return std::make_unique<ctr_family>(std::move(s), c.monitor);
}

const task_registrar ctr_registration{{
    "ctr",
    "click-through-rate rows of categorical fields (FM, W&D, DeepFM, DCN, IPNN), AUC and LogLoss",
    "model (--task ctr; defaults: Adam lr 1e-3, weight decay 1e-6, batch 2048, up to 100 epochs,\n"
    "patience 2 on validation auc)",
    {{"--model", "M", "fm | wd (Wide&Deep) | deepfm (default) | dcn | ipnn (pytorch-fm's shapes)"},
     {"--embed-dim", "N", "embedding size of every field (default 16)"},
     {"--mlp-dims", "LIST", "hidden layers, each Linear, BatchNorm, ReLU, Dropout (default 16,16;\n"
                            "ipnn 16); not fm"},
     {"--dropout", "P", "after each hidden ReLU (default 0.2); not fm"},
     {"--cross-layers", "N", "DCN cross layers (default 3)"},
     {"--ctr-rows", "N", "--data synthetic: planted-signal rows (default 20000; --noise-rate of\n"
                         "the training labels flipped, seed --synthetic-seed)"},
     {"--csv-fields", "N", "--data autodenoise-csv: integer field columns before the label (default 8)"},
     {"--export-rows", "PREFIX", "write the encoded split as PREFIX_train.csv, _valid.csv, _test.csv (field\n"
                                 "codes then the label; --data autodenoise-csv reads them back)"},
     {"--field-columns", "LIST", "--data csv:PATH (headed): the field columns by name, in model order"},
     {"--label-column", "NAME", "--data csv:PATH: the 0/1 label column (default label)"}},
    {"synthetic", "movielens-ctr", "autodenoise-csv", "csv"},
    &make_ctr,
}};

}  // namespace

void register_ctr_runner(const std::string& model, const std::string& backend, std::unique_ptr<ctr_runner_base> runner) {
  ctr_runners()[{model, backend}] = std::move(runner);
}

const ctr_runner_base* find_ctr_runner(const std::string& model, const std::string& backend) {
  const auto it = ctr_runners().find({model, backend});
  return it == ctr_runners().end() ? nullptr : it->second.get();
}

std::vector<std::string> ctr_models() {
  std::vector<std::string> names;
  for (const auto& r : ctr_runners())
    if (r.first.first.find('/') == std::string::npos &&  // "deepfm/autodenoise": a method's runner
        std::find(names.begin(), names.end(), r.first.first) == names.end()) names.push_back(r.first.first);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace denoise_cli
