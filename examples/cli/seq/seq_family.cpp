// The "seq" task family (issue 14): next-item models over per-user sequences (MF with the full
// softmax, GRU4Rec, SASRec), trained on windows of the W previous items with the softmax over all
// items, evaluated by full ranking (Precision/Recall/F1/NDCG @10/20/50 by default) on the
// chronological 4:1:1 or the leave-one-out protocol after a k-core filter. Registers --task seq
// with its flags; the runners come from seq_eigen.cpp.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <denoise/core/atomic_file.hpp>
#include <denoise/data/detail/npy_reader.hpp>
#include <denoise/metrics/denoising_quality.hpp>

#include "../harness/svg_plot.hpp"
#include "../registry/task_registry.hpp"
#include "seq_runner_base.hpp"

namespace denoise_cli {
namespace {

std::map<std::pair<std::string, bool>, std::unique_ptr<seq_runner_base>>& seq_runner_map() {
  static std::map<std::pair<std::string, bool>, std::unique_ptr<seq_runner_base>> map;
  return map;
}

std::string seq_joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class seq_family final : public task_family {
 public:
  explicit seq_family(seq_settings s) : s_(std::move(s)) {}

  std::string describe() const override {
    const bool loo = s_.data.protocol.protocol == denoise::data::sequence_protocol::leave_one_out;
    return "model " + s_.model + ", softmax over all items, window " + std::to_string(s_.data.window) + ", protocol " +
           (loo ? "leave-one-out" : "chronological");
  }

  void check(const std::vector<selected_method>& selected) const override {
    method_use use{"seq", "softmax", 0, s_.model, seq_models()};
    for (const auto& [name, m] : selected) m->check(use);
  }

  void write_config(denoise::json_writer& out) const override {
    const auto& p = s_.data.protocol;
    out.field("model", s_.model)
        .field("factor", static_cast<int>(s_.factor))
        .field("hidden", static_cast<int>(s_.hidden))
        .field("dropout", s_.dropout)
        .field("blocks", static_cast<int>(s_.blocks))
        .field("heads", static_cast<int>(s_.heads))
        .field("loss", "softmax (full)")
        .field("protocol", p.protocol == denoise::data::sequence_protocol::leave_one_out ? "loo" : "chrono")
        .field("window", static_cast<int>(s_.data.window))
        .field("core", s_.data.core)
        .field("keep_history", s_.data.keep_history);
  }

  std::unique_ptr<task_data> prepare(const experiment_config& config, std::uint64_t /*split_seed*/) const override {
    return std::make_unique<seq_data>(prepare_seq_data(config, s_.data));
  }

  method_run run(const experiment_config& config, const task_data& data, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    const auto* runner = find_seq_runner(s_.model, method.reads_representation());
    if (runner == nullptr)
      throw denoise::config_error("no runner for --model " + s_.model, denoise::location::of_field("--model"));
    return runner->run(s_, config, static_cast<const seq_data&>(data), method, method_name, seed);
  }

  std::vector<std::string> metric_names(const experiment_config& c) const override {
    std::vector<std::string> known;
    for (int k : c.ks)
      for (const char* m : {"precision@", "recall@", "f1@", "ndcg@"}) known.push_back(m + std::to_string(k));
    known.push_back("auc");
    for (const auto& m : denoise::metrics::denoising_report{}.metrics()) known.push_back(m.name);
    return known;
  }
  std::vector<std::string> default_columns(const experiment_config& c) const override {
    std::vector<std::string> columns;
    for (int k : c.ks) {
      columns.push_back("recall@" + std::to_string(k));
      columns.push_back("ndcg@" + std::to_string(k));
    }
    columns.push_back("weight_clean_mean");
    columns.push_back("weight_noisy_mean");
    return columns;
  }
  std::string table_notes(const experiment_config& /*c*/) const override {
    return std::string("recall/ndcg: the test part's true positives, all items ranked from the user's last ") +
           std::to_string(s_.data.window) + " items" +
           (s_.data.keep_history ? "" : ", the user's history excluded") +
           ". weight_clean_mean / weight_noisy_mean:\nthe mean weight of training targets rated at or above / "
           "below --noisy-below (the reported epoch).";
  }

  // Per training window: its id, user, position, target item (the filtered data's ids), the mean
  // weight and loss the method saw in the last epoch, and the noise flag.
  void export_weights(const std::string& path, const method_run& run, const task_data& td) const override {
    const auto& d = static_cast<const seq_data&>(td);
    const std::size_t n = d.instances.size();
    auto at = [](const std::vector<float>& v, denoise::offset_t id) {
      const auto k = static_cast<std::size_t>(id);
      return k < v.size() ? static_cast<double>(v[k]) : std::numeric_limits<double>::quiet_NaN();
    };
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
      std::vector<double> table;
      table.reserve(n * 7);
      for (std::size_t r = 0; r < n; ++r) {
        for (double v : {static_cast<double>(d.instances[r]), static_cast<double>(d.users[r]),
                         static_cast<double>(d.positions[r]), static_cast<double>(d.targets[r]),
                         at(run.fit.instance_weights, d.instances[r]), at(run.fit.instance_losses, d.instances[r]),
                         static_cast<double>(d.noisy[r])})
          table.push_back(v);
      }
      denoise::atomic_write_bytes(path, denoise::data::detail::npy_bytes(table, {n, 7}, "<f8"));
      return;
    }
    denoise::write_file_atomically(path, [&](std::ostream& out) {
      out << "instance,user,position,item,weight,loss,noisy\n";
      char buffer[64];
      for (std::size_t r = 0; r < n; ++r) {
        out << d.instances[r] << ',' << d.users[r] << ',' << d.positions[r] << ',' << d.targets[r] << ',';
        std::snprintf(buffer, sizeof buffer, "%.6g,%.6g,", at(run.fit.instance_weights, d.instances[r]),
                      at(run.fit.instance_losses, d.instances[r]));
        out << buffer << static_cast<int>(d.noisy[r]) << '\n';
      }
    });
  }

  std::vector<std::string> figure_names() const override { return {"loss"}; }
  std::vector<std::string> write_figures(const std::string& prefix, const method_run& run,
                                         const task_data& td) const override {
    const auto& d = static_cast<const seq_data&>(td);
    std::vector<double> clean, noisy;
    for (std::size_t r = 0; r < d.instances.size(); ++r) {
      const auto id = static_cast<std::size_t>(d.instances[r]);
      if (id >= run.fit.instance_losses.size()) continue;
      (d.noisy[r] ? noisy : clean).push_back(static_cast<double>(run.fit.instance_losses[id]));
    }
    auto plot = svg_plot::distributions(run.method + ": training loss of true vs false positive targets (last epoch)",
                                        "per-window loss", {{"true positive", clean}, {"false positive", noisy}});
    const std::string path = prefix + "_" + run.method + "_loss.svg";
    plot.save(path);
    return {path};
  }

 private:
  seq_settings s_;
};

std::unique_ptr<task_family> make_seq(const flags& f, experiment_config& c) {
  seq_settings s;
  s.model = f.text("--model", s.model);
  const auto models = seq_models();
  if (std::find(models.begin(), models.end(), s.model) == models.end())
    flags::fail("--model", "unknown model '" + s.model + "' for --task seq (" + seq_joined(models) + ")");
  s.factor = f.integer_as<denoise::index_t>("--factor", s.factor, 1);
  s.hidden = f.integer_as<denoise::index_t>("--hidden", s.hidden, 1);
  s.dropout = f.number("--dropout", s.dropout);
  if (f.has("--dropout") && !(s.dropout >= 0.0 && s.dropout < 1.0)) flags::fail("--dropout", "must be in [0, 1)");
  s.blocks = f.integer_as<denoise::index_t>("--blocks", s.blocks, 1);
  s.heads = f.integer_as<denoise::index_t>("--heads", s.heads, 1);
  static const std::vector<std::pair<const char*, std::vector<std::string>>> readers = {
      {"--hidden", {"gru4rec"}}, {"--dropout", {"gru4rec", "sasrec"}}, {"--blocks", {"sasrec"}}, {"--heads", {"sasrec"}}};
  for (const auto& r : readers) {
    if (f.has(r.first) && std::find(r.second.begin(), r.second.end(), s.model) == r.second.end())
      flags::fail(r.first, "does not apply to --model " + s.model + " (it sets " + seq_joined(r.second) + ")");
  }
  if (s.model == "sasrec" && s.factor % s.heads != 0)
    flags::fail("--heads", "SASRec's width (--factor " + std::to_string(s.factor) + ") must be a multiple of --heads");

  auto& p = s.data.protocol;
  const std::string protocol = f.text("--protocol", "chrono");
  if (protocol == "chrono") p.protocol = denoise::data::sequence_protocol::chronological;
  else if (protocol == "loo") p.protocol = denoise::data::sequence_protocol::leave_one_out;
  else flags::fail("--protocol", "unknown protocol '" + protocol + "' (chrono, loo)");
  s.data.window = f.integer_as<denoise::index_t>("--window", s.data.window, 1);
  s.data.core = f.integer_as<std::size_t>("--core", s.data.core, 1);
  s.data.keep_history = f.has("--keep-history");
  p.positive_threshold = c.data.noisy_below;
  if (f.has("--ratios")) {
    if (p.protocol != denoise::data::sequence_protocol::chronological)
      flags::fail("--ratios", "applies to --protocol chrono only");
    auto part = [&](double v) {
      if (!(v >= 0.0 && v <= 1000.0 && v == static_cast<double>(static_cast<std::size_t>(v))))
        flags::fail("--ratios", "the chronological parts must be whole numbers, e.g. 4:1:1");
      return static_cast<std::size_t>(v);
    };
    p.train_parts = part(c.ratios.train);
    p.valid_parts = part(c.ratios.validation);
    p.test_parts = part(c.ratios.test);
    if (p.train_parts == 0 || p.valid_parts == 0 || p.test_parts == 0)
      flags::fail("--ratios", "every part must be at least 1");
  }
  // The common flags that mean nothing here: the protocol is the split, and every method trains
  // on windows with the softmax over all items.
  for (const char* name : {"--split", "--leave-last", "--split-seed", "--batch-unit", "--select-every"})
    if (f.has(name)) flags::fail(name, "does not apply to --task seq (see --protocol)");

  // Defaults of the common settings this family owns: Ge et al.'s cut-offs, the first for
  // selection, and mini-batches of 128 windows [ours].
  if (!f.has("--k")) c.ks = {10, 20, 50};
  if (!f.has("--monitor")) c.monitor = "ndcg@" + std::to_string(c.ks.front());
  if (!f.has("--batch-size")) c.batch_size = 128;
  return std::make_unique<seq_family>(std::move(s));
}

const task_registrar seq_registration{{
    "seq",
    "next-item models over per-user sequences (10-core), ranked over all items",
    "model and protocol (--task seq)",
    {{"--model", "M", "mf | gru4rec | sasrec (default)"},
     {"--factor", "N", "MF factor, GRU4Rec item embedding, SASRec width (default 64)"},
     {"--hidden", "N", "GRU4Rec state size (default 100)"},
     {"--dropout", "P", "GRU4Rec input dropout (default 0.25), SASRec dropout (default 0.2)"},
     {"--blocks", "N", "SASRec blocks (default 2)"},
     {"--heads", "N", "SASRec attention heads (default 2)"},
     {"--protocol", "P", "chrono (default: each user's sequence cut 4:1:1, --ratios) | loo (the last\n"
                         "true positive for test, the one before for validation)"},
     {"--window", "N", "previous items an example sees (default 10)"},
     {"--core", "K", "iterated K-core filter on users and items (default 10)"},
     {"--keep-history", "", "rank the user's history items too (default: excluded)"}},
    {"synthetic", "ml-100k", "ml-dat", "csv"},
    &make_seq,
}};

}  // namespace

void register_seq_runner(const std::string& model, bool reads_representation, std::unique_ptr<seq_runner_base> runner) {
  seq_runner_map()[{model, reads_representation}] = std::move(runner);
}

const seq_runner_base* find_seq_runner(const std::string& model, bool reads_representation) {
  const auto it = seq_runner_map().find({model, reads_representation});
  return it == seq_runner_map().end() ? nullptr : it->second.get();
}

std::vector<std::string> seq_models() {
  std::set<std::string> names;
  for (const auto& r : seq_runner_map()) names.insert(r.first.first);
  return {names.begin(), names.end()};
}

}  // namespace denoise_cli
