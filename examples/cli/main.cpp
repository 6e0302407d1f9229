// denoise: train recommenders on noisy implicit feedback and compare denoising methods.
//
// With no arguments it trains GMF on the built-in planted-noise dataset with Normal, T-CE, R-CE
// and the inverse-frequency heuristic, and prints Recall@20, NDCG@20 and the drop
// precision/recall against the planted noise. See --help for everything else.
//
// This file is the application's driver: it reads the flags (harness/experiment.cpp), asks the
// task family chosen by --task (registry/task_registry.hpp) for the data of each split and hands it
// each (method, seed) run (one virtual call per run), then prints the table and writes the outputs
// (harness/report.cpp; the per-instance exports are the family's).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <denoise/core/atomic_file.hpp>
#include <denoise/core/error.hpp>
#include <denoise/core/threads.hpp>
#include <denoise/core/version.hpp>

#include "harness/experiment.hpp"
#include "harness/report.hpp"
#include "harness/statistics.hpp"

namespace denoise_cli {
namespace {

std::string cell(const std::vector<double>& values) {
  const auto s = summarize(values);
  char buffer[64];
  if (s.mean != s.mean) return "-";
  if (values.size() > 1) {
    std::snprintf(buffer, sizeof buffer, "%.4f ± %.4f", s.mean, s.std);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4f", s.mean);
  }
  return buffer;
}

/// `text` left-aligned in `width` columns: printf's %-17s counts bytes, and "±" takes two.
std::string padded(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1u : 0u;  // UTF-8 lead bytes
  return columns >= width ? text : text + std::string(width - columns, ' ');
}

int run(int argc, char** argv) {
  denoise::install_temp_file_cleanup();  // Ctrl-C while an output is written leaves no *.tmp.XXXXXX
  const flags f = read_flags(argc, argv);
  if (f.has("--help")) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (f.has("--version")) {
    std::printf("denoise %s\n", denoise::version::string());
    return 0;
  }
  const experiment e = parse_experiment(f);
  check_output_paths(f, e);  // before any training: a bad output path fails now, not after the runs
  const experiment_config& config = e.config;
  const std::vector<std::string>& columns = e.columns;
  if (config.threads > 0) {
    int threads = config.threads;
#if defined(_OPENMP)
    // More threads than processors only adds contention (and thousands exhaust libgomp's stacks).
    const int processors = omp_get_num_procs();
    if (threads > processors) {
      std::fprintf(stderr, "denoise: warning: --threads %d capped at the %d processors available\n", threads,
                   processors);
      threads = processors;
    }
#endif
    denoise::threads::set(threads);
  }

  // The first seed's data (the only data unless --split-seed per-seed); exports and plots use it.
  const std::unique_ptr<task_data> data = e.task->prepare(config, split_seed_for(config, config.seeds.front()));
  for (const auto& path : e.task->export_data(*data)) std::printf("data: %s\n", path.c_str());
  std::printf("denoise %s | %s\n", denoise::version::string(), data->description().c_str());
  std::printf("%s, %zu epochs, seeds:", e.task->describe().c_str(), config.epochs);
  for (auto s : config.seeds) std::printf(" %llu", static_cast<unsigned long long>(s));
  if (config.select_every > 0) {
    std::printf("; reported model selected on the validation loss every %llu steps\n\n",
                static_cast<unsigned long long>(config.select_every));
  } else {
    std::printf("; reported epoch selected on validation %s\n\n", config.monitor.c_str());
  }
  std::fflush(stdout);

  std::vector<method_run> runs;
  auto run_one = [&](const task_data& d, const std::string& method, std::uint64_t seed) {
    runs.push_back(e.task->run(config, d, e.method(method), method, seed));
    const auto& r = runs.back();
    double samples_per_second = 0;
    for (const auto& h : r.fit.history) samples_per_second += h.samples_per_second;
    samples_per_second /= static_cast<double>(r.fit.history.size());
    std::fprintf(stderr, "  %-18s seed %-3llu %5.1fs  best epoch %zu  %.0f samples/s", method.c_str(),
                 static_cast<unsigned long long>(seed), r.seconds, r.fit.best_epoch, samples_per_second);
    if (!r.selection.empty()) {
      std::fprintf(stderr, "  (step %llu of %zu scored)", static_cast<unsigned long long>(r.selected.iteration),
                   r.selection.size());
    }
    std::fprintf(stderr, "\n");
  };
  if (!config.split_per_seed) {
    for (const auto& method : config.methods)
      for (const auto seed : config.seeds) run_one(*data, method, seed);
  } else {
    // Each seed splits anew: one preparation per seed, every method on it (each method's runs
    // stay in seed order, which the paired test pairs by).
    for (const auto seed : config.seeds) {
      const bool first = seed == config.seeds.front();
      const std::unique_ptr<task_data> own = first ? nullptr : e.task->prepare(config, split_seed_for(config, seed));
      for (const auto& method : config.methods) run_one(first ? *data : *own, method, seed);
    }
  }

  // The table: one row per method; with several seeds, the p-value of a paired t-test vs normal
  // on the first column.
  const bool paired = config.seeds.size() > 1 &&
                      std::find(config.methods.begin(), config.methods.end(), "normal") != config.methods.end();
  std::printf("\n%-18s", "method");
  for (const auto& col : columns) std::printf(" | %-17s", col.c_str());
  if (paired) std::printf(" | p vs normal (%s)", columns.front().c_str());
  std::printf("\n");
  for (const auto& method : config.methods) {
    std::printf("%-18s", method.c_str());
    for (const auto& col : columns) std::printf(" | %s", padded(cell(per_seed(runs, method, col)), 17).c_str());
    if (paired) {
      if (method == "normal") {
        std::printf(" | -");
      } else {
        const auto t = paired_t_test(per_seed(runs, method, columns.front()), per_seed(runs, "normal", columns.front()));
        std::printf(" | %.3g", t.p);
      }
    }
    std::printf("\n");
  }
  std::printf("\n%s\n", e.task->table_notes(config).c_str());

  if (f.has("--out")) {
    write_result_json(f.text("--out", ""), e, data->description(), runs, columns);
    std::printf("result: %s\n", f.text("--out", "").c_str());
  }
  if (f.has("--export-weights")) {
    for (const auto& r : runs) {
      if (r.seed != config.seeds.front()) continue;
      const std::string path = weights_path(f.text("--export-weights", ""), r.method);
      e.task->export_weights(path, r, *data);
      std::printf("weights: %s\n", path.c_str());
    }
  }
  if (f.has("--plot")) {
    for (const auto& path : write_plots(f.text("--plot", ""), e, runs, *data)) std::printf("plot: %s\n", path.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace denoise_cli

namespace {

// The library names its own parameters (trainer_options, optimizer options); the CLI user knows
// the flags that set them, so an error about one names the flag instead.
std::string cli_message(const denoise::error& e) {
  static const std::pair<const char*, const char*> flag_of[] = {
      {"learning_rate", "--lr"}, {"batch_size", "--batch-size"}, {"epochs", "--epochs"},
      {"ks", "--k"},             {"monitor", "--monitor"},       {"threads", "--threads"}};
  if (!e.file().empty()) return e.what();
  for (const auto& [field, flag] : flag_of) {
    if (e.field() == field) return std::string("denoise: field '") + flag + "': " + e.reason();
  }
  return e.what();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return denoise_cli::run(argc, argv);
  } catch (const denoise::error& e) {
    std::fprintf(stderr, "%s\n", cli_message(e).c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "denoise: out of memory: the data or the settings need more memory than there is "
                         "(see --factor, --negatives, --batch-size, --k, --repeat)\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "denoise: unexpected error: %s\n", e.what());
    return 3;
  }
}
