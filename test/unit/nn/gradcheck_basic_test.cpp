// Gradient checks (double precision, every CPU backend): Embedding, Dense, activations, Dropout, MLP.
#include <boost/test/unit_test.hpp>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::check_layer;
using denoise::test::random_matrix;

BOOST_AUTO_TEST_SUITE(nn_gradcheck_basic)

DENOISE_TYPED_TEST(dense, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Dense<B> layer(5, 4, 1);
  auto x = random_matrix<B>(7, 5, 2);
  check_layer<B>(layer, &x, [&](auto& y) { layer.forward(x, y); }, [&](auto& dy, auto& dx) { layer.backward(dy, dx); });
  nn::Dense<B> no_bias(5, 3, 1, nn::init::he_normal(), false);
  check_layer<B>(no_bias, &x, [&](auto& y) { no_bias.forward(x, y); },
                 [&](auto& dy, auto& dx) { no_bias.backward(dy, dx); });
}

DENOISE_TYPED_TEST(embedding, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Embedding<B> emb(10, 3, 1, nn::init::normal(0.0, 1.0));
  typename B::index_vector idx;
  B::from_host(std::vector<index_t>{3, 1, 3, 9, 0, 3}, idx);
  check_layer<B>(emb, nullptr, [&](auto& y) { emb.forward(idx, y); }, [&](auto& dy, auto&) { emb.backward(dy); });
  // Only the looked-up rows are touched.
  BOOST_TEST(denoise::test::to_host_vec<B>(emb.touched()) == (std::vector<index_t>{0, 1, 3, 9}),
             boost::test_tools::per_element());
}

template <class B, class Layer>
void check_activation() {
  Layer layer;
  auto x = random_matrix<B>(6, 5, 3, -3.0, 3.0);
  check_layer<B>(layer, &x, [&](auto& y) { layer.forward(x, y); }, [&](auto& dy, auto& dx) { layer.backward(dy, dx); });
}

DENOISE_TYPED_TEST(activations, denoise::test::backend_list_double) {
  using B = TestType;
  check_activation<B, nn::ReLU<B>>();
  check_activation<B, nn::Sigmoid<B>>();
  check_activation<B, nn::Tanh<B>>();
  check_activation<B, nn::Softplus<B>>();
}

DENOISE_TYPED_TEST(dropout_with_a_fixed_mask, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Dropout<B> drop(0.3, 5);
  auto x = random_matrix<B>(8, 6, 4);
  // Re-seeding before each forward keeps the mask fixed across the finite differences.
  check_layer<B>(drop, &x,
                 [&](auto& y) {
                   drop.reset(5);
                   drop.forward(x, y);
                 },
                 [&](auto& dy, auto& dx) { drop.backward(dy, dx); });
  typename B::matrix y;
  drop.reset(5);
  drop.forward(x, y);
  std::size_t zeros = 0;
  const auto hy = denoise::test::to_host<B>(y), hx = denoise::test::to_host<B>(x);
  for (std::size_t i = 0; i < hy.size(); ++i) {
    if (hy[i] == 0.0) {
      ++zeros;
    } else {
      BOOST_TEST(hy[i] == hx[i] / 0.7, boost::test_tools::tolerance(1e-12));
    }
  }
  BOOST_TEST(zeros > 0u);
  BOOST_TEST(zeros < hy.size());
  drop.eval();
  drop.forward(x, y);
  BOOST_TEST(denoise::test::to_host<B>(y) == hx, boost::test_tools::per_element());
  BOOST_CHECK_THROW(nn::Dropout<B>(1.0), denoise::config_error);
}

DENOISE_TYPED_TEST(mlp_layers, denoise::test::backend_list_double) {
  using B = TestType;
  nn::MLP<B> net({6, 8, 5, 2}, 7);
  auto x = random_matrix<B>(9, 6, 8);
  check_layer<B>(net, &x, [&](auto& y) { net.forward(x, y); }, [&](auto& dy, auto& dx) { net.backward(dy, dx); });

  nn::mlp_options options;
  options.dropout = 0.25;
  options.activate_last = true;
  nn::MLP<B, nn::tanh_op> tanh_mlp({6, 7, 3}, 9, options);
  check_layer<B>(tanh_mlp, &x,
                 [&](auto& y) {
                   tanh_mlp.reset_dropout(3);
                   tanh_mlp.forward(x, y);
                 },
                 [&](auto& dy, auto& dx) { tanh_mlp.backward(dy, dx); });
}

DENOISE_TYPED_TEST(shape_mismatches_throw_config_error, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Dense<B> layer(5, 4, 1);
  auto x = random_matrix<B>(3, 6, 2);
  typename B::matrix y;
  BOOST_CHECK_THROW(layer.forward(x, y), denoise::config_error);
  auto good = random_matrix<B>(3, 5, 2);
  layer.forward(good, y);
  auto bad_dy = random_matrix<B>(3, 5, 2);
  BOOST_CHECK_THROW(layer.backward(bad_dy), denoise::config_error);
  BOOST_CHECK_THROW(nn::MLP<B>({4}), denoise::config_error);
  BOOST_CHECK_THROW(nn::Embedding<B>(0, 3), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
