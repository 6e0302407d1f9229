// AutoDenoise by RL instance selection (Lin et al., WWW'23; docs/autodenoise_selection.md) on the
// MovieLens 100K CTR data (data/movielens_ctr.hpp, 8 fields, label = rating > 3, seeded 80/10/10):
// DeepFM trained normally vs on the subset AutoDenoise selects (TopK per batch) vs AutoDenoise-v
// (Individual), for N seeds (each its own split, paired across the three). For each: the test AUC
// and LogLoss of the retrained model (fresh DeepFM, Adam 1e-3 / wd 1e-6, batch 2048, fixed order,
// early stopping on validation AUC with patience 2, at most 100 epochs, tested at its best
// validation epoch), the searching-epoch timings, and the subset exported as ids and as rows.
// --transfer also trains FM, Wide&Deep, DCN and IPNN on all rows and on DeepFM's TopK subset (the
// paper's Table 3).
//
// Other modes (AutoDenoise with TopK only, one line of CSV per seed and configuration in --out):
//   --sweep=C       C in {2..6} at the given ratio; --sweep=ratio: ratio in {0.95..0.99} at the given C
//                   (the paper's Figure 4): the validation AUC (and, for information, the test AUC) of
//                   the model retrained on the chosen subset, and Normal's once per seed, to
//                   autodenoise_sweep_<C|ratio>.csv (plot: bench/autodenoise/plot_sweeps.py).
//   --planted=r1,r2 labels of the training rows flipped (validation and test untouched), each flipped
//                   row flagged as noisy (evaluation only); --planted-mode=uniform|source|both:
//                   every row with probability r, or a "noisy source": users drawn in a seeded order
//                   until they hold 2r of the training rows, each of their rows flipped with
//                   probability 1/2. Reports the share of flipped rows among the dropped ones at the
//                   best-validation epoch (and every epoch) to autodenoise_planted.csv.
//   --timing        one search per seed, its timings (per searching epoch, validation phases,
//                   warm-up, whole search) to autodenoise_timing.csv; with --profile=code it is what
//                   bench/pytorch/autodenoise_twin.py mirrors.
//
//   bench_ml100k_autodenoise [data_dir] [--seeds=N] [--T=epochs] [--C=history] [--ratio=r]
//                            [--profile=paper|code] [--out=dir] [--threads=n] [--transfer]
//                            [--sweep=C|ratio] [--planted=rates [--planted-mode=m]] [--timing]
// data_dir defaults to $DENOISE_DATA_DIR/ml-100k.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/data/movielens_ctr.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/autodenoise_selection/autodenoise_selection.hpp>
#include <denoise/models/ctr/dcn.hpp>
#include <denoise/models/ctr/deep_fm.hpp>
#include <denoise/models/ctr/fm.hpp>
#include <denoise/models/ctr/ipnn.hpp>
#include <denoise/models/ctr/wide_deep.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

using namespace denoise;
using B = backends::Eigen<float>;
using DeepFM = models::DeepFM<B>;
using context_t = train::field_selection_context<DeepFM>;

namespace {

struct settings {
  std::string data_dir;
  std::size_t seeds = 1;
  methods::instance_selection_options selection;
  std::string out = ".";
  int threads = 1;
  bool transfer = false;
  std::string sweep;                 // "", "C" or "ratio"
  std::vector<double> planted;       // flip rates
  std::string planted_mode = "both";  // uniform, source or both
  bool timing = false;
};

struct outcome {
  double auc = 0, logloss = 0, seconds = 0;
  std::size_t rows = 0;
};

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}
double sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

train::trainer_options trainer(std::uint64_t seed, int threads) {
  train::trainer_options o;
  o.batch_size = 2048;
  o.seed = seed;
  o.threads = threads;
  o.track_instances = false;
  return o;
}

nn::Adam<B> model_adam() {
  nn::adam_options a;
  a.lr = 1e-3;
  a.weight_decay = 1e-6;
  return nn::Adam<B>(a);
}

/// Retrains a fresh model on `subset` (all rows when empty) and tests it at its best validation epoch.
template <class Context>
outcome retrain_and_test(Context& ctx, const std::vector<offset_t>& subset, std::uint64_t seed,
                         const train::evaluators::classification_target& test, const settings& s) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<offset_t> ids = subset;
  if (ids.empty()) {
    const auto all = ctx.data().instances();
    ids.assign(all.begin(), all.end());
  }
  const auto fit = ctx.retrain(ids, seed, "auc", s.selection.retrain_patience, s.selection.retrain_epochs);
  const auto r = ctx.evaluate(test);
  outcome o;
  o.auc = r.auc;
  o.logloss = r.log_loss;
  o.rows = ids.size();
  o.seconds = seconds_since(started);
  std::printf("    retrained on %zu rows: %zu epochs (best %zu, valid AUC %.4f), test AUC %.4f LogLoss %.4f (%.1f s)\n",
              ids.size(), fit.history.size(), fit.best_epoch, fit.history.at(fit.best_epoch - 1).value("auc"), o.auc,
              o.logloss, o.seconds);
  return o;
}

outcome run_autodenoise(context_t& ctx, std::uint64_t seed, methods::validation_selection how,
                        const train::evaluators::classification_target& test, const settings& s,
                        const std::string& label, std::vector<double>& epoch_seconds, std::vector<offset_t>& chosen) {
  auto o = s.selection;
  o.validation = how;
  methods::AutoDenoiseSelection policy(o);
  methods::AutoDenoiseSelection::State<B> state(policy, seed);
  state.on_epoch([&](const methods::search_epoch_record& r) {
    std::printf("    %s search epoch %zu: %.1f s searching, %.1f s validation phase; a2 share %.3f, mean reward %+.4f; "
                "subset %zu (positives kept %.3f, negatives kept %.3f); retrained %zu epochs, valid AUC %.4f\n",
                label.c_str(), r.epoch, r.search_seconds, r.validation_seconds, r.selected_share, r.mean_reward, r.kept,
                r.kept_positive_share, r.kept_negative_share, r.retrain_epochs, r.validation);
    std::fflush(stdout);
    epoch_seconds.push_back(r.search_seconds);
  });
  const auto started = std::chrono::steady_clock::now();
  const auto subset = train::select<methods::AutoDenoiseSelection>(state, ctx);
  const double search = seconds_since(started);
  std::printf("    %s: whole search %.1f s (warm-up, %zu searching epochs and their validation phases); best epoch %zu "
              "(selected on validation)\n",
              label.c_str(), search, o.searching_epochs, state.best_epoch());
  const std::string stem = s.out + "/autodenoise_" + label + "_seed" + std::to_string(seed);
  data::write_subset_csv(subset, stem + "_ids.csv");
  methods::write_subset_rows_csv(ctx.data(), subset, stem + "_rows.csv");
  std::printf("    subset written to %s_ids.csv and %s_rows.csv\n", stem.c_str(), stem.c_str());
  chosen = subset;
  auto result = retrain_and_test(ctx, subset, state.retrain_seed(state.best_epoch() - 1), test, s);
  result.seconds += search;
  return result;
}

/// Another backbone trained on all rows and on `subset`: test AUC (all, subset).
template <class Model>
std::pair<double, double> transfer(const data::field_split& split, const train::evaluators::classification_target& validation,
                                   const train::evaluators::classification_target& test, const std::vector<offset_t>& subset,
                                   std::uint64_t seed, const settings& s) {
  Model model(split.train.cardinalities());
  train::field_selection_context<Model> ctx(model, split.train, &validation, trainer(seed, s.threads), model_adam());
  std::printf("  %s on all rows / on DeepFM's subset\n", Model::name());
  const double all = retrain_and_test(ctx, {}, seed, test, s).auc;
  const double sub = retrain_and_test(ctx, subset, seed, test, s).auc;
  return {all, sub};
}

/// One AutoDenoise (TopK) search with the options `o`: the state after select() and the whole search's seconds.
struct search_result {
  std::vector<methods::search_epoch_record> history;
  std::size_t best_epoch = 0;
  std::vector<offset_t> subset;
  std::uint64_t retrain_seed = 0;
  double seconds = 0;
};

template <class Context>
search_result search(Context& ctx, std::uint64_t seed, const methods::instance_selection_options& o, const std::string& label) {
  methods::AutoDenoiseSelection::State<B> state(methods::AutoDenoiseSelection(o), seed);
  state.on_epoch([&](const methods::search_epoch_record& r) {
    std::printf("    %s epoch %zu: %.2f s searching, %.2f s validation (%zu retraining epochs); a2 share %.3f; subset %zu; "
                "valid AUC %.4f; dropped noisy share %.3f (noisy %.3f)\n",
                label.c_str(), r.epoch, r.search_seconds, r.validation_seconds, r.retrain_epochs, r.selected_share, r.kept,
                r.validation, r.dropped_noisy_share, r.noisy_share);
    std::fflush(stdout);
  });
  const auto started = std::chrono::steady_clock::now();
  search_result out;
  out.subset = train::select<methods::AutoDenoiseSelection>(state, ctx);
  out.seconds = seconds_since(started);
  out.history = state.history();
  out.best_epoch = state.best_epoch();
  out.retrain_seed = state.retrain_seed(state.best_epoch() - 1);
  return out;
}

std::ofstream open_csv(const std::string& path, const char* header) {
  std::ofstream f(path);
  if (!f) throw input_error("cannot write " + path, location::of_field("out"));
  f << header << "\n";
  std::printf("writing %s\n", path.c_str());
  return f;
}

/// Figure 4: C or ratio swept, AutoDenoise (TopK) only; Normal once per seed as the reference.
data::FieldDataset plant_flips(const data::FieldDataset& train, double rate, bool source, std::uint64_t seed);

/// Labels to flip in the training rows (plant_flips): a share, uniformly or in a noisy source.
struct flips {
  double rate;
  bool source;
};

/// One seed's setting, shared by every mode: the seeded split, its validation and test targets, a
/// fresh DeepFM and the selection context over the training rows (or over a copy of them with
/// labels flipped). Not movable: the context refers to members.
struct seed_fixture {
  seed_fixture(const data::FieldDataset& all, std::uint64_t seed, const settings& s,
               std::optional<flips> flipped = std::nullopt)
      : split(data::split_fields(all, seed)),
        has_planted(flipped.has_value()),
        planted(flipped ? plant_flips(split.train, flipped->rate, flipped->source, seed) : data::FieldDataset{}),
        validation(target(split.validation)),
        test(target(split.test)),
        model(train_rows().cardinalities()),
        ctx(model, train_rows(), &validation, trainer(seed, s.threads), model_adam()) {}
  seed_fixture(const seed_fixture&) = delete;
  seed_fixture& operator=(const seed_fixture&) = delete;

  const data::FieldDataset& train_rows() const { return has_planted ? planted : split.train; }

  const data::field_split split;
  const bool has_planted;
  const data::FieldDataset planted;
  train::evaluators::classification_target validation, test;
  DeepFM model;
  context_t ctx;

 private:
  static train::evaluators::classification_target target(const data::FieldDataset& rows) {
    train::evaluators::classification_target t;
    t.fields = &rows;
    return t;
  }
};

void run_sweep(const data::FieldDataset& all, const settings& s) {
  const bool sweep_c = s.sweep == "C";
  const std::vector<double> values = sweep_c ? std::vector<double>{2, 3, 4, 5, 6}
                                             : std::vector<double>{0.95, 0.96, 0.97, 0.98, 0.99};
  std::ofstream csv = open_csv(s.out + "/autodenoise_sweep_" + s.sweep + ".csv",
                               "sweep,C,ratio,seed,best_epoch,kept,valid_auc,valid_logloss,test_auc,test_logloss,search_seconds");
  for (std::size_t k = 0; k < s.seeds; ++k) {
    const std::uint64_t seed = 1000 + k;
    seed_fixture f(all, seed, s);
    context_t& ctx = f.ctx;
    const auto& test = f.test;
    std::printf("seed %llu\n  Normal\n", static_cast<unsigned long long>(seed));
    methods::AutoDenoiseSelection::State<B> probe(methods::AutoDenoiseSelection(s.selection), seed);
    {
      std::vector<offset_t> ids(ctx.data().instances().begin(), ctx.data().instances().end());
      const auto fit = ctx.retrain(ids, probe.retrain_seed(0), "auc", s.selection.retrain_patience, s.selection.retrain_epochs);
      const auto& best = fit.history.at(fit.best_epoch - 1);
      const auto r = ctx.evaluate(test);
      csv << s.sweep << ",normal,normal," << seed << ",0," << ids.size() << "," << best.value("auc") << ","
          << best.value("logloss") << "," << r.auc << "," << r.log_loss << ",0\n";
      std::printf("    valid AUC %.4f, test AUC %.4f\n", best.value("auc"), r.auc);
    }
    for (double v : values) {
      methods::instance_selection_options o = s.selection;
      if (sweep_c) {
        o.history = static_cast<std::size_t>(v);
      } else {
        o.ratio = v;
      }
      o.validate();
      std::ostringstream label;
      label << "C=" << o.history << " ratio=" << o.ratio;
      std::printf("  %s\n", label.str().c_str());
      const search_result found = search(ctx, seed, o, label.str());
      const auto& best = found.history.at(found.best_epoch - 1);
      // The validation phase's retraining once more (same seed, same subset) to read the test set.
      ctx.retrain(found.subset, found.retrain_seed, "auc", o.retrain_patience, o.retrain_epochs);
      const auto r = ctx.evaluate(test);
      std::printf("    best epoch %zu: valid AUC %.4f, test AUC %.4f (%.1f s)\n", found.best_epoch, best.validation, r.auc,
                  found.seconds);
      csv << s.sweep << "," << o.history << "," << o.ratio << "," << seed << "," << found.best_epoch << "," << best.kept
          << "," << best.validation << "," << best.validation_logloss << "," << r.auc << "," << r.log_loss << ","
          << found.seconds << "\n";
      csv.flush();
    }
  }
}

/// The training rows with labels flipped (uniformly, or in a noisy source of users), flips flagged.
data::FieldDataset plant_flips(const data::FieldDataset& train, double rate, bool source, std::uint64_t seed) {
  const random::counter_stream stream(random::derive_seed(seed, source ? "planted.source" : "planted.uniform"));
  std::vector<std::uint8_t> in_source(train.size(), source ? 0 : 1);
  if (source) {
    const std::size_t user = train.find_field("user");
    if (user == train.n_fields()) throw input_error("the data has no user field", location::of_field("user"));
    const auto users = static_cast<std::size_t>(train.cardinality(user));
    std::vector<std::size_t> order(users), rows_of(users, 0);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t u = users; u > 1; --u)  // Fisher-Yates on the counter stream
      std::swap(order[u - 1], order[static_cast<std::size_t>(stream.bits(u) % u)]);
    for (std::size_t r = 0; r < train.size(); ++r) ++rows_of[static_cast<std::size_t>(train.code(r, user))];
    std::vector<std::uint8_t> chosen(users, 0);
    std::size_t covered = 0;
    for (std::size_t k = 0; k < users && static_cast<double>(covered) < 2.0 * rate * static_cast<double>(train.size()); ++k) {
      chosen[order[k]] = 1;
      covered += rows_of[order[k]];
    }
    for (std::size_t r = 0; r < train.size(); ++r) in_source[r] = chosen[static_cast<std::size_t>(train.code(r, user))];
  }
  const double p = source ? 0.5 : rate;
  data::FieldDataset out(train.field_names(), train.cardinalities());
  out.reserve(train.size());
  std::vector<std::uint8_t> flags(train.size(), 0);
  for (std::size_t r = 0; r < train.size(); ++r) {
    const bool flip = in_source[r] != 0 && stream.uniform<double>(1000000 + r) < p;
    const float label = train.labels()[r];
    out.push_back_with_instance(train.row(r), flip ? 1.0f - label : label, train.instances()[r]);
    flags[r] = flip ? 1 : 0;
  }
  out.set_noisy(std::move(flags));
  return out;
}

/// Planted flips: the share of flipped rows among the ones Θ drops, per flip rate and seed.
void run_planted(const data::FieldDataset& all, const settings& s) {
  std::vector<bool> modes;
  if (s.planted_mode != "source") modes.push_back(false);
  if (s.planted_mode != "uniform") modes.push_back(true);
  std::ofstream csv = open_csv(s.out + "/autodenoise_planted.csv",
                               "mode,rate,seed,epoch,best,flipped_share,dropped,dropped_flipped_share,valid_auc,a2_share");
  for (bool source : modes) {
    for (double rate : s.planted) {
      for (std::size_t k = 0; k < s.seeds; ++k) {
        const std::uint64_t seed = 1000 + k;
        seed_fixture f(all, seed, s, flips{rate, source});
        const data::FieldDataset& noisy = f.planted;
        std::ostringstream label;
        label << (source ? "source" : "uniform") << " " << rate << " seed " << seed;
        std::printf("  %s\n", label.str().c_str());
        const search_result found = search(f.ctx, seed, s.selection, label.str());
        for (const auto& r : found.history) {
          csv << (source ? "source" : "uniform") << "," << rate << "," << seed << "," << r.epoch << ","
              << (r.epoch == found.best_epoch ? 1 : 0) << "," << r.noisy_share << "," << noisy.size() - r.kept << ","
              << r.dropped_noisy_share << "," << r.validation << "," << r.selected_share << "\n";
        }
        csv.flush();
      }
    }
  }
}

/// Timings of one search per seed (AutoDenoise TopK; --profile=code for the twin's comparison).
void run_timing(const data::FieldDataset& all, const settings& s) {
  std::ofstream csv = open_csv(s.out + "/autodenoise_timing.csv",
                               "profile,seed,epoch,search_seconds,validation_seconds,retrain_epochs,warm_up_seconds,whole_seconds");
  for (std::size_t k = 0; k < s.seeds; ++k) {
    const std::uint64_t seed = 1000 + k;
    seed_fixture f(all, seed, s);
    const search_result found = search(f.ctx, seed, s.selection, methods::name_of(s.selection.profile));
    double phases = 0;
    for (const auto& r : found.history) phases += r.search_seconds + r.validation_seconds;
    const double warm_up = found.seconds - phases;  // begin() + C warm-up epochs
    std::printf("  whole search %.2f s, warm-up %.2f s\n", found.seconds, warm_up);
    for (const auto& r : found.history) {
      csv << methods::name_of(s.selection.profile) << "," << seed << "," << r.epoch << "," << r.search_seconds << ","
          << r.validation_seconds << "," << r.retrain_epochs << "," << warm_up << "," << found.seconds << "\n";
    }
  }
}

bool flag(const std::string& a, const char* name, std::string& value) {
  const std::string prefix = std::string("--") + name + "=";
  if (a.compare(0, prefix.size(), prefix) != 0) return false;
  value = a.substr(prefix.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  s.selection.searching_epochs = 3;
  const char* env = std::getenv("DENOISE_DATA_DIR");
  s.data_dir = env != nullptr ? std::string(env) + "/ml-100k" : "ml-100k";
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      std::string v;
      if (flag(a, "seeds", v)) {
        s.seeds = std::stoul(v);
      } else if (flag(a, "T", v)) {
        s.selection.searching_epochs = std::stoul(v);
      } else if (flag(a, "C", v)) {
        s.selection.history = std::stoul(v);
      } else if (flag(a, "ratio", v)) {
        s.selection.ratio = std::stod(v);
      } else if (flag(a, "profile", v)) {
        if (v != "paper" && v != "code") throw config_error("--profile must be paper or code", location::of_field("profile"));
        s.selection.profile = v == "paper" ? methods::selection_profile::paper : methods::selection_profile::code;
      } else if (flag(a, "out", v)) {
        s.out = v;
      } else if (flag(a, "sweep", v)) {
        if (v != "C" && v != "ratio") throw config_error("--sweep must be C or ratio", location::of_field("sweep"));
        s.sweep = v;
      } else if (flag(a, "planted", v)) {
        std::stringstream list(v);
        std::string item;
        while (std::getline(list, item, ',')) {
          const double r = std::stod(item);
          if (!(r > 0.0 && r < 0.5)) throw config_error("--planted: flip rates in (0, 0.5)", location::of_field("planted"));
          s.planted.push_back(r);
        }
      } else if (flag(a, "planted-mode", v)) {
        if (v != "uniform" && v != "source" && v != "both")
          throw config_error("--planted-mode must be uniform, source or both", location::of_field("planted-mode"));
        s.planted_mode = v;
      } else if (a == "--timing") {
        s.timing = true;
      } else if (a == "--transfer") {
        s.transfer = true;
      } else if (flag(a, "threads", v)) {
        s.threads = std::stoi(v);
      } else if (a.rfind("--", 0) == 0) {
        throw config_error("unknown flag " + a, location::of_field("argv"));
      } else {
        s.data_dir = a;
      }
    }
    s.selection.validate();

    const data::FieldDataset all = data::load_movielens_100k_ctr_fields(s.data_dir);
    std::printf("ml-100k CTR: %zu rows, %zu fields, positive rate %.3f; C %zu, T %zu, ratio %.2f, profile %s, threads %d\n",
                all.size(), all.n_fields(), all.positive_rate(), s.selection.history, s.selection.searching_epochs,
                s.selection.ratio, methods::name_of(s.selection.profile), s.threads);
    if (!s.sweep.empty()) {
      run_sweep(all, s);
      return 0;
    }
    if (!s.planted.empty()) {
      run_planted(all, s);
      return 0;
    }
    if (s.timing) {
      run_timing(all, s);
      return 0;
    }
    std::vector<double> auc[3], logloss[3], epoch_seconds, transfer_all[4], transfer_subset[4];
    const char* backbones[4] = {"FM", "Wide&Deep", "DCN", "IPNN"};
    const char* names[3] = {"Normal", "AutoDenoise", "AutoDenoise-v"};
    for (std::size_t k = 0; k < s.seeds; ++k) {
      const std::uint64_t seed = 1000 + k;
      seed_fixture f(all, seed, s);
      context_t& ctx = f.ctx;
      const data::field_split& split = f.split;
      const auto& validation = f.validation;
      const auto& test = f.test;
      std::printf("seed %llu: train %zu, valid %zu, test %zu\n", static_cast<unsigned long long>(seed),
                  split.train.size(), split.validation.size(), split.test.size());
      // Normal: the same retraining, from the seed every AutoDenoise validation phase uses.
      methods::AutoDenoiseSelection::State<B> probe(methods::AutoDenoiseSelection(s.selection), seed);
      std::printf("  Normal\n");
      const outcome normal = retrain_and_test(ctx, {}, probe.retrain_seed(0), test, s);
      std::printf("  AutoDenoise (TopK)\n");
      std::vector<offset_t> top_subset, v_subset;
      const outcome top =
          run_autodenoise(ctx, seed, methods::validation_selection::top_k, test, s, "topk", epoch_seconds, top_subset);
      std::printf("  AutoDenoise-v (Individual)\n");
      const outcome v = run_autodenoise(ctx, seed, methods::validation_selection::individual, test, s, "individual",
                                        epoch_seconds, v_subset);
      if (s.transfer) {
        const std::pair<double, double> t[4] = {
            transfer<models::FM<B>>(split, validation, test, top_subset, seed, s),
            transfer<models::WideDeep<B>>(split, validation, test, top_subset, seed, s),
            transfer<models::DCN<B>>(split, validation, test, top_subset, seed, s),
            transfer<models::IPNN<B>>(split, validation, test, top_subset, seed, s)};
        for (int m = 0; m < 4; ++m) {
          transfer_all[m].push_back(t[m].first);
          transfer_subset[m].push_back(t[m].second);
        }
      }
      const outcome* o[3] = {&normal, &top, &v};
      for (int m = 0; m < 3; ++m) {
        auc[m].push_back(o[m]->auc);
        logloss[m].push_back(o[m]->logloss);
      }
    }
    std::printf("\nsummary over %zu seed(s), test metrics of the retrained DeepFM (subset chosen on validation):\n", s.seeds);
    for (int m = 0; m < 3; ++m) {
      std::printf("  %-14s AUC %.4f ± %.4f  LogLoss %.4f ± %.4f\n", names[m], mean(auc[m]), sd(auc[m]), mean(logloss[m]),
                  sd(logloss[m]));
    }
    for (int m = 1; m < 3; ++m) {
      std::vector<double> d;
      for (std::size_t k = 0; k < s.seeds; ++k) d.push_back(auc[m][k] - auc[0][k]);
      const double se = d.size() > 1 ? sd(d) / std::sqrt(static_cast<double>(d.size())) : 0.0;
      std::printf("  %s - Normal: AUC %+.4f (paired, se %.4f%s)\n", names[m], mean(d), se,
                  d.size() > 1 ? "" : "; one seed: no test");
    }
    if (s.transfer) {
      std::printf("  transfer of DeepFM's TopK subset (test AUC, all rows -> subset):\n");
      for (int m = 0; m < 4; ++m)
        std::printf("    %-10s %.4f -> %.4f\n", backbones[m], mean(transfer_all[m]), mean(transfer_subset[m]));
    }
    std::printf("  searching epoch: %.2f ± %.2f s (%zu epochs)\n", mean(epoch_seconds), sd(epoch_seconds),
                epoch_seconds.size());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
