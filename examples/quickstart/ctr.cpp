// CTR quickstart: MovieLens-100K as AutoDenoise encodes it (8 feature fields, label = rating > 3),
// split 80/10/10, a CTR backbone trained with BCE and Adam (lr 1e-3, weight decay 1e-6, batch
// 2048), early stopping on validation AUC (patience 2), the best-validation model tested.
//
//   ctr [model [seed [epochs]]]   model: fm | wd | deepfm (default) | dcn | ipnn
//
// Data: $DENOISE_DATA_DIR/ml-100k when set, otherwise a small built-in planted-signal field
// dataset. Exits with status 1 when the trained model's validation AUC is not above 0.6.
#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
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

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "planted_fields.hpp"

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

namespace {

template <class Model>
int run(const dn::data::field_split& split, std::uint64_t seed, std::size_t epochs) {
  // [doc: ctr.md train]
  Model model(split.train.cardinalities());
  model.reset(seed);
  dn::nn::adam_options adam;
  adam.lr = 1e-3;
  adam.weight_decay = 1e-6;
  dn::train::trainer_options options;
  options.epochs = epochs;
  options.batch_size = 2048;
  options.seed = seed;
  dn::train::Trainer<Model, dn::losses::BCE, dn::methods::None, dn::nn::Adam<B>, dn::train::evaluators::Classification>
      trainer(model, dn::nn::Adam<B>(adam), dn::methods::None{}, options);
  dn::train::evaluators::classification_target validation, test;
  validation.fields = &split.validation;
  test.fields = &split.test;
  // Early stopping restores the best epoch's parameters at the end of fit().
  dn::train::early_stopping<B> stop("auc", /*patience*/ 2);
  const auto fit = trainer.fit(dn::train::batchers::FieldRows(split.train, dn::data::Order::shuffled), &validation, stop);
  const auto v = trainer.evaluate(validation);
  const auto t = trainer.evaluate(test);
  // [end]
  std::printf("%s seed %llu: %zu epochs (best %zu), %.2f s/epoch; validation AUC %.4f LogLoss %.4f; "
              "test AUC %.4f LogLoss %.4f\n",
              Model::name(), static_cast<unsigned long long>(seed), fit.history.size(), fit.best_epoch,
              fit.history.empty() ? 0.0 : fit.history.front().seconds, v.auc, v.log_loss, t.auc, t.log_loss);
  return v.auc > 0.6 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string model = argc > 1 ? argv[1] : "deepfm";
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    const std::size_t epochs = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100;
    dn::data::FieldDataset data;
    const char* dir = std::getenv("DENOISE_DATA_DIR");
    if (dir != nullptr && *dir != '\0') {
      data = dn::data::load_movielens_100k_ctr_fields(std::string(dir) + "/ml-100k");
      std::printf("data: MovieLens-100K CTR, %zu rows, positive rate %.4f\n", data.size(), data.positive_rate());
    } else {
      data = planted_fields(20000);
      std::printf("data: planted-signal fields, %zu rows (set DENOISE_DATA_DIR for MovieLens)\n", data.size());
    }
    const auto split = dn::data::split_fields(data, /*split seed*/ 1);  // one split; seeds vary the model
    if (model == "fm") return run<dn::models::FM<B>>(split, seed, epochs);
    if (model == "wd") return run<dn::models::WideDeep<B>>(split, seed, epochs);
    if (model == "deepfm") return run<dn::models::DeepFM<B>>(split, seed, epochs);
    if (model == "dcn") return run<dn::models::DCN<B>>(split, seed, epochs);
    if (model == "ipnn") return run<dn::models::IPNN<B>>(split, seed, epochs);
    std::fprintf(stderr, "unknown model '%s' (fm, wd, deepfm, dcn, ipnn)\n", model.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctr: %s\n", e.what());
    return 1;
  }
}
