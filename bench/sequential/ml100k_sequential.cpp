// The sequential task on MovieLens 100K (docs/sequential.md): 10-core filter, protocol chrono
// (4:1:1) or loo (leave-one-out), MF / GRU4Rec / SASRec with the full softmax, Adam, trained by the
// Trainer (batchers::SequenceWindows, evaluators::SequenceRanking) with no denoising or with Ge et
// al.'s controller (autodenoise-h, autodenoise-s; docs/autodenoise_controller.md).
//
// One invocation trains `--seeds N` runs (seeds seed, seed+1, ..., seed+N-1); a run's seed draws the
// model's initialisation, the dropout masks and the batch order. The split is deterministic per
// protocol (no randomness in data::split_sequences), so every seed sees the same data.
// Epoch selection: after every epoch the validation NDCG@10 is measured; the parameters of the best
// epoch are kept and restored at the end, and training stops after `--patience` epochs without
// improvement or at the epoch cap. The test set is evaluated once, on the restored model: it never
// takes part in the selection.
// Prints the filtered sizes, each epoch (loss, seconds, validation NDCG@10 and AUC, the controller's
// mean weights of true vs false positives), per seed the selected epoch, the median epoch seconds
// and the test P/R/F1/NDCG @10/20/50, then mean ± std (sample std, n-1) over the seeds and a
// markdown row for bench/sequential/README.md.
//
// Built as build/<dir>/bench/bench_ml100k_sequential:
//   bench_ml100k_sequential u.data chrono|loo mf|gru4rec|sasrec [epochs] [seed] [none|autodenoise-h|autodenoise-s]
//                           [--seeds N] [--patience P] [--lr X] [--batch B] [--window W]
// Defaults: epochs (the cap) 10, seed 1, none, --seeds 1, --patience 3, --lr 1e-3, --batch 128,
// --window 10 (the settings of docs/sequential.md; see bench/sequential/README.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/core_filter.hpp>
#include <denoise/data/movielens.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/metrics/sequence_evaluation.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/callbacks/early_stopping.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/trainer.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {

struct settings {
  std::string protocol = "loo", model = "sasrec", method = "none";
  int epochs = 10;
  std::uint64_t seed = 1;
  int seeds = 1;
  int patience = 3;
  double lr = 1e-3;
  int batch = 128;
  int window = 10;
};

/// What one seed leaves: the test metrics of the selected epoch and the timing.
struct seed_result {
  std::uint64_t seed = 0;
  std::size_t best_epoch = 0, epochs_run = 0;
  double best_valid_ndcg10 = 0.0, median_epoch_seconds = 0.0;
  metrics::sequence_ranking_result test;
};

void print(const char* what, const metrics::sequence_ranking_result& r) {
  std::printf("%s (%zu users):", what, r.users);
  for (std::size_t c = 0; c < r.cutoffs.size(); ++c)
    std::printf("  @%d P %.4f R %.4f F1 %.4f NDCG %.4f", r.cutoffs[c], r.precision[c], r.recall[c], r.f1[c], r.ndcg[c]);
  std::printf("\n");
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Prints each epoch as it ends (a Trainer callback); the mean weights of true vs false positives
/// come from the trainer's denoising report (the batcher's flags: rating < 3).
struct print_epoch {
  template <class Model>
  bool on_epoch_end(const train::epoch_record& r, Model& /*model*/) const {
    std::printf("epoch %zu: loss %.4f, %.2f s (+%.2f s eval), valid NDCG@10 %.4f, AUC %.4f", r.epoch, r.train_loss,
                r.seconds, r.eval_seconds, r.value("ndcg@10"), r.value("auc"));
    const double noisy = r.value("weight_noisy_mean"), clean = r.value("weight_clean_mean");
    if (noisy == noisy && clean == clean) std::printf(", mean weight true %.3f / false positives %.3f", clean, noisy);
    std::printf("\n");
    std::fflush(stdout);
    return false;
  }
};

template <class Model, class Method>
seed_result run(Model& m, const data::sequence_split& split, const data::sequence_protocol_options& protocol,
                const settings& st, std::uint64_t seed, Method method) {
  const auto window = static_cast<index_t>(st.window);
  const train::batchers::SequenceWindows batcher(split, window);
  train::trainer_options to;
  to.epochs = static_cast<std::size_t>(st.epochs);
  to.batch_size = static_cast<std::size_t>(st.batch);
  to.seed = seed;
  nn::adam_options adam;
  adam.lr = st.lr;
  train::Trainer<Model, losses::SoftmaxCrossEntropy, Method> trainer(m, nn::Adam<B>(adam), method, to);
  const auto valid = train::evaluators::sequence_target::validation(split, protocol, window);
  const auto test = train::evaluators::sequence_target::test(split, protocol, window);
  std::printf("seed %llu: %s + %s\n", static_cast<unsigned long long>(seed), Model::name(), Method::name());
  // Selection on validation NDCG@10 only; the test holdout is scored once, after the restore.
  train::early_stopping<B> select("ndcg@10", static_cast<std::size_t>(st.patience));
  const auto fit = trainer.fit(batcher, &valid, print_epoch{}, select);
  seed_result out;
  out.seed = seed;
  out.best_epoch = fit.best_epoch;
  out.epochs_run = fit.history.size();
  out.best_valid_ndcg10 = select.best_value();
  std::vector<double> seconds;
  for (const auto& e : fit.history) seconds.push_back(e.seconds);
  out.median_epoch_seconds = median(seconds);
  out.test = trainer.evaluate(test).ranking;
  std::printf("seed %llu: selected epoch %zu of %zu (valid NDCG@10 %.4f), median epoch %.2f s\n",
              static_cast<unsigned long long>(seed), out.best_epoch, out.epochs_run, out.best_valid_ndcg10,
              out.median_epoch_seconds);
  print("test", out.test);
  std::fflush(stdout);
  return out;
}

template <class Model>
seed_result run_method(Model& m, const data::sequence_split& split, const data::sequence_protocol_options& protocol,
                       const settings& st, std::uint64_t seed) {
  if (st.method == "autodenoise-h") return run(m, split, protocol, st, seed, methods::AutoDenoiseH{});
  if (st.method == "autodenoise-s") return run(m, split, protocol, st, seed, methods::AutoDenoiseS{});
  return run(m, split, protocol, st, seed, methods::None{});
}

seed_result run_seed(const data::Sequences& s, const data::sequence_split& split,
                     const data::sequence_protocol_options& o, const settings& st, std::uint64_t seed) {
  if (st.model == "mf") {
    models::MFSoftmax<B> m(s.n_users(), s.n_items(), {}, seed);
    return run_method(m, split, o, st, seed);
  }
  if (st.model == "gru4rec") {
    models::GRU4Rec<B> m(s.n_users(), s.n_items(), {}, seed);
    return run_method(m, split, o, st, seed);
  }
  models::SASRec<B> m(s.n_users(), s.n_items(), {}, seed);
  return run_method(m, split, o, st, seed);
}

/// mean and sample standard deviation (n - 1; 0 for one value).
void mean_std(const std::vector<double>& v, double& mean, double& sd) {
  mean = 0.0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0.0;
  for (double x : v) ss += (x - mean) * (x - mean);
  sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
}

void summarise(const std::vector<seed_result>& runs, const settings& st) {
  const auto& cutoffs = runs.front().test.cutoffs;
  std::printf("\nsummary: %s %s %s, %zu seeds, test metrics at the epoch of best validation NDCG@10 (mean ± std)\n",
              st.protocol.c_str(), st.model.c_str(), st.method.c_str(), runs.size());
  std::string row = "| " + st.protocol + " | " + st.model + " |";
  for (std::size_t c = 0; c < cutoffs.size(); ++c) {
    const std::vector<double> metrics::sequence_ranking_result::*fields[] = {
        &metrics::sequence_ranking_result::precision, &metrics::sequence_ranking_result::recall,
        &metrics::sequence_ranking_result::f1, &metrics::sequence_ranking_result::ndcg};
    const char* names[] = {"P", "R", "F1", "NDCG"};
    for (int f = 0; f < 4; ++f) {
      std::vector<double> v;
      for (const auto& r : runs) v.push_back((r.test.*fields[f])[c]);
      double mean = 0.0, sd = 0.0;
      mean_std(v, mean, sd);
      std::printf("  %s@%d %.4f ± %.4f", names[f], cutoffs[c], mean, sd);
      char cell[64];
      std::snprintf(cell, sizeof cell, " %.4f ± %.4f |", mean, sd);
      row += cell;
    }
    std::printf("\n");
  }
  std::vector<double> best, secs;
  for (const auto& r : runs) {
    best.push_back(static_cast<double>(r.best_epoch));
    secs.push_back(r.median_epoch_seconds);
  }
  double best_mean = 0.0, best_sd = 0.0;
  mean_std(best, best_mean, best_sd);
  std::printf("  selected epoch %.1f ± %.1f, median epoch %.2f s\n", best_mean, best_sd, median(secs));
  std::printf("markdown:%s\n", row.c_str());
}

int usage(const char* self) {
  std::fprintf(stderr,
               "usage: %s u.data chrono|loo mf|gru4rec|sasrec [epochs] [seed] [none|autodenoise-h|autodenoise-s]\n"
               "          [--seeds N] [--patience P] [--lr X] [--batch B] [--window W]\n",
               self);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  settings st;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      positional.push_back(a);
      continue;
    }
    if (i + 1 >= argc) return usage(argv[0]);
    const char* v = argv[++i];
    if (a == "--seeds") st.seeds = std::atoi(v);
    else if (a == "--patience") st.patience = std::atoi(v);
    else if (a == "--lr") st.lr = std::atof(v);
    else if (a == "--batch") st.batch = std::atoi(v);
    else if (a == "--window") st.window = std::atoi(v);
    else return usage(argv[0]);
  }
  if (positional.size() < 3) return usage(argv[0]);
  st.protocol = positional[1];
  st.model = positional[2];
  if (positional.size() > 3) st.epochs = std::atoi(positional[3].c_str());
  if (positional.size() > 4) st.seed = std::strtoull(positional[4].c_str(), nullptr, 10);
  if (positional.size() > 5) st.method = positional[5];
  if ((st.protocol != "loo" && st.protocol != "chrono") || (st.model != "mf" && st.model != "gru4rec" && st.model != "sasrec") ||
      (st.method != "none" && st.method != "autodenoise-h" && st.method != "autodenoise-s") || st.epochs <= 0 ||
      st.seeds <= 0 || st.patience < 0 || !(st.lr > 0.0) || st.batch <= 0 || st.window <= 0) {
    std::fprintf(stderr, "bad argument\n");
    return usage(argv[0]);
  }
  std::printf("settings: epochs cap %d, patience %d (on valid NDCG@10), seeds %llu..%llu, lr %g, batch %d, window %d\n",
              st.epochs, st.patience, static_cast<unsigned long long>(st.seed),
              static_cast<unsigned long long>(st.seed + static_cast<std::uint64_t>(st.seeds) - 1), st.lr, st.batch,
              st.window);

  const auto raw = data::Sequences::from(data::load_movielens_100k(positional[0]));
  data::core_filter_report rep;
  const auto s = data::core_filter(raw, 10, &rep);
  std::printf("10-core: users %zu -> %zu, items %zu -> %zu, interactions %zu -> %zu (%zu rounds)\n", rep.users_before,
              rep.users_after, rep.items_before, rep.items_after, rep.interactions_before, rep.interactions_after, rep.rounds);
  data::sequence_protocol_options o;
  o.protocol = st.protocol == "loo" ? data::sequence_protocol::leave_one_out : data::sequence_protocol::chronological;
  const auto split = data::split_sequences(s, o);  // deterministic: the same for every seed
  std::printf("%s: train %zu, valid users %zu, test users %zu\n", st.protocol.c_str(), split.train_size(),
              split.valid.size(), split.test.size());
  std::vector<seed_result> runs;
  for (int k = 0; k < st.seeds; ++k) runs.push_back(run_seed(s, split, o, st, st.seed + static_cast<std::uint64_t>(k)));
  summarise(runs, st);
  return 0;
}
