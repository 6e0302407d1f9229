// The CTR task on the real ml-100k (label 'data'): the AutoDenoise field encoding's cardinalities
// and positive rate, and DeepFM trained a few epochs (issue settings: Adam lr 1e-3, weight decay
// 1e-6, batch 2048) on the seeded 80/10/10 split, with its validation AUC in a measured band.
// The data-dir fixture is declared in ml100k_test.cpp (same executable).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/data/movielens_ctr.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/models/ctr/ctr.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/field_rows.hpp>
#include <denoise/train/evaluators/classification.hpp>
#include <denoise/train/trainer.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "support/data_dir.hpp"

namespace dd = denoise::data;
using denoise::index_t;

namespace {
std::string ml100k_dir() { return denoise::test::data_dir() + "/ml-100k"; }
}  // namespace

BOOST_AUTO_TEST_SUITE(data_real_ctr)

BOOST_AUTO_TEST_CASE(ml100k_field_cardinalities_and_positive_rate) {
  const auto d = dd::load_movielens_100k_ctr_fields(ml100k_dir());
  BOOST_TEST(d.size() == 100000u);
  // movie, genre string, release year, user, occupation, age bucket, gender, zip[0:5]
  const std::vector<index_t> expected{1682, 216, 72, 943, 21, 7, 2, 795};
  BOOST_TEST(d.cardinalities() == expected, boost::test_tools::per_element());
  BOOST_TEST(d.positive_rate() == 0.55375, boost::test_tools::tolerance(1e-12));  // rating > 3
  const auto s = dd::split_fields(d, 1);
  BOOST_TEST(s.train.size() == 80000u);
  BOOST_TEST(s.validation.size() == 10000u);
  BOOST_TEST(s.test.size() == 10000u);
}

BOOST_AUTO_TEST_CASE(deepfm_learns_ml100k_ctr) {
  using B = denoise::backends::Eigen<float>;
  using Model = denoise::models::DeepFM<B>;
  const auto s = dd::split_fields(dd::load_movielens_100k_ctr_fields(ml100k_dir()), 1);
  Model model(s.train.cardinalities(), {}, 1);
  denoise::nn::adam_options adam;
  adam.lr = 1e-3;
  adam.weight_decay = 1e-6;
  denoise::train::trainer_options o;
  o.epochs = 5;
  o.batch_size = 2048;
  o.seed = 1;
  denoise::train::Trainer<Model, denoise::losses::BCE, denoise::methods::None, denoise::nn::Adam<B>,
                          denoise::train::evaluators::Classification>
      trainer(model, denoise::nn::Adam<B>(adam), denoise::methods::None{}, o);
  denoise::train::evaluators::classification_target validation, test;
  validation.fields = &s.validation;
  test.fields = &s.test;
  const auto fit = trainer.fit(denoise::train::batchers::FieldRows(s.train, dd::Order::shuffled), &validation);
  const auto v = trainer.evaluate(validation);
  const auto t = trainer.evaluate(test);
  BOOST_TEST_MESSAGE("DeepFM ml-100k, 5 epochs: validation AUC " << v.auc << " LogLoss " << v.log_loss << ", test AUC "
                                                                   << t.auc << " LogLoss " << t.log_loss);
  // measured: validation AUC 0.7629, test AUC 0.7635 (Eigen<float>, seed 1)
  BOOST_TEST(fit.history.size() == 5u);
  BOOST_TEST(v.auc > 0.74);
  BOOST_TEST(v.auc < 0.78);
  BOOST_TEST(t.auc > 0.74);
}

BOOST_AUTO_TEST_SUITE_END()
