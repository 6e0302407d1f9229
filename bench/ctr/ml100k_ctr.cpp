// The five CTR backbones (FM, Wide&Deep, DeepFM, DCN, IPNN; models/ctr) on MovieLens 100K as
// AutoDenoise encodes it (data/movielens_ctr.hpp: 8 fields, label = rating > 3), issue 12's table.
// For each of N seeds: a seeded 80/10/10 split (data::split_fields) and, per model, a model
// initialised from the same seed (paired across models); Adam lr 1e-3, weight decay 1e-6, batch
// 2048, rows in fixed order, at most 100 epochs, early stopping on validation AUC with patience 2,
// the best-validation parameters tested. Prints the field cardinalities, each split's rows and
// positive rate, and per model and seed the median training seconds per epoch (evaluation
// excluded), epochs run, best epoch, test AUC and LogLoss; then mean ± std (sample std) over seeds.
//
//   bench_ml100k_ctr [data_dir] [--seeds=N] [--first-seed=S] [--models=fm,wd,deepfm,dcn,ipnn]
//                    [--threads=n] [--epochs=E] [--patience=P] [--order=fixed|shuffled]
// data_dir defaults to $DENOISE_DATA_DIR/ml-100k. --epochs caps the epochs (100 by default); with
// --patience=0 every capped epoch runs (the speed comparison with bench/pytorch/ctr_twin.py), the
// best-validation epoch is still the one tested.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/error.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/data/movielens_ctr.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/models/ctr/ctr.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/field_rows.hpp>
#include <denoise/train/callbacks/early_stopping.hpp>
#include <denoise/train/evaluators/classification.hpp>
#include <denoise/train/trainer.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {

struct settings {
  std::string data_dir;
  std::size_t seeds = 5;
  std::uint64_t first_seed = 1;
  std::vector<std::string> models{"fm", "wd", "deepfm", "dcn", "ipnn"};
  int threads = 1;
  std::size_t epochs = 100;
  std::size_t patience = 2;
  data::Order order = data::Order::fixed;
};

/// One model trained and tested on one seed's split.
struct run_result {
  double epoch_seconds = 0;  ///< median training seconds per epoch
  std::size_t epochs = 0, best_epoch = 0;
  double valid_auc = 0, test_auc = 0, test_logloss = 0;
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

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

template <class Model>
run_result train_and_test(const data::field_split& split, std::uint64_t seed, const settings& s) {
  Model model(split.train.cardinalities(), models::ctr_options{}, seed);
  nn::adam_options adam;
  adam.lr = 1e-3;
  adam.weight_decay = 1e-6;
  train::trainer_options options;
  options.epochs = s.epochs;
  options.batch_size = 2048;
  options.seed = seed;
  options.threads = s.threads;
  options.track_instances = false;
  train::Trainer<Model, losses::BCE, methods::None, nn::Adam<B>, train::evaluators::Classification> trainer(
      model, nn::Adam<B>(adam), methods::None{}, options);
  train::evaluators::classification_target validation, test;
  validation.fields = &split.validation;
  test.fields = &split.test;
  // Restores the best validation epoch's parameters (BatchNorm running statistics included).
  train::early_stopping<B> stop("auc", s.patience);
  const auto fit = trainer.fit(train::batchers::FieldRows(split.train, s.order), &validation, stop);
  std::vector<double> seconds;
  for (const auto& r : fit.history) seconds.push_back(r.seconds);
  const auto t = trainer.evaluate(test);
  run_result out;
  out.epoch_seconds = median(seconds);
  out.epochs = fit.history.size();
  out.best_epoch = fit.best_epoch;
  out.valid_auc = fit.history.at(fit.best_epoch - 1).value("auc");
  out.test_auc = t.auc;
  out.test_logloss = t.log_loss;
  return out;
}

run_result train_by_name(const std::string& name, const data::field_split& split, std::uint64_t seed,
                         const settings& s) {
  if (name == "fm") return train_and_test<models::FM<B>>(split, seed, s);
  if (name == "wd") return train_and_test<models::WideDeep<B>>(split, seed, s);
  if (name == "deepfm") return train_and_test<models::DeepFM<B>>(split, seed, s);
  if (name == "dcn") return train_and_test<models::DCN<B>>(split, seed, s);
  if (name == "ipnn") return train_and_test<models::IPNN<B>>(split, seed, s);
  throw config_error("unknown model '" + name + "' (fm, wd, deepfm, dcn, ipnn)", location::of_field("models"));
}

const char* display_name(const std::string& name) {
  if (name == "fm") return "FM";
  if (name == "wd") return "Wide&Deep";
  if (name == "deepfm") return "DeepFM";
  if (name == "dcn") return "DCN";
  return "IPNN";
}

bool flag(const std::string& a, const char* name, std::string& value) {
  const std::string prefix = std::string("--") + name + "=";
  if (a.compare(0, prefix.size(), prefix) != 0) return false;
  value = a.substr(prefix.size());
  return true;
}

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream in(v);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

settings parse(int argc, char** argv) {
  settings s;
  const char* env = std::getenv("DENOISE_DATA_DIR");
  s.data_dir = env != nullptr ? std::string(env) + "/ml-100k" : "ml-100k";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    std::string v;
    if (flag(a, "seeds", v)) {
      s.seeds = std::stoul(v);
    } else if (flag(a, "first-seed", v)) {
      s.first_seed = std::stoull(v);
    } else if (flag(a, "models", v)) {
      s.models = split_list(v);
    } else if (flag(a, "threads", v)) {
      s.threads = std::stoi(v);
    } else if (flag(a, "epochs", v)) {
      s.epochs = std::stoul(v);
    } else if (flag(a, "patience", v)) {
      s.patience = std::stoul(v);
    } else if (flag(a, "order", v)) {
      if (v != "fixed" && v != "shuffled") throw config_error("--order must be fixed or shuffled", location::of_field("order"));
      s.order = v == "fixed" ? data::Order::fixed : data::Order::shuffled;
    } else if (a.rfind("--", 0) == 0) {
      throw config_error("unknown flag " + a, location::of_field("argv"));
    } else {
      s.data_dir = a;
    }
  }
  if (s.seeds == 0) throw config_error("must be positive", location::of_field("seeds"));
  if (s.epochs == 0) throw config_error("must be positive", location::of_field("epochs"));
  if (s.models.empty()) throw config_error("no model named", location::of_field("models"));
  for (const auto& m : s.models)
    if (m != "fm" && m != "wd" && m != "deepfm" && m != "dcn" && m != "ipnn")
      throw config_error("unknown model '" + m + "' (fm, wd, deepfm, dcn, ipnn)", location::of_field("models"));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const settings s = parse(argc, argv);
    const data::FieldDataset all = data::load_movielens_100k_ctr_fields(s.data_dir);
    std::printf("ml-100k CTR: %zu rows, %zu fields, positive rate %.5f\n", all.size(), all.n_fields(),
                all.positive_rate());
    static const char* const field_names[8] = {"item", "genres", "year", "user", "occupation", "age", "gender", "zip"};
    std::printf("cardinalities:");
    for (std::size_t f = 0; f < all.n_fields(); ++f)
      std::printf(" %s %d", f < 8 ? field_names[f] : "?", static_cast<int>(all.cardinalities()[f]));
    std::printf("\nsettings: %zu seed(s) from %llu, at most %zu epochs, patience %zu, order %s, threads %d\n", s.seeds,
                static_cast<unsigned long long>(s.first_seed), s.epochs, s.patience,
                s.order == data::Order::fixed ? "fixed" : "shuffled", s.threads);
    std::fflush(stdout);

    const std::size_t n_models = s.models.size();
    std::vector<std::vector<double>> auc(n_models), logloss(n_models), secs(n_models), epochs(n_models),
        best(n_models);
    for (std::size_t k = 0; k < s.seeds; ++k) {
      const std::uint64_t seed = s.first_seed + k;
      const data::field_split split = data::split_fields(all, seed);
      std::printf("seed %llu: train %zu (positive rate %.4f), validation %zu (%.4f), test %zu (%.4f)\n",
                  static_cast<unsigned long long>(seed), split.train.size(), split.train.positive_rate(),
                  split.validation.size(), split.validation.positive_rate(), split.test.size(),
                  split.test.positive_rate());
      for (std::size_t m = 0; m < n_models; ++m) {
        const run_result r = train_by_name(s.models[m], split, seed, s);
        std::printf("  %-10s %.3f s/epoch (median), %3zu epochs, best %3zu (valid AUC %.4f); test AUC %.4f LogLoss %.4f\n",
                    display_name(s.models[m]), r.epoch_seconds, r.epochs, r.best_epoch, r.valid_auc, r.test_auc,
                    r.test_logloss);
        std::fflush(stdout);
        auc[m].push_back(r.test_auc);
        logloss[m].push_back(r.test_logloss);
        secs[m].push_back(r.epoch_seconds);
        epochs[m].push_back(static_cast<double>(r.epochs));
        best[m].push_back(static_cast<double>(r.best_epoch));
      }
    }
    std::printf("\nsummary over %zu seed(s): test AUC, LogLoss (mean ± sample std), epochs run and best epoch (mean),\n"
                "median of the per-seed median seconds per training epoch\n",
                s.seeds);
    for (std::size_t m = 0; m < n_models; ++m) {
      std::printf("  %-10s AUC %.4f ± %.4f  LogLoss %.4f ± %.4f  epochs %.1f  best %.1f  %.3f s/epoch\n",
                  display_name(s.models[m]), mean(auc[m]), sd(auc[m]), mean(logloss[m]), sd(logloss[m]),
                  mean(epochs[m]), mean(best[m]), median(secs[m]));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
