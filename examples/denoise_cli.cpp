// denoise: train recommenders on noisy implicit feedback and compare denoising methods.
//
// With no arguments it trains GMF on the built-in planted-noise dataset with Normal, T-CE, R-CE
// and the inverse-frequency heuristic, and prints Recall@20, NDCG@20 and the drop
// precision/recall against the planted noise. See --help for everything else.
#include <denoise/denoise.hpp>
#include <denoise/runtime/runtime.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <set>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "cli/flags.hpp"

namespace dr = denoise::runtime;

namespace {

const char* usage = R"(usage: denoise [flags]

Trains a recommender on implicit feedback with each denoising method and prints a table of
test metrics (mean ± std over seeds; with 2+ seeds, a paired t-test of each method vs normal).

data
  --data SOURCE          synthetic (default) | ml-100k:PATH/u.data | ml-dat:PATH/ratings.dat |
                         csv:PATH (with --columns, --delimiter, --header)
  --columns MAP          csv column map, e.g. user=0,item=1,rating=2,timestamp=3 (positions or
                         header names); default user=0,item=1,rating=2
  --delimiter D          csv delimiter (default ","; "tab" for a tab)
  --header               csv: the first line names the columns
  --noisy-below R        a positive with rating < R is noise (default 3, as in the papers)
  --synthetic-users N    planted-noise data: users (default 600)
  --synthetic-items N    items (default 800)
  --synthetic-positives N  mean observed positives per user (default 40)
  --noise-rate R         share of planted false positives (default 0.2)
  --synthetic-seed N     generator seed (default 42)
  --synthetic-dim N      latent factors of the true preferences (default 8)
  --popularity-skew S    item popularity skew of the draws (default 1; 0: uniform)
  --like-share S         share of items each user truly likes (clean positives come from them)
  --dislike-share S      share each user truly dislikes (planted noise comes from them; 0.2)
  --noise-appeal S       skew of planted noise towards taste-independent "clickbait" items (1)
split
  --split KIND           random (default, ratios 8:1:1) | chrono (per user, 4:1:1) | leave-last
  --ratios A:B:C         train:validation:test
  --leave-last K         leave-last: K items per user for validation and K for test
  --split-seed N         (default 2024); validation and test keep true positives only
model and loss
  --model M              mf | gmf (default) | neumf | cdae
  --factor N             embedding size (default 32)
  --layers N             NeuMF MLP layers (default 3)   --dropout P   NeuMF tower dropout
  --hidden N             CDAE hidden units (default 200) --corruption P  CDAE corruption (0.5)
  --loss L               bce (default) | bpr | softmax
  --negatives K          sampled negatives per positive (default 1)
denoising
  --methods LIST         normal,t-ce,r-ce,inverse-frequency (default: all four)
  --drop-schedule S      T-CE schedule: linear (paper, default) | exponential
  --drop-rate R          T-CE maximum drop rate ε_max (default 0.2; synthetic 0.1)
  --drop-ramp N          iterations to reach it (ε_N; τ for exponential); default: a quarter
                         of the run's iterations
  --beta B               R-CE exponent (default 0.25; synthetic 0.5)
training
  --epochs N (20; synthetic 30)  --batch-size N (1024)  --lr X (0.001; synthetic 0.005)
  --weight-decay X (0)  --dense-adam
  --seeds LIST           training seeds (default 1); --repeat N means seeds 1..N
  --k LIST               ranking cut-offs (default 20)
  --monitor METRIC       validation metric selecting the reported epoch (default ndcg@20)
  --patience N           stop after N epochs without improvement (default 0: run all epochs)
  --threads N            OpenMP threads (default: all)
output
  --metrics LIST         table columns (default recall@20,ndcg@20,drop_precision,drop_recall)
  --out FILE.json        machine-readable result (format: README.md, "Result file")
  --export-weights FILE  per-sample weight and loss of the first seed's runs with the noise
                         flag (.csv or .npy); one file per method: FILE with the method inserted
  --plot PREFIX          SVG figures: PREFIX_curve.svg, PREFIX_<method>_loss.svg
  --help, --version
)";

std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

denoise::data::Column column_of(const std::string& spec) {
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos) {
    return denoise::data::Column::at(static_cast<int>(cli::flags::parse_integer("--columns", spec)));
  }
  return denoise::data::Column::named(spec);
}

dr::experiment_config parse(const cli::flags& f) {
  dr::experiment_config c;
  // Built-in data: a fifth of the positives are planted noise, clicks on items the user truly
  // dislikes (the bottom 20% of their true scores) that lean towards "clickbait" items whose appeal
  // is independent of taste, so the noise is both harmful and, early on, hard to fit.
  c.data.synthetic.n_users = 600;
  c.data.synthetic.n_items = 800;
  c.data.synthetic.mean_positives = 40;
  c.data.synthetic.noise_rate = 0.2;
  c.data.synthetic.dislike_share = 0.2;
  c.data.synthetic.noise_appeal_skew = 1.0;
  c.data.synthetic.held_out_per_user = 0;
  // Training defaults for the built-in data (real data keeps the papers' settings unless flags say
  // otherwise): Adam lr 0.005, 30 epochs, T-CE ε_max 0.1 (20% of the positives with one negative).
  if (!f.has("--data") || f.text("--data", "") == "synthetic") {
    c.lr = 0.005;
    c.epochs = 30;
    c.max_drop_rate = 0.1;
    c.beta = 0.5;
  }

  const std::string data = f.text("--data", "synthetic");
  const auto colon = data.find(':');
  const std::string kind = data.substr(0, colon);
  if (kind == "synthetic") {
    c.data.kind = dr::data_kind::synthetic;
  } else if (colon == std::string::npos) {
    cli::flags::fail("--data", "expected synthetic, ml-100k:PATH, ml-dat:PATH or csv:PATH (got '" + data + "')");
  } else {
    c.data.path = data.substr(colon + 1);
    if (kind == "ml-100k") c.data.kind = dr::data_kind::movielens_100k;
    else if (kind == "ml-dat") c.data.kind = dr::data_kind::movielens_dat;
    else if (kind == "csv") c.data.kind = dr::data_kind::delimited;
    else cli::flags::fail("--data", "unknown source '" + kind + "' (synthetic, ml-100k, ml-dat, csv)");
  }
  if (c.data.kind == dr::data_kind::delimited) {
    c.data.columns.rating = denoise::data::Column::at(2);
    for (const auto& pair : f.list("--columns", {})) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos) cli::flags::fail("--columns", "expected role=column, got '" + pair + "'");
      const std::string role = pair.substr(0, eq), col = pair.substr(eq + 1);
      if (role == "user") c.data.columns.user = column_of(col);
      else if (role == "item") c.data.columns.item = column_of(col);
      else if (role == "rating") c.data.columns.rating = column_of(col);
      else if (role == "timestamp") c.data.columns.timestamp = column_of(col);
      else cli::flags::fail("--columns", "unknown role '" + role + "' (user, item, rating, timestamp)");
    }
    const std::string d = f.text("--delimiter", ",");
    c.data.read.delimiter = d == "tab" ? "\t" : d;
    if (c.data.read.delimiter.empty()) cli::flags::fail("--delimiter", "must not be empty");
    c.data.read.header = f.has("--header");
  } else if (f.has("--columns") || f.has("--delimiter") || f.has("--header")) {
    cli::flags::fail(f.has("--columns") ? "--columns" : f.has("--delimiter") ? "--delimiter" : "--header",
                     "only applies to --data csv:PATH");
  }
  c.data.noisy_below = static_cast<float>(f.number("--noisy-below", 3.0));
  auto& s = c.data.synthetic;
  s.n_users = static_cast<denoise::index_t>(f.integer("--synthetic-users", s.n_users, 1));
  s.n_items = static_cast<denoise::index_t>(f.integer("--synthetic-items", s.n_items, 2));
  s.mean_positives = f.number("--synthetic-positives", s.mean_positives);
  s.noise_rate = f.number("--noise-rate", s.noise_rate);
  s.seed = static_cast<std::uint64_t>(f.integer("--synthetic-seed", static_cast<std::int64_t>(s.seed)));
  s.dim = static_cast<int>(f.integer("--synthetic-dim", s.dim, 1));
  s.popularity_skew = f.number("--popularity-skew", s.popularity_skew);
  s.like_share = f.number("--like-share", s.like_share);
  s.dislike_share = f.number("--dislike-share", s.dislike_share);
  s.noise_appeal_skew = f.number("--noise-appeal", s.noise_appeal_skew);

  const std::string split = f.text("--split", "random");
  if (split == "random") c.split = dr::split_kind::random;
  else if (split == "chrono") c.split = dr::split_kind::chronological, c.ratios = {4, 1, 1};
  else if (split == "leave-last") c.split = dr::split_kind::leave_last;
  else cli::flags::fail("--split", "unknown split '" + split + "' (random, chrono, leave-last)");
  if (f.has("--ratios")) {
    const auto parts = split_list(f.text("--ratios", ""), ':');
    if (parts.size() != 3) cli::flags::fail("--ratios", "expected train:validation:test, e.g. 8:1:1");
    c.ratios = {cli::flags::parse_double("--ratios", parts[0]), cli::flags::parse_double("--ratios", parts[1]),
                cli::flags::parse_double("--ratios", parts[2])};
  }
  c.leave_last = static_cast<std::size_t>(f.integer("--leave-last", 1, 1));
  c.split_seed = static_cast<std::uint64_t>(f.integer("--split-seed", 2024));

  c.model = f.text("--model", c.model);
  c.factor = static_cast<denoise::index_t>(f.integer("--factor", c.factor, 1));
  c.layers = static_cast<denoise::index_t>(f.integer("--layers", c.layers, 1));
  c.dropout = f.number("--dropout", c.dropout);
  c.hidden = static_cast<denoise::index_t>(f.integer("--hidden", c.hidden, 1));
  c.corruption = f.number("--corruption", c.corruption);
  c.loss = f.text("--loss", c.loss);
  c.negatives = static_cast<std::size_t>(f.integer("--negatives", static_cast<std::int64_t>(c.negatives)));

  c.methods = f.list("--methods", c.methods);
  c.drop_schedule = f.text("--drop-schedule", c.drop_schedule);
  c.max_drop_rate = f.number("--drop-rate", c.max_drop_rate);
  c.drop_ramp = static_cast<std::uint64_t>(f.integer("--drop-ramp", static_cast<std::int64_t>(c.drop_ramp)));
  c.beta = f.number("--beta", c.beta);

  c.epochs = static_cast<std::size_t>(f.integer("--epochs", static_cast<std::int64_t>(c.epochs), 1));
  c.batch_size = static_cast<std::size_t>(f.integer("--batch-size", static_cast<std::int64_t>(c.batch_size), 1));
  c.lr = f.number("--lr", c.lr);
  c.weight_decay = f.number("--weight-decay", c.weight_decay);
  c.dense_adam = f.has("--dense-adam");
  if (f.has("--seeds") && f.has("--repeat")) cli::flags::fail("--repeat", "use either --seeds or --repeat");
  if (f.has("--repeat")) {
    c.seeds.clear();
    const auto n = f.integer("--repeat", 1, 1);
    for (std::int64_t i = 1; i <= n; ++i) c.seeds.push_back(static_cast<std::uint64_t>(i));
  } else if (f.has("--seeds")) {
    c.seeds.clear();
    for (const auto& item : f.list("--seeds", {}))
      c.seeds.push_back(static_cast<std::uint64_t>(cli::flags::parse_integer("--seeds", item)));
  }
  if (f.has("--k")) {
    c.ks.clear();
    for (const auto& item : f.list("--k", {})) c.ks.push_back(static_cast<int>(cli::flags::parse_integer("--k", item)));
  }
  c.monitor = f.text("--monitor", "ndcg@" + std::to_string(c.ks.front()));
  c.patience = static_cast<std::size_t>(f.integer("--patience", 0));
  c.threads = static_cast<int>(f.integer("--threads", 0));
  c.validate();
  return c;
}

std::string cell(const std::vector<double>& values) {
  const auto s = dr::summarize(values);
  char buffer[64];
  if (s.mean != s.mean) return "-";
  if (values.size() > 1) {
    std::snprintf(buffer, sizeof buffer, "%.4f ± %.4f", s.mean, s.std);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4f", s.mean);
  }
  return buffer;
}

std::string with_method(const std::string& path, const std::string& method) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || dot < path.find_last_of('/') + 1) return path + "_" + method;
  return path.substr(0, dot) + "_" + method + path.substr(dot);
}

int run(int argc, char** argv) {
  const std::set<std::string> known{
      "--data", "--columns", "--delimiter", "--noisy-below", "--synthetic-users", "--synthetic-items",
      "--synthetic-positives", "--noise-rate", "--synthetic-seed", "--synthetic-dim", "--popularity-skew", "--like-share", "--dislike-share", "--noise-appeal", "--split", "--ratios", "--leave-last", "--split-seed",
      "--model", "--factor", "--layers", "--dropout", "--hidden", "--corruption", "--loss", "--negatives", "--methods",
      "--drop-schedule", "--drop-rate", "--drop-ramp", "--beta", "--epochs", "--batch-size", "--lr", "--weight-decay",
      "--seeds", "--repeat", "--k", "--monitor", "--patience", "--threads", "--metrics", "--out", "--export-weights",
      "--plot"};
  const std::set<std::string> switches{"--header", "--dense-adam", "--help", "--version"};
  const cli::flags f(argc, argv, known, switches);
  if (f.has("--help")) {
    std::fputs(usage, stdout);
    return 0;
  }
  if (f.has("--version")) {
    std::printf("denoise %s\n", denoise::version::string());
    return 0;
  }
  const dr::experiment_config config = parse(f);
  std::vector<std::string> columns = f.list("--metrics", {});
  if (columns.empty()) {
    const std::string k = std::to_string(config.ks.front());
    columns = {"recall@" + k, "ndcg@" + k, "drop_precision", "drop_recall"};
  }
#if defined(_OPENMP)
  if (config.threads > 0) omp_set_num_threads(config.threads);
#endif

  const dr::prepared_data data = dr::prepare_data(config);
  std::printf("denoise %s | %s\n", denoise::version::string(), data.description.c_str());
  std::printf("model %s, loss %s, %zu negative(s), %zu epochs, seeds:", config.model.c_str(), config.loss.c_str(),
              config.negatives, config.epochs);
  for (auto s : config.seeds) std::printf(" %llu", static_cast<unsigned long long>(s));
  std::printf("; reported epoch selected on validation %s\n\n", config.monitor.c_str());
  std::fflush(stdout);

  std::vector<dr::method_run> runs;
  for (const auto& method : config.methods) {
    for (const auto seed : config.seeds) {
      runs.push_back(dr::run_method(config, data, method, seed));
      const auto& r = runs.back();
      double samples_per_second = 0;
      for (const auto& e : r.fit.history) samples_per_second += e.samples_per_second;
      samples_per_second /= static_cast<double>(r.fit.history.size());
      std::fprintf(stderr, "  %-18s seed %-3llu %5.1fs  best epoch %zu  %.0f samples/s\n", method.c_str(),
                   static_cast<unsigned long long>(seed), r.seconds, r.fit.best_epoch, samples_per_second);
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
    for (const auto& col : columns) std::printf(" | %-17s", cell(dr::per_seed(runs, method, col)).c_str());
    if (paired) {
      if (method == "normal") {
        std::printf(" | -");
      } else {
        const auto t = dr::paired_t_test(dr::per_seed(runs, method, columns.front()),
                                         dr::per_seed(runs, "normal", columns.front()));
        std::printf(" | %.3g", t.p);
      }
    }
    std::printf("\n");
  }
  std::printf("\nrecall/ndcg: clean test set, all items ranked except training positives. drop_precision: share of\n"
              "dropped (weight 0) training positives that are truly noisy; drop_recall: share of noisy ones dropped.\n");

  if (f.has("--out")) {
    dr::write_result_json(f.text("--out", ""), config, data.description, runs, columns);
    std::printf("result: %s\n", f.text("--out", "").c_str());
  }
  if (f.has("--export-weights")) {
    for (const auto& r : runs) {
      if (r.seed != config.seeds.front()) continue;
      const std::string path = with_method(f.text("--export-weights", ""), r.method);
      dr::export_weights(path, r, data);
      std::printf("weights: %s\n", path.c_str());
    }
  }
  if (f.has("--plot")) {
    for (const auto& path : dr::write_plots(f.text("--plot", ""), config, runs, data)) std::printf("plot: %s\n", path.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const denoise::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "denoise: unexpected error: %s\n", e.what());
    return 3;
  }
}
