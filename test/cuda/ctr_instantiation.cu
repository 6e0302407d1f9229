// Compile check (and, on a GPU, a run) of the CTR family on the CUDA backend: the five backbones
// (FM, Wide&Deep, DeepFM, DCN, IPNN) on backends::Thrust<cuda>, trained by the Trainer with BCE
// through batchers::FieldRows and validated by evaluators::Classification on a small
// planted-signal field dataset. Exits non-zero when a model does not learn (validation AUC).
#include <denoise/backends/thrust.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/models/ctr/ctr.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/field_rows.hpp>
#include <denoise/train/evaluators/classification.hpp>
#include <denoise/train/trainer.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

#include "../../examples/quickstart/planted_fields.hpp"  // the examples' planted field rows

namespace {

namespace dn = denoise;
using B = dn::backends::Thrust<dn::backends::thrust_system::cuda, float>;

static_assert(dn::models::check_model<dn::models::FM<B>>(), "");
static_assert(dn::models::check_model<dn::models::WideDeep<B>>(), "");
static_assert(dn::models::check_model<dn::models::DeepFM<B>>(), "");
static_assert(dn::models::check_model<dn::models::DCN<B>>(), "");
static_assert(dn::models::check_model<dn::models::IPNN<B>>(), "");

template <class Model>
int train_one(const dn::data::field_split& split) {
  Model model(split.train.cardinalities());
  dn::nn::adam_options adam;
  adam.lr = 1e-2;
  dn::train::trainer_options options;
  options.epochs = 8;
  options.batch_size = 256;
  dn::train::Trainer<Model, dn::losses::BCE, dn::methods::None, dn::nn::Adam<B>, dn::train::evaluators::Classification>
      trainer(model, dn::nn::Adam<B>(adam), dn::methods::None{}, options);
  dn::train::evaluators::classification_target validation;
  validation.fields = &split.validation;
  trainer.fit(dn::train::batchers::FieldRows(split.train, dn::data::Order::shuffled), &validation);
  const auto r = trainer.evaluate(validation);
  std::printf("%-7s validation AUC %.4f LogLoss %.4f\n", Model::name(), r.auc, r.log_loss);
  return r.auc > 0.75 ? 0 : 1;
}

}  // namespace

int main() {
  try {
    const auto split = dn::data::split_fields(planted_fields(6000), 5);
    int failures = 0;
    failures += train_one<dn::models::FM<B>>(split);
    failures += train_one<dn::models::WideDeep<B>>(split);
    failures += train_one<dn::models::DeepFM<B>>(split);
    failures += train_one<dn::models::DCN<B>>(split);
    failures += train_one<dn::models::IPNN<B>>(split);
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctr_instantiation: %s\n", e.what());
    return 1;
  }
}
