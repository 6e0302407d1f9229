// From flags to an experiment, and the --help text, both driven by the registrations: the common
// flags are listed here, a task family's and a method's flags come from their registration.
#include "experiment.hpp"

#include <algorithm>
#include <set>
#include <utility>


namespace denoise_cli {
namespace {

const char* usage_head = R"(usage: denoise [flags]

Trains a recommender on implicit feedback with each denoising method and prints a table of
test metrics (mean ± std over seeds; with 2+ seeds, a paired t-test of each method vs normal).

)";

const std::vector<flag_spec> data_flags{
    {"--data", "SOURCE", "synthetic (default) | ml-100k:PATH/u.data | ml-dat:PATH/ratings.dat |\n"
                         "csv:PATH (with --columns, --delimiter, --header) |\n"
                         "movielens-ctr:DIR (ctr: u.data, u.item, u.user as AutoDenoise encodes them) |\n"
                         "autodenoise-csv:TRAIN,VALID,TEST (ctr: 8 field columns then the label) |\n"
                         "split:DIR (or sgdl:DIR): SGDL's three files DIR/<name>.train.rating,\n"
                         ".valid.rating, .test.negative (user item flag; flag 0 = noisy), SGDL's\n"
                         "protocol: validation on the noisy valid split, test items ranked\n"
                         "excluding train and valid items, --k 5,20 by default"},
    {"--columns", "MAP", "csv column map, e.g. user=0,item=1,rating=2,timestamp=3 (positions or\n"
                         "header names); default user=0,item=1,rating=2"},
    {"--delimiter", "D", "csv delimiter (default \",\"; \"tab\" for a tab)"},
    {"--header", "", "csv: the first line names the columns"},
    {"--noisy-below", "R", "a positive with rating < R is noise (default 3, as in the papers)"},
    {"--duplicates", "P", "a (user, item) pair listed twice in a data file: error (default) |\n"
                          "first | last (keep that row) | sum (add the ratings up, for counts)"},
    {"--synthetic-users", "N", "planted-noise data: users (default 600)"},
    {"--synthetic-items", "N", "items (default 800)"},
    {"--synthetic-positives", "N", "mean observed positives per user (default 40)"},
    {"--noise-rate", "R", "share of planted false positives (default 0.2)"},
    {"--synthetic-seed", "N", "generator seed (default 42)"},
    {"--synthetic-dim", "N", "latent factors of the true preferences (default 8)"},
    {"--popularity-skew", "S", "item popularity skew of the draws (default 1; 0: uniform)"},
    {"--like-share", "S", "share of items each user truly likes (clean positives come from them)"},
    {"--dislike-share", "S", "share each user truly dislikes (planted noise comes from them; 0.2)"},
    {"--noise-appeal", "S", "skew of planted noise towards taste-independent \"clickbait\" items (1)"},
};
const std::vector<flag_spec> split_flags{
    {"--split", "KIND", "random (default, ratios 8:1:1) | chrono (per user, 4:1:1) | leave-last"},
    {"--ratios", "A:B:C", "train:validation:test"},
    {"--leave-last", "K", "leave-last: K items per user for validation and K for test"},
    {"--split-seed", "N|per-seed", "(default 2024); per-seed: each training seed splits anew (seed s\n"
                                   "uses split seed 2024 + s), so ± covers the split too; validation and test\n"
                                   "keep true positives only"},
};
const std::vector<flag_spec> training_flags{
    {"--epochs", "N", "(default 20; synthetic 30)"},
    {"--batch-size", "N", "(default 1024)"},
    {"--batch-unit", "U", "what --batch-size counts: samples (default: positives and negatives together,\n"
                          "as the ADT reference counts them) | positives (each with its negatives)"},
    {"--lr", "X", "Adam learning rate (default 0.001; synthetic 0.005)"},
    {"--weight-decay", "X", "(default 0)"},
    {"--dense-adam", "", "PyTorch-style dense Adam instead of lazy sparse rows"},
    {"--rank-sampling", "", "uniform negatives by rank for every user (no rejection): the negatives\n"
                            "runs made before 2026-12-06 drew (the same distribution)"},
    {"--seeds", "LIST", "training seeds (default 1); --repeat N means seeds 1..N"},
    {"--repeat", "N", "seeds 1..N"},
    {"--k", "LIST", "ranking cut-offs (default 20)"},
    {"--monitor", "METRIC", "validation metric selecting the reported epoch (default ndcg@20)"},
    {"--patience", "N", "stop after N epochs without improvement (default 0: run all epochs)"},
    {"--select-every", "N",
     "select instead on the method's loss over the noisy validation positives (fresh negatives each "
     "time) every N steps, as the ADT reference does with N = 2000 (default 0: per epoch on --monitor)"},
    {"--threads", "N", "OpenMP threads (default: all)"},
};
const std::vector<flag_spec> output_flags{
    {"--metrics", "LIST", "table columns (default recall@K,ndcg@K for each K of --k, precision@K too\n"
                          "for split:DIR, then drop_precision,drop_recall)"},
    {"--out", "FILE.json", "machine-readable result (format: README.md, \"Result file\")"},
    {"--export-weights", "FILE", "per-sample weight and loss of the first seed's runs with the noise\n"
                                 "flag (.csv or .npy); one file per method: FILE with the method inserted"},
    {"--plot", "PREFIX",
     "SVG figures: PREFIX_curve.svg, PREFIX_<method>_loss.svg, and PREFIX_<method>_report.svg for\n"
     "autodenoise-h/-s (reward, baseline, weights of true vs false positives per epoch)"},
    {"--help", "", "this text"},
    {"--version", "", "the library version"},
};

std::vector<std::string> default_methods() {
  std::vector<std::string> names;
  for (const auto& m : registered_methods())
    if (m.by_default) names.push_back(m.name);
  return names;
}

std::vector<std::string> all_methods() {
  std::vector<std::string> names;
  for (const auto& m : registered_methods()) names.push_back(m.name);
  return names;
}

std::string joined(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

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
    return denoise::data::Column::at(flags::checked<int>("--columns", flags::parse_integer("--columns", spec)));
  }
  return denoise::data::Column::named(spec);
}

double share(const flags& f, const char* name, double fallback) {
  const double v = f.number(name, fallback);
  if (!(v >= 0.0 && v <= 1.0)) flags::fail(name, "must be in [0, 1]");
  return v;
}

double skew(const flags& f, const char* name, double fallback) {
  const double v = f.number(name, fallback);
  if (!(v >= 0.0 && v <= 100.0)) flags::fail(name, "must be in [0, 100]");
  return v;
}

/// The --data kinds by name, as families list them in task_registration::data_sources.
const std::vector<std::pair<std::string, data_kind>>& data_kinds() {
  static const std::vector<std::pair<std::string, data_kind>> kinds = {
      {"synthetic", data_kind::synthetic},         {"ml-100k", data_kind::movielens_100k},
      {"ml-dat", data_kind::movielens_dat},        {"csv", data_kind::delimited},
      {"split", data_kind::split_files},           {"sgdl", data_kind::split_files},
      {"movielens-ctr", data_kind::movielens_ctr}, {"autodenoise-csv", data_kind::ctr_files}};
  return kinds;
}

void parse_data(const flags& f, experiment_config& c, const task_registration& task) {
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

  const std::string data = f.text("--data", "synthetic");
  const auto colon = data.find(':');
  const std::string kind = data.substr(0, colon);
  const bool read_here =
      std::find(task.data_sources.begin(), task.data_sources.end(), kind) != task.data_sources.end() ||
      (kind == "sgdl" && std::find(task.data_sources.begin(), task.data_sources.end(), "split") != task.data_sources.end());
  if (!read_here)
    flags::fail("--data", "--task " + task.name + " reads " + joined(task.data_sources, ", ") + " (got '" + data + "')");
  const auto known = std::find_if(data_kinds().begin(), data_kinds().end(),
                                  [&](const std::pair<std::string, data_kind>& k) { return k.first == kind; });
  c.data.kind = known->second;  // every name a family may list is in data_kinds()
  if (c.data.kind != data_kind::synthetic) {
    if (colon == std::string::npos) flags::fail("--data", "expected " + kind + ":PATH (got '" + data + "')");
    c.data.path = data.substr(colon + 1);
  }
  if (c.data.kind == data_kind::delimited) {
    c.data.columns.rating = denoise::data::Column::at(2);
    for (const auto& pair : f.list("--columns", {})) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos) flags::fail("--columns", "expected role=column, got '" + pair + "'");
      const std::string role = pair.substr(0, eq), col = pair.substr(eq + 1);
      if (role == "user") c.data.columns.user = column_of(col);
      else if (role == "item") c.data.columns.item = column_of(col);
      else if (role == "rating") c.data.columns.rating = column_of(col);
      else if (role == "timestamp") c.data.columns.timestamp = column_of(col);
      else flags::fail("--columns", "unknown role '" + role + "' (user, item, rating, timestamp)");
    }
    const std::string d = f.text("--delimiter", ",");
    c.data.read.delimiter = d == "tab" ? "\t" : d;
    if (c.data.read.delimiter.empty()) flags::fail("--delimiter", "must not be empty");
    c.data.read.header = f.has("--header");
  } else if (f.has("--columns") || f.has("--delimiter") || f.has("--header")) {
    flags::fail(f.has("--columns") ? "--columns" : f.has("--delimiter") ? "--delimiter" : "--header",
                "only applies to --data csv:PATH");
  }
  c.data.noisy_below = static_cast<float>(f.number("--noisy-below", 3.0));
  if (f.has("--duplicates")) {
    if (c.data.kind != data_kind::movielens_100k && c.data.kind != data_kind::movielens_dat &&
        c.data.kind != data_kind::delimited)
      flags::fail("--duplicates", "only applies to a file of interactions (ml-100k:, ml-dat:, csv:)");
    const std::string policy = f.text("--duplicates", "error");
    using denoise::data::DuplicatePolicy;
    if (policy == "error") c.data.duplicates = DuplicatePolicy::error;
    else if (policy == "first") c.data.duplicates = DuplicatePolicy::keep_first;
    else if (policy == "last") c.data.duplicates = DuplicatePolicy::keep_last;
    else if (policy == "sum") c.data.duplicates = DuplicatePolicy::sum;
    else flags::fail("--duplicates", "unknown policy '" + policy + "' (error, first, last, sum)");
  }
  static const char* const synthetic_flags[] = {"--synthetic-users", "--synthetic-items", "--synthetic-positives",
                                                "--noise-rate",      "--synthetic-seed",  "--synthetic-dim",
                                                "--popularity-skew", "--like-share",      "--dislike-share",
                                                "--noise-appeal"};
  if (c.data.kind != data_kind::synthetic) {
    for (const char* name : synthetic_flags)
      if (f.has(name)) flags::fail(name, "only applies to --data synthetic");
    return;
  }
  // Checked here, against the flags, so that an error names the flag rather than the generator's
  // field, and so that no value reaches a float-to-integer cast it would overflow.
  auto& s = c.data.synthetic;
  s.n_users = f.integer_as<denoise::index_t>("--synthetic-users", s.n_users, 1);
  s.n_items = f.integer_as<denoise::index_t>("--synthetic-items", s.n_items, 2);
  s.mean_positives = f.number("--synthetic-positives", s.mean_positives);
  if (!(s.mean_positives > 0 && s.mean_positives <= static_cast<double>(s.n_items)))
    flags::fail("--synthetic-positives", "must be in (0, " + std::to_string(s.n_items) +
                                             "] (a user cannot have more positives than --synthetic-items)");
  s.noise_rate = share(f, "--noise-rate", s.noise_rate);
  s.seed = f.integer_as<std::uint64_t>("--synthetic-seed", s.seed);
  s.dim = f.integer_as<int>("--synthetic-dim", s.dim, 1);
  s.popularity_skew = skew(f, "--popularity-skew", s.popularity_skew);
  s.like_share = share(f, "--like-share", s.like_share);
  s.dislike_share = share(f, "--dislike-share", s.dislike_share);
  if (s.like_share + s.dislike_share > 1.0)
    flags::fail(f.has("--like-share") ? "--like-share" : "--dislike-share",
                "--like-share + --dislike-share must be <= 1");
  s.noise_appeal_skew = skew(f, "--noise-appeal", s.noise_appeal_skew);
}

void parse_split(const flags& f, experiment_config& c) {
  if (c.given_split()) {
    // The files are the split and their flag column the noise: nothing here may change them.
    for (const char* name : {"--split", "--ratios", "--leave-last", "--split-seed", "--noisy-below"})
      if (f.has(name)) flags::fail(name, "does not apply to --data split:DIR (the files are the split)");
    return;
  }
  const std::string split = f.text("--split", "random");
  if (split == "random") c.split = split_kind::random;
  else if (split == "chrono") c.split = split_kind::chronological, c.ratios = {4, 1, 1};
  else if (split == "leave-last") c.split = split_kind::leave_last;
  else flags::fail("--split", "unknown split '" + split + "' (random, chrono, leave-last)");
  if (f.has("--ratios")) {
    const auto parts = split_list(f.text("--ratios", ""), ':');
    if (parts.size() != 3) flags::fail("--ratios", "expected train:validation:test, e.g. 8:1:1");
    c.ratios = {flags::parse_double("--ratios", parts[0]), flags::parse_double("--ratios", parts[1]),
                flags::parse_double("--ratios", parts[2])};
  }
  c.leave_last = f.integer_as<std::size_t>("--leave-last", 1, 1);
  const std::string seed = f.text("--split-seed", "2024");
  c.split_per_seed = seed == "per-seed";
  c.split_seed =
      c.split_per_seed ? 2024 : flags::checked<std::uint64_t>("--split-seed", flags::parse_integer("--split-seed", seed));
}

void parse_training(const flags& f, experiment_config& c) {
  // Training defaults for the built-in data (real data keeps the papers' settings unless flags say
  // otherwise): Adam lr 0.005, 30 epochs.
  if (c.synthetic()) {
    c.lr = 0.005;
    c.epochs = 30;
  }
  c.epochs = f.integer_as<std::size_t>("--epochs", c.epochs, 1);
  c.batch_size = f.integer_as<std::size_t>("--batch-size", c.batch_size, 1);
  const std::string unit = f.text("--batch-unit", "samples");
  if (unit == "samples") c.batch_unit = denoise::train::batch_unit::samples;
  else if (unit == "positives") c.batch_unit = denoise::train::batch_unit::positives;
  else flags::fail("--batch-unit", "unknown unit '" + unit + "' (samples, positives)");
  c.lr = f.number("--lr", c.lr);
  c.weight_decay = f.number("--weight-decay", c.weight_decay);
  c.dense_adam = f.has("--dense-adam");
  c.rank_sampling = f.has("--rank-sampling");
  if (f.has("--seeds") && f.has("--repeat")) flags::fail("--repeat", "use either --seeds or --repeat");
  if (f.has("--repeat")) {
    c.seeds.clear();
    const auto n = f.integer("--repeat", 1, 1);
    for (std::int64_t i = 1; i <= n; ++i) c.seeds.push_back(static_cast<std::uint64_t>(i));
  } else if (f.has("--seeds")) {
    c.seeds.clear();
    for (const auto& item : f.list("--seeds", {})) {
      const auto seed = flags::checked<std::uint64_t>("--seeds", flags::parse_integer("--seeds", item));
      if (std::find(c.seeds.begin(), c.seeds.end(), seed) != c.seeds.end())
        flags::fail("--seeds", "seed " + std::to_string(seed) + " is listed twice");
      c.seeds.push_back(seed);
    }
  }
  if (c.given_split()) c.ks = {5, 20};  // SGDL's cut-offs
  if (f.has("--k")) {
    c.ks.clear();
    for (const auto& item : f.list("--k", {})) c.ks.push_back(flags::checked<int>("--k", flags::parse_integer("--k", item)));
  }
  // SGDL's protocol selects on the largest cut-off (ndcg@20); the other sources on the first.
  c.monitor = f.text("--monitor", "ndcg@" + std::to_string(c.given_split() ? c.ks.back() : c.ks.front()));
  c.patience = f.integer_as<std::size_t>("--patience", 0);
  c.select_every = f.integer_as<std::uint64_t>("--select-every", 0);
  if (c.select_every > 0 && f.has("--patience"))
    flags::fail("--patience", "does not apply with --select-every (selection on the validation loss never stops early)");
  if (c.select_every > 0 && f.has("--monitor"))
    flags::fail("--monitor", "does not apply with --select-every (it selects on the validation loss)");
  c.threads = f.integer_as<int>("--threads", 0);
}

// The table's columns: the family's defaults unless --metrics names them. A name no run reports is
// an error, not a column of "-".
std::vector<std::string> parse_columns(const flags& f, const experiment_config& c, const task_family& task) {
  const std::vector<std::string> known = task.metric_names(c);
  std::vector<std::string> columns = f.list("--metrics", task.default_columns(c));
  for (auto it = columns.begin(); it != columns.end(); ++it) {
    if (std::find(known.begin(), known.end(), *it) == known.end())
      flags::fail("--metrics", "no run reports '" + *it + "' (--task " + c.task + " reports " + joined(known, ", ") + ")");
    if (std::find(columns.begin(), it, *it) != it) flags::fail("--metrics", "'" + *it + "' is listed twice");
  }
  return columns;
}

}  // namespace

const cli_method& experiment::method(const std::string& name) const {
  for (const auto& m : methods)
    if (m.registration->name == name) return *m.method;
  throw denoise::config_error("unknown method '" + name + "'", denoise::location::of_field("--methods"));
}

flags read_flags(int argc, char** argv) {
  std::set<std::string> known{"--task"}, switches;
  auto add = [&](const std::vector<flag_spec>& specs) {
    for (const auto& s : specs) (s.value.empty() ? switches : known).insert(s.name);
  };
  for (const auto* group : {&data_flags, &split_flags, &training_flags, &output_flags}) add(*group);
  known.insert("--methods");
  for (const auto& t : registered_tasks()) add(t.flags);
  for (const auto& m : registered_methods()) add(m.flags);
  return flags(argc, argv, known, switches);
}

experiment parse_experiment(const flags& f) {
  experiment e;
  experiment_config& c = e.config;
  c.task = f.text("--task", "pairs");
  const task_registration* task = find_task(c.task);
  if (task == nullptr) {
    std::vector<std::string> names;
    for (const auto& t : registered_tasks()) names.push_back(t.name);
    flags::fail("--task", "unknown task '" + c.task + "' (" + joined(names, ", ") + ")");
  }
  // A flag of another family does not apply to this one.
  for (const auto& other : registered_tasks()) {
    if (other.name == task->name) continue;
    for (const auto& spec : other.flags) {
      const bool own = std::any_of(task->flags.begin(), task->flags.end(),
                                   [&](const flag_spec& s) { return s.name == spec.name; });
      if (!own && f.has(spec.name)) flags::fail(spec.name, "only applies to --task " + other.name);
    }
  }

  parse_data(f, c, *task);
  parse_split(f, c);
  parse_training(f, c);

  c.methods = f.list("--methods", default_methods());
  for (auto it = c.methods.begin(); it != c.methods.end(); ++it) {
    if (find_method(*it) == nullptr)
      flags::fail("--methods", "unknown method '" + *it + "' (" + joined(all_methods(), ", ") + ")");
    if (std::find(c.methods.begin(), it, *it) != it) flags::fail("--methods", "'" + *it + "' is listed twice");
  }
  // Every registered method reads its flags (so a bad value is an error even when the method is not
  // run, and the result file records every method's settings).
  const method_flags mf{f, c.synthetic()};
  for (const auto& registration : registered_methods()) e.methods.push_back({&registration, registration.make(mf)});

  e.task = task->make(f, c);
  c.validate();
  e.columns = parse_columns(f, c, *e.task);
  std::vector<selected_method> selected;
  for (const auto& name : c.methods) {
    if (!e.method(name).runs_in(c.task)) flags::fail("--methods", name + " does not run in --task " + c.task);
    selected.push_back({name, &e.method(name)});
  }
  e.task->check(selected);
  return e;
}

std::string usage() {
  std::string out = usage_head;
  out += "data\n";
  append_usage(out, data_flags);
  out += "split\n";
  append_usage(out, split_flags);
  std::string tasks;
  for (const auto& t : registered_tasks())
    tasks += (tasks.empty() ? "" : "\n") + t.name + (t.name == "pairs" ? " (default)" : "") + ": " + t.summary;
  out += "task\n";
  append_usage(out, {{"--task", "T", tasks}});
  for (const auto& t : registered_tasks()) {
    out += t.section + "\n";
    append_usage(out, t.flags);
  }
  out += "denoising\n";
  append_usage(out, {{"--methods", "LIST", joined(all_methods(), ",") + " (default: " + joined(default_methods(), ",") + ")"}});
  for (const auto& m : registered_methods()) append_usage(out, m.flags);
  out += "training\n";
  append_usage(out, training_flags);
  out += "output\n";
  append_usage(out, output_flags);
  return out;
}

}  // namespace denoise_cli
