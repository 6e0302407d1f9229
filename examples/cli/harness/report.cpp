// The result file, the weights export and the figures (see report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>
#include <limits>
#include <ostream>

#include <denoise/core/atomic_file.hpp>
#include <denoise/core/json_writer.hpp>
#include <denoise/core/version.hpp>
#include <denoise/data/split_files.hpp>

#include "statistics.hpp"
#include "svg_plot.hpp"

namespace denoise_cli {

std::string weights_path(const std::string& path, const std::string& method) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || dot < path.find_last_of('/') + 1) return path + "_" + method;
  return path.substr(0, dot) + "_" + method + path.substr(dot);
}

namespace {

// What built this binary (the result file's config.build): numbers can differ across compilers,
// optimisation levels (float contraction) and OpenMP.
std::string build_compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}
bool build_optimized() {
#if defined(__OPTIMIZE__)
  return true;
#else
  return false;
#endif
}
bool build_openmp() {
#if defined(_OPENMP)
  return true;
#else
  return false;
#endif
}

/// A path as it names a file: absolute, with the existing part's symbolic links resolved.
std::string file_key(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
  return ec ? path : canonical.lexically_normal().string();
}

/// The files --data reads.
std::vector<std::string> input_files(const data_config& d) {
  switch (d.kind) {
    case data_kind::synthetic: return {};
    case data_kind::split_files: {
      const auto paths = denoise::data::sgdl_split_paths(d.path);
      return {paths.train, paths.validation, paths.test};
    }
    case data_kind::movielens_ctr: return {d.path + "/u.data", d.path + "/u.item", d.path + "/u.user"};
    case data_kind::ctr_files: {
      std::vector<std::string> files(1);
      for (char ch : d.path) {
        if (ch == ',') files.emplace_back();
        else files.back().push_back(ch);
      }
      return files;
    }
    default: return {d.path};
  }
}

}  // namespace

void check_output_paths(const flags& f, const experiment& e) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> outputs;  // (flag, path)
  if (f.has("--out")) outputs.emplace_back("--out", f.text("--out", ""));
  if (f.has("--export-weights")) {
    for (const auto& method : e.config.methods)
      outputs.emplace_back("--export-weights", weights_path(f.text("--export-weights", ""), method));
  }
  if (f.has("--plot")) {
    const std::string prefix = f.text("--plot", "");
    outputs.emplace_back("--plot", prefix + "_curve.svg");
    for (const auto& method : e.config.methods) {
      for (const auto& figure : e.task->figure_names())
        outputs.emplace_back("--plot", prefix + "_" + method + "_" + figure + ".svg");
      if (e.method(method).draws_figure()) outputs.emplace_back("--plot", prefix + "_" + method + "_report.svg");
    }
  }
  for (auto& output : e.task->output_files()) outputs.push_back(std::move(output));
  std::vector<std::pair<std::string, std::string>> seen;  // (file key, what it is)
  const auto inputs = input_files(e.config.data);
  for (const auto& input : inputs)
    seen.emplace_back(file_key(input), inputs.size() == 1 ? "the input (--data)" : "an input (--data)");
  for (const auto& [flag, path] : outputs) {
    if (path.empty()) flags::fail(flag, "needs a file name");
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status))
      flags::fail(flag, "'" + path + "' exists and is not a regular file; refusing to replace it");
    const fs::path directory = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
    if (!fs::is_directory(directory, ec)) flags::fail(flag, "directory '" + directory.string() + "' does not exist");
    const std::string key = file_key(path);
    for (const auto& [other, what] : seen)
      if (other == key) flags::fail(flag, "'" + path + "' is also " + what);
    seen.emplace_back(key, "written by " + flag);
  }
}

/// The value of `name` in a metric list, NaN when absent.
double metric_of(const denoise::metrics::metric_list& list, const std::string& name) {
  for (const auto& m : list)
    if (m.name == name) return m.value;
  return std::numeric_limits<double>::quiet_NaN();
}

/// Per-seed values of a metric for one method: test metrics first, then the selected epoch's
/// denoising metrics (drop precision/recall...).
std::vector<double> per_seed(const std::vector<method_run>& runs, const std::string& method,
                                    const std::string& metric) {
  std::vector<double> out;
  for (const auto& r : runs) {
    if (r.method != method) continue;
    double v = metric_of(r.test, metric);
    if (v != v && !r.fit.history.empty()) {
      const std::size_t best = r.fit.best_epoch > 0 ? r.fit.best_epoch - 1 : r.fit.history.size() - 1;
      v = r.fit.history[best].value(metric);
    }
    out.push_back(v);
  }
  return out;
}

// Every setting that changes a result, so that a result file is enough to rerun it: the data
// source with its reading options, the split, the family's and every method's settings, the
// training loop, the seeds, and what built the binary.
static void write_config(denoise::json_writer& w, const experiment& e) {
  const experiment_config& c = e.config;
  static const char* kinds[] = {"synthetic", "ml-100k", "movielens-dat", "delimited", "split", "movielens-ctr",
                                "autodenoise-csv"};
  static const char* splits[] = {"random", "chronological", "leave-last"};
  static_assert(sizeof kinds / sizeof kinds[0] == static_cast<int>(data_kind::ctr_files) + 1,
                "write_config: a data_kind without a name in the result file");
  w.begin_object()
      .field("task", c.task)
      .field("data", kinds[static_cast<int>(c.data.kind)])
      .field("path", c.data.path);
  if (c.data.kind == data_kind::delimited) {
    auto column = [](const denoise::data::Column& col) {
      return col.name.empty() ? (col.index < 0 ? std::string() : std::to_string(col.index)) : col.name;
    };
    w.key("csv")
        .begin_object()
        .field("delimiter", c.data.read.delimiter)
        .field("header", c.data.read.header)
        .field("user", column(c.data.columns.user))
        .field("item", column(c.data.columns.item))
        .field("rating", column(c.data.columns.rating))
        .field("timestamp", column(c.data.columns.timestamp))
        .end_object();
  }
  if (c.data.kind == data_kind::movielens_100k || c.data.kind == data_kind::movielens_dat ||
      c.data.kind == data_kind::delimited) {
    static const char* policies[] = {"error", "first", "last", "sum"};
    w.field("duplicates", policies[static_cast<int>(c.data.duplicates)]);
  }
  if (!c.given_split()) {
    w.field("noisy_below", static_cast<double>(c.data.noisy_below))
        .field("split", splits[static_cast<int>(c.split)])
        .field("leave_last", c.leave_last);
    if (c.split_per_seed) w.field("split_seed", "per-seed (2024 + seed)");
    else w.field("split_seed", static_cast<std::size_t>(c.split_seed));
    w.key("ratios").begin_array().value(c.ratios.train).value(c.ratios.validation).value(c.ratios.test).end_array();
  } else {
    w.field("split", "given (train/valid/test files)");
  }
  e.task->write_config(w);
  for (const auto& m : e.methods) m.method->write_config(w);
  w.field("epochs", c.epochs)
      .field("batch_size", c.batch_size)
      .field("batch_unit", c.batch_unit == denoise::train::batch_unit::samples ? "samples" : "positives")
      .field("lr", c.lr)
      .field("weight_decay", c.weight_decay)
      .field("dense_adam", c.dense_adam)
      .field("monitor", c.monitor)
      .field("patience", c.patience)
      .field("select_every", static_cast<std::size_t>(c.select_every))
      .field("threads", c.threads);
  w.key("methods").array(c.methods);
  w.key("ks").array(c.ks);
  w.key("seeds").begin_array();
  for (auto s : c.seeds) w.value(static_cast<std::size_t>(s));
  w.end_array();
  if (c.data.kind == data_kind::synthetic && c.task != "ctr") {  // ctr's planted rows: its own settings
    const auto& s = c.data.synthetic;
    w.key("synthetic")
        .begin_object()
        .field("users", static_cast<int>(s.n_users))
        .field("items", static_cast<int>(s.n_items))
        .field("mean_positives", s.mean_positives)
        .field("noise_rate", s.noise_rate)
        .field("seed", static_cast<std::size_t>(s.seed))
        .field("dim", s.dim)
        .field("popularity_skew", s.popularity_skew)
        .field("activity_skew", s.activity_skew)
        .field("like_share", s.like_share)
        .field("dislike_share", s.dislike_share)
        .field("noise_appeal_skew", s.noise_appeal_skew)
        .end_object();
  }
  w.key("build")
      .begin_object()
      .field("version", denoise::version::string())
      .field("compiler", build_compiler())
      .field("cplusplus", static_cast<std::int64_t>(__cplusplus))
      .field("optimized", build_optimized())
      .field("openmp", build_openmp())
      .end_object();
  w.end_object();
}

/// The result file: {"denoise_version", "config", "data", "runs": [...], "summary": {...}}.
/// runs[i] = {method, seed, seconds, best_epoch, test: {metric: value}, selection: {...} (with
/// --select-every), method_report: {...} (SGDL only), epochs: [{epoch, train_loss, seconds, validation: {...}, denoising: {...}}]};
/// summary[method][metric] = {mean,
/// std, n, and for methods other than "normal": diff_vs_normal, t, p}.
void write_result_json(const std::string& path, const experiment& e, const std::string& data_description,
                              const std::vector<method_run>& runs, const std::vector<std::string>& summary_metrics) {
  const experiment_config& c = e.config;
  denoise::write_file_atomically(path, [&](std::ostream& out) {
    denoise::json_writer w(out);
    w.begin_object().field("denoise_version", denoise::version::string());
    w.key("config");
    write_config(w, e);
    w.field("data", data_description);
    w.key("runs").begin_array();
    for (const auto& r : runs) {
      w.begin_object()
          .field("method", r.method)
          .field("seed", static_cast<std::size_t>(r.seed))
          .field("seconds", r.seconds)
          .field("best_epoch", r.fit.best_epoch);
      w.key("test").begin_object();
      for (const auto& m : r.test) w.field(m.name, m.value);
      w.end_object();
      if (!r.selection.empty()) {
        // --select-every: every scored step and the one whose parameters were tested.
        w.key("selection")
            .begin_object()
            .field("rule", "validation loss every " + std::to_string(c.select_every) + " steps")
            .field("iteration", static_cast<std::size_t>(r.selected.iteration))
            .field("epoch", r.selected.epoch)
            .field("validation_loss", r.selected.score);
        w.key("validation").begin_object();
        for (const auto& m : r.selected_validation) w.field(m.name, m.value);
        w.end_object();
        w.key("candidates").begin_array();
        for (const auto& p : r.selection) {
          w.begin_object()
              .field("iteration", static_cast<std::size_t>(p.iteration))
              .field("epoch", p.epoch)
              .field("validation_loss", p.score)
              .end_object();
        }
        w.end_array().end_object();
      }
      if (r.write_report) {
        w.key("method_report").begin_object();
        r.write_report(w);
        w.end_object();
      }
      w.key("epochs").begin_array();
      for (const auto& epoch : r.fit.history) {
        w.begin_object()
            .field("epoch", epoch.epoch)
            .field("train_loss", epoch.train_loss)
            .field("seconds", epoch.seconds)
            .field("eval_seconds", epoch.eval_seconds)
            .field("samples_per_second", epoch.samples_per_second);
        w.key("validation").begin_object();
        for (const auto& m : epoch.validation) w.field(m.name, m.value);
        w.end_object().key("denoising").begin_object();
        for (const auto& m : epoch.denoising) w.field(m.name, m.value);
        w.end_object().end_object();
      }
      w.end_array().end_object();
    }
    w.end_array();
    w.key("summary").begin_object();
    for (const auto& method : c.methods) {
      w.key(method).begin_object();
      for (const auto& metric : summary_metrics) {
        const auto values = per_seed(runs, method, metric);
        const auto s = summarize(values);
        w.key(metric).begin_object().field("mean", s.mean).field("std", s.std).field("n", s.n);
        if (method != "normal" && std::find(c.methods.begin(), c.methods.end(), "normal") != c.methods.end()) {
          const auto t = paired_t_test(values, per_seed(runs, "normal", metric));
          w.field("diff_vs_normal", t.mean_difference).field("t", t.t).field("p", t.p);
        }
        w.end_object();
      }
      w.end_object();
    }
    w.end_object().end_object();
    out << '\n';
  });
}

/// Figures: `<prefix>_curve.svg` (validation metric per epoch, or with --select-every the validation
/// loss per scored step; one line per method, first seed), `<prefix>_<method>_report.svg` for a
/// method with a figure of its own (method_run::figure), and the family's figures of each run
/// (task_family::write_figures; pairs: the loss of clean vs noisy training samples).
std::vector<std::string> write_plots(const std::string& prefix, const experiment& e, const std::vector<method_run>& runs,
                                     const task_data& d) {
  const experiment_config& c = e.config;
  std::vector<std::string> written;
  // --select-every: the curve is what selection saw, the validation loss at each scored step.
  const bool by_step = c.select_every > 0;
  svg_plot curve(by_step ? "validation loss (the method's) per scored step" : "validation " + c.monitor + " per epoch",
                 by_step ? "step" : "epoch", by_step ? "validation loss" : c.monitor);
  for (const auto& method : c.methods) {
    for (const auto& r : runs) {
      if (r.method != method || r.seed != c.seeds.front()) continue;
      plot_series s{method, {}, {}};
      if (by_step) {
        for (const auto& p : r.selection) {
          s.x.push_back(static_cast<double>(p.iteration));
          s.y.push_back(p.score);
        }
      } else {
        for (const auto& epoch : r.fit.history) {
          s.x.push_back(static_cast<double>(epoch.epoch));
          s.y.push_back(epoch.value(c.monitor));
        }
      }
      curve.add_line(std::move(s));
    }
  }
  curve.save(prefix + "_curve.svg");
  written.push_back(prefix + "_curve.svg");

  for (const auto& r : runs) {
    if (r.seed != c.seeds.front()) continue;
    if (r.figure) {  // the method's own figure (the controller's reward, baseline and weights per epoch)
      const method_figure figure = r.figure();
      svg_plot plot(figure.title, figure.x_label, figure.y_label);
      for (const auto& line : figure.lines) plot.add_line(line);
      const std::string path = prefix + "_" + r.method + "_report.svg";
      plot.save(path);
      written.push_back(path);
    }
    for (auto& path : e.task->write_figures(prefix, r, d)) written.push_back(std::move(path));
  }
  return written;
}

}  // namespace denoise_cli
