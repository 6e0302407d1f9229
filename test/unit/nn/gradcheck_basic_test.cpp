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
  typename nn::Dense<B>::cache c;
  auto x = random_matrix<B>(7, 5, 2);
  check_layer<B>(layer, &x, [&](auto& y) { layer.forward(x, y, c); }, [&](auto& dy, auto& dx) { layer.backward(c, dy, dx); });
  nn::Dense<B> no_bias(5, 3, 1, nn::init::he_normal(), false);
  check_layer<B>(no_bias, &x, [&](auto& y) { no_bias.forward(x, y, c); },
                 [&](auto& dy, auto& dx) { no_bias.backward(c, dy, dx); });
}

DENOISE_TYPED_TEST(embedding, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Embedding<B> emb(10, 3, 1, nn::init::normal(0.0, 1.0));
  typename B::index_vector idx;
  B::from_host(std::vector<index_t>{3, 1, 3, 9, 0, 3}, idx);
  typename nn::Embedding<B>::cache c;
  check_layer<B>(emb, nullptr, [&](auto& y) { emb.forward(idx, y, c); }, [&](auto& dy, auto&) { emb.backward(c, dy); });
  // Only the looked-up rows are touched.
  BOOST_TEST(denoise::test::to_host_vec<B>(emb.touched()) == (std::vector<index_t>{0, 1, 3, 9}),
             boost::test_tools::per_element());
}

template <class B, class Layer>
void check_activation() {
  Layer layer;
  typename Layer::cache c;
  auto x = random_matrix<B>(6, 5, 3, -3.0, 3.0);
  check_layer<B>(layer, &x, [&](auto& y) { layer.forward(x, y, c); }, [&](auto& dy, auto& dx) { layer.backward(c, dy, dx); });
}

DENOISE_TYPED_TEST(activations, denoise::test::backend_list_double) {
  using B = TestType;
  check_activation<B, nn::ReLU<B>>();
  check_activation<B, nn::Sigmoid<B>>();
  check_activation<B, nn::Tanh<B>>();
  check_activation<B, nn::Softplus<B>>();
}

DENOISE_TYPED_TEST(dropout_with_a_replayed_mask, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Dropout<B> drop(0.3, 5);
  typename nn::Dropout<B>::cache c;
  auto x = random_matrix<B>(8, 6, 4);
  typename B::matrix y, y2;
  drop.forward(x, y, c);  // draws the mask
  BOOST_TEST(drop.calls() == 1u);
  // Replaying keeps the mask fixed across the finite differences (and the stream does not move).
  c.replay = true;
  check_layer<B>(drop, &x, [&](auto& out) { drop.forward(x, out, c); }, [&](auto& dy, auto& dx) { drop.backward(c, dy, dx); });
  BOOST_TEST(drop.calls() == 1u);
  drop.forward(x, y2, c);
  BOOST_TEST(denoise::test::to_host<B>(y2) == denoise::test::to_host<B>(y), boost::test_tools::per_element());
  // Without replay the next forward draws another mask.
  c.replay = false;
  drop.forward(x, y2, c);
  BOOST_TEST(drop.calls() == 2u);
  BOOST_TEST((denoise::test::to_host<B>(y2) != denoise::test::to_host<B>(y)));
  // Replay needs a mask of the same shape.
  typename nn::Dropout<B>::cache empty;
  empty.replay = true;
  BOOST_CHECK_THROW(drop.forward(x, y2, empty), denoise::config_error);
  c.replay = true;
  BOOST_CHECK_THROW(drop.forward(random_matrix<B>(3, 6, 1), y2, c), denoise::config_error);
  c.replay = false;

  drop.reset(5);
  drop.forward(x, y, c);
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
  drop.forward(x, y, c);
  BOOST_TEST(denoise::test::to_host<B>(y) == hx, boost::test_tools::per_element());
  BOOST_CHECK_THROW(nn::Dropout<B>(1.0), denoise::config_error);
}

DENOISE_TYPED_TEST(mlp_layers, denoise::test::backend_list_double) {
  using B = TestType;
  nn::MLP<B> net({6, 8, 5, 2}, 7);
  typename nn::MLP<B>::cache c;
  auto x = random_matrix<B>(9, 6, 8);
  check_layer<B>(net, &x, [&](auto& y) { net.forward(x, y, c); }, [&](auto& dy, auto& dx) { net.backward(c, dy, dx); });

  nn::mlp_options options;
  options.dropout = 0.25;
  options.activate_last = true;
  nn::MLP<B, nn::tanh_op> tanh_mlp({6, 7, 3}, 9, options);
  typename nn::MLP<B, nn::tanh_op>::cache t;
  typename B::matrix y;
  tanh_mlp.forward(x, y, t);  // draws the masks; every later forward replays them
  t.replay = true;
  // y is the activated output the cache refers to: the check's forward writes into its own matrix
  check_layer<B>(tanh_mlp, &x, [&](auto& out) { tanh_mlp.forward(x, out, t); },
                 [&](auto& dy, auto& dx) { tanh_mlp.backward(t, dy, dx); });
}

// forward_with_first / backward_to_first: the caller computes the first layer (here with a Dense
// forward and backward of that same layer on a cache of its own), the MLP does the rest; the
// gradients are those of the whole MLP. Also one layer, where d_first is dy itself.
DENOISE_TYPED_TEST(mlp_with_the_first_layer_outside, denoise::test::backend_list_double) {
  using B = TestType;
  auto x = random_matrix<B>(9, 6, 8);
  for (const auto& sizes : {std::vector<index_t>{6, 8, 5, 2}, std::vector<index_t>{6, 3}}) {
    nn::MLP<B> net(sizes, 7);
    typename nn::MLP<B>::cache c;
    typename nn::Dense<B>::cache first;
    typename B::matrix d_first;
    check_layer<B>(
        net, &x, [&](auto& y) { net.forward_with_first(x, y, c, [&](auto& out) { net.layer(0).forward(x, out, first); }); },
        [&](auto& dy, auto& dx) {
          net.backward_to_first(c, dy, d_first);
          net.layer(0).backward(first, d_first, dx);
        });
  }
}

DENOISE_TYPED_TEST(shape_mismatches_throw_config_error, denoise::test::backend_list_double) {
  using B = TestType;
  nn::Dense<B> layer(5, 4, 1);
  typename nn::Dense<B>::cache c;
  auto x = random_matrix<B>(3, 6, 2);
  typename B::matrix y;
  BOOST_CHECK_THROW(layer.forward(x, y, c), denoise::config_error);
  BOOST_CHECK_THROW(layer.backward(c, y), denoise::config_error);  // no forward yet
  auto good = random_matrix<B>(3, 5, 2);
  layer.forward(good, y, c);
  auto bad_dy = random_matrix<B>(3, 5, 2);
  BOOST_CHECK_THROW(layer.backward(c, bad_dy), denoise::config_error);
  BOOST_CHECK_THROW(nn::MLP<B>({4}), denoise::config_error);
  BOOST_CHECK_THROW(nn::Embedding<B>(0, 3), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
