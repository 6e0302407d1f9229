// The CTR backbones (FM, Wide&Deep, DeepFM, DCN, IPNN) on every CPU backend: gradients against
// central differences in training mode (dropout masks and BatchNorm batch statistics replayed) and
// in evaluation mode (running statistics); FM's pairwise term and IPNN's inner products against
// hand-computed values; the pytorch-fm shapes; BatchNorm running statistics; errors.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/models/ctr/ctr.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/gradient_check.hpp>
#include <denoise/nn/snapshot.hpp>
#include <denoise/train/checkpoint.hpp>

#include <cstdio>
#include <string>

#include "ctr_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {

const std::vector<index_t> small_dims{4, 3, 5, 2};

models::ctr_options small_options(double dropout) {
  models::ctr_options o;
  o.embed_dim = 3;
  o.mlp_dims = {5, 4};
  o.dropout = dropout;
  o.cross_layers = 3;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  return o;
}

template <class B>
typename B::vector coefficients(std::size_t n, std::uint64_t seed) {
  std::vector<typename B::scalar> c(n);
  random::counter_stream s(seed);
  for (std::size_t k = 0; k < n; ++k) c[k] = static_cast<typename B::scalar>(2.0 * s.uniform<double>(k) - 1.0);
  typename B::vector v;
  B::from_host(c, v);
  return v;
}

template <class Model>
void check_gradients(Model& model, std::size_t rows, std::uint64_t seed) {
  using B = typename Model::backend;
  const auto batch = random_field_batch<B>(small_dims, rows, seed);
  const auto c = coefficients<B>(rows, seed + 7);
  nn::gradient_check_options options;
  options.tolerance = 1e-5;
  options.max_per_parameter = 40;
  const auto result = nn::check_model_gradients(model, batch, c, options);
  BOOST_TEST(result.passed, Model::name() << " on " << B::name() << (model.training() ? " (train)" : " (eval)") << ": "
                                          << result.report());
  BOOST_TEST(result.checked > 0u);
}

template <class Model>
void check_model(std::uint64_t seed) {
  Model train_mode(small_dims, small_options(0.3), seed);
  // non-zero biases everywhere, so every term of backward is exercised
  train_mode.visit_parameters([](nn::param_ref<typename Model::backend> p) {
    if (p.value.rows() == 1 && p.touched == nullptr)
      Model::backend::fill_uniform(p.value, 11, typename Model::scalar(-0.3), typename Model::scalar(0.4));
  });
  check_gradients(train_mode, 24, seed);
  // evaluation mode: BatchNorm on running statistics, which one training forward has moved
  Model eval_mode(small_dims, small_options(0.3), seed + 1);
  typename Model::workspace ws;
  typename Model::vector logits;
  eval_mode.forward(random_field_batch<typename Model::backend>(small_dims, 16, 99), ws, logits);
  eval_mode.eval();
  check_gradients(eval_mode, 17, seed + 2);
}

}  // namespace

static_assert(models::check_model<models::FM<backends::Eigen<double>>>(), "");
static_assert(models::check_model<models::WideDeep<backends::Eigen<double>>>(), "");
static_assert(models::check_model<models::DeepFM<backends::Eigen<double>>>(), "");
static_assert(models::check_model<models::DCN<backends::Eigen<double>>>(), "");
static_assert(models::check_model<models::IPNN<backends::Eigen<double>>>(), "");

BOOST_AUTO_TEST_SUITE(ctr_models)

DENOISE_TYPED_TEST(fm_gradients, backend_list_double) { check_model<models::FM<TestType>>(1); }
DENOISE_TYPED_TEST(wide_deep_gradients, backend_list_double) { check_model<models::WideDeep<TestType>>(2); }
DENOISE_TYPED_TEST(deep_fm_gradients, backend_list_double) { check_model<models::DeepFM<TestType>>(3); }
DENOISE_TYPED_TEST(dcn_gradients, backend_list_double) { check_model<models::DCN<TestType>>(4); }
DENOISE_TYPED_TEST(ipnn_gradients, backend_list_double) { check_model<models::IPNN<TestType>>(5); }

BOOST_AUTO_TEST_CASE(fm_pairwise_term_is_hand_computed) {
  using B = backends::Eigen<double>;
  models::ctr_options o;
  o.embed_dim = 2;
  models::FM<B> fm({2, 3}, o);
  // embedding rows: field 0 values 0, 1; field 1 values 0, 1, 2 (global ids 2, 3, 4)
  const std::vector<double> table{1, 2, -1, 0.5, 3, -2, 0.25, 1, -4, 0};
  const std::vector<double> linear{0.1, -0.2, 0.3, 0.7, -0.5};
  int part = 0;
  fm.visit_parameters([&](nn::param_ref<B> p) {
    if (part == 0) B::from_host(linear, 5, 1, p.value);
    if (part == 1) B::from_host(std::vector<double>{0.05}, 1, 1, p.value);
    if (part == 2) B::from_host(table, 5, 2, p.value);
    ++part;
  });
  BOOST_TEST(part == 3);
  data::field_batch<B> batch;
  B::from_host(std::vector<index_t>{1, 3, 0, 4}, batch.index);  // rows (1, 1) and (0, 2)
  batch.fields = 2;
  models::FM<B>::workspace ws;
  B::vector logits;
  fm.forward(batch, ws, logits);
  std::vector<double> got;
  B::to_host(logits, got);
  // row 0: e = (-1, 0.5), (0.25, 1): <e0, e1> = -0.25 + 0.5 = 0.25; linear -0.2 + 0.7; bias 0.05
  // row 1: e = (1, 2), (-4, 0): <e0, e1> = -4; linear 0.1 - 0.5; bias 0.05
  BOOST_TEST(got[0] == 0.25 + 0.5 + 0.05, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(got[1] == -4.0 - 0.4 + 0.05, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(ipnn_inner_products_follow_pytorch_fm_order) {
  using B = backends::Eigen<double>;
  models::ctr_options o;
  o.embed_dim = 1;
  o.mlp_dims = {1};
  o.dropout = 0.0;
  models::IPNN<B> m({1, 1, 1}, o);
  BOOST_TEST(m.pairs() == 3);
  // embeddings 2, 3, 5: products (0,1) = 6, (0,2) = 10, (1,2) = 15. A first layer that reads only
  // product p (weight 1 there), BatchNorm in eval mode at identity, ReLU, output weight 1 and bias
  // 0 gives logit = max(0, p / sqrt(1 + eps)).
  for (int p = 0; p < 3; ++p) {
    int part = 0;
    m.visit_parameters([&](nn::param_ref<B> r) {
      if (part == 0) B::from_host(std::vector<double>{2, 3, 5}, 3, 1, r.value);  // embedding
      if (part == 1) {                                                            // first layer weight (6 x 1)
        std::vector<double> w(6, 0.0);
        w[static_cast<std::size_t>(3 + p)] = 1.0;
        B::from_host(w, 6, 1, r.value);
      }
      if (part == 2) B::fill(r.value, 0.0);  // first layer bias
      if (part == 5) B::fill(r.value, 1.0);  // output weight
      if (part == 6) B::fill(r.value, 0.0);  // output bias
      ++part;
    });
    m.eval();
    data::field_batch<B> batch;
    B::from_host(std::vector<index_t>{0, 1, 2}, batch.index);
    batch.fields = 3;
    models::IPNN<B>::workspace ws;
    B::vector logits;
    m.forward(batch, ws, logits);
    std::vector<double> got;
    B::to_host(logits, got);
    const double expected[3] = {6, 10, 15};
    BOOST_TEST(got[0] == expected[p] / std::sqrt(1.0 + 1e-5), boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(shapes_follow_pytorch_fm) {
  using B = backends::Eigen<float>;
  const std::vector<index_t> dims{10, 20, 30};
  auto count = [](auto& m) {
    std::vector<std::pair<index_t, index_t>> shapes;
    m.visit_parameters([&](nn::param_ref<B> p) { shapes.emplace_back(p.value.rows(), p.value.cols()); });
    return shapes;
  };
  using shape_list = std::vector<std::pair<index_t, index_t>>;
  models::FM<B> fm(dims);
  BOOST_TEST((count(fm) == shape_list{{60, 1}, {1, 1}, {60, 16}}));
  models::WideDeep<B> wd(dims);
  // linear, bias, embedding, then Linear(48,16) + BN(16), Linear(16,16) + BN(16), Linear(16,1)
  BOOST_TEST((count(wd) == shape_list{{60, 1}, {1, 1}, {60, 16}, {48, 16}, {1, 16}, {1, 16}, {1, 16},
                                      {16, 16}, {1, 16}, {1, 16}, {1, 16}, {16, 1}, {1, 1}}));
  models::DCN<B> dcn(dims);
  const auto d = count(dcn);
  BOOST_TEST(d.size() == 1u + 6u + 8u + 2u);
  BOOST_TEST((d[1] == std::pair<index_t, index_t>{48, 1}));            // w_0
  BOOST_TEST((d[15] == std::pair<index_t, index_t>{48 + 16, 1}));      // final Linear on [x_3 || h]
  models::IPNN<B> ipnn(dims);
  const auto p = count(ipnn);
  BOOST_TEST(p.size() == 1u + 4u + 2u);                                // one hidden layer of 16
  BOOST_TEST((p[1] == std::pair<index_t, index_t>{48 + 3, 16}));
  BOOST_TEST(dcn.feature_dim() == 48);
}

BOOST_AUTO_TEST_CASE(batch_norm_running_statistics_drive_evaluation) {
  using B = backends::Eigen<double>;
  models::WideDeep<B> m(small_dims, small_options(0.0), 3);
  const auto batch = random_field_batch<B>(small_dims, 32, 5);
  models::WideDeep<B>::workspace ws;
  B::vector before, after, train_logits;
  m.eval();
  m.forward(batch, ws, before);
  m.train();
  m.forward(batch, ws, train_logits);  // moves the running statistics
  m.eval();
  m.forward(batch, ws, after);
  std::vector<double> a, b;
  B::to_host(before, a);
  B::to_host(after, b);
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::abs(a[i] - b[i]);
  BOOST_TEST(diff > 1e-6);
  // a replayed training forward leaves them alone
  m.train();
  m.forward(batch, ws, train_logits);
  ws.replay = true;
  B::vector again;
  m.eval();
  m.forward(batch, ws, before);
  m.train();
  m.forward(batch, ws, again);
  m.eval();
  m.forward(batch, ws, after);
  B::to_host(before, a);
  B::to_host(after, b);
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(a[i] == b[i]);
}

// A best-epoch snapshot and a checkpoint must bring back the running statistics with the
// parameters: otherwise the restored model evaluates a function that was never validated.
BOOST_AUTO_TEST_CASE(snapshots_and_checkpoints_keep_running_statistics) {
  using B = backends::Eigen<double>;
  models::DeepFM<B> m(small_dims, small_options(0.0), 3);
  const auto batch = random_field_batch<B>(small_dims, 32, 5);
  const auto other = random_field_batch<B>(small_dims, 32, 6);
  models::DeepFM<B>::workspace ws;
  B::vector logits, saved, moved, restored;
  m.train();
  m.forward(batch, ws, logits);  // running statistics away from their initial values
  m.eval();
  m.forward(batch, ws, saved);
  nn::snapshot<B> snap(m);
  BOOST_TEST(snap.buffers().size() == 4u);  // two BatchNorms: running mean and variance each
  const std::string path = "ctr_models_test_checkpoint.bin";
  train::save_checkpoint<B>(m, path);

  m.train();
  for (int k = 0; k < 3; ++k) m.forward(other, ws, logits);  // only the statistics move (no step)
  m.eval();
  m.forward(batch, ws, moved);
  std::vector<double> a, b, c;
  B::to_host(saved, a);
  B::to_host(moved, b);
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::abs(a[i] - b[i]);
  BOOST_TEST(diff > 1e-6);

  snap.restore(m);
  m.forward(batch, ws, restored);
  B::to_host(restored, c);
  BOOST_TEST(a == c, boost::test_tools::per_element());

  m.train();
  for (int k = 0; k < 3; ++k) m.forward(other, ws, logits);
  m.eval();
  train::load_checkpoint<B>(m, path);
  m.forward(batch, ws, restored);
  B::to_host(restored, c);
  BOOST_TEST(a == c, boost::test_tools::per_element());
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(errors_are_named) {
  using B = backends::Eigen<double>;
  BOOST_CHECK_THROW(models::FM<B>(std::vector<index_t>{}), config_error);
  BOOST_CHECK_THROW(models::FM<B>(std::vector<index_t>{3, 0}), config_error);
  BOOST_CHECK_THROW(models::IPNN<B>(std::vector<index_t>{3}), config_error);
  models::DeepFM<B> m({3, 4});
  models::DeepFM<B>::workspace ws;
  B::vector logits, d(3);
  BOOST_CHECK_THROW(m.backward(ws, d), config_error);  // no forward yet
  auto wrong = random_field_batch<B>({3, 4, 2}, 5, 1);
  BOOST_CHECK_THROW(m.forward(wrong, ws, logits), config_error);  // three fields for a two-field model
  data::field_batch<B> out_of_range;
  B::from_host(std::vector<index_t>{0, 7}, out_of_range.index);
  out_of_range.fields = 2;
  BOOST_CHECK_THROW(m.forward(out_of_range, ws, logits), input_error);
  m.forward(random_field_batch<B>({3, 4}, 4, 2), ws, logits);
  BOOST_CHECK_THROW(m.backward(ws, d), config_error);  // 3 gradients for 4 rows
}

BOOST_AUTO_TEST_SUITE_END()
