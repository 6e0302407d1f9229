// Training path of the CTR backbones: each model, trained by the Trainer (BCE, Adam) on the field
// rows of a planted-signal dataset through batchers::FieldRows, reaches a validation AUC well
// above chance under evaluators::Classification, and the trainer's validation equals a direct
// evaluation.
#include <boost/test/unit_test.hpp>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/models/ctr/ctr.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/field_rows.hpp>
#include <denoise/train/evaluators/classification.hpp>
#include <denoise/train/trainer.hpp>

#include "ctr_checks.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {

using B = backends::Eigen<float>;

template <class Model>
double trained_auc(const data::field_split& split, double minimum) {
  Model model(split.train.cardinalities());  // the shape (IPNN: its own default)
  model.reset(7);
  nn::adam_options adam;
  adam.lr = 1e-2;
  train::trainer_options options;
  options.epochs = 8;
  options.batch_size = 256;
  options.seed = 3;
  train::Trainer<Model, losses::BCE, methods::None, nn::Adam<B>, train::evaluators::Classification> trainer(
      model, nn::Adam<B>(adam), methods::None{}, options);
  train::evaluators::classification_target validation;
  validation.fields = &split.validation;
  const auto result = trainer.fit(train::batchers::FieldRows(split.train, data::Order::shuffled), &validation);
  BOOST_REQUIRE(result.history.size() == 8u);
  const double first = result.history.front().validation.front().value;
  const double last = result.history.back().validation.front().value;
  const auto direct = trainer.evaluate(validation);
  BOOST_TEST(direct.auc == last, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(last > minimum, Model::name() << ": validation AUC " << last << " (after epoch 1: " << first << ")");
  BOOST_TEST(direct.log_loss < 0.69, Model::name() << ": validation LogLoss " << direct.log_loss);
  BOOST_TEST_MESSAGE(Model::name() << ": validation AUC " << first << " -> " << last << ", LogLoss " << direct.log_loss);
  return last;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ctr_learning)

BOOST_AUTO_TEST_CASE(every_backbone_learns_a_planted_signal) {
  const auto data = planted_fields(6000, 11);
  BOOST_TEST(data.positive_rate() > 0.3);
  BOOST_TEST(data.positive_rate() < 0.7);
  const auto split = data::split_fields(data, 5);
  trained_auc<models::FM<B>>(split, 0.85);
  trained_auc<models::WideDeep<B>>(split, 0.85);
  trained_auc<models::DeepFM<B>>(split, 0.85);
  trained_auc<models::DCN<B>>(split, 0.85);
  trained_auc<models::IPNN<B>>(split, 0.85);
}

BOOST_AUTO_TEST_SUITE_END()
