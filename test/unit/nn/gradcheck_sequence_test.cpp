// Gradient checks (double precision, every CPU backend): GRU over a sequence, LSTM cell,
// multi-head self-attention (causal and not).
#include <boost/test/unit_test.hpp>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::check_layer;
using denoise::test::random_matrix;

BOOST_AUTO_TEST_SUITE(nn_gradcheck_sequence)

DENOISE_TYPED_TEST(gru_over_a_sequence, denoise::test::backend_list_double) {
  using B = TestType;
  nn::GRU<B> gru(3, 4, 1);
  auto x = random_matrix<B>(5 * 2, 3, 2);  // 5 steps, batch 2
  typename nn::GRU<B>::cache c;
  check_layer<B>(gru, &x, [&](auto& h) { gru.forward(x, 5, h, c); }, [&](auto& dh, auto& dx) { gru.backward(c, dh, dx); });
  typename B::matrix h;
  BOOST_CHECK_THROW(gru.forward(x, 3, h, c), denoise::config_error);  // 10 rows are not 3 steps
}

DENOISE_TYPED_TEST(lstm_cell, denoise::test::backend_list_double) {
  using B = TestType;
  nn::LSTMCell<B> cell(3, 4, 1);
  auto x = random_matrix<B>(5, 3, 2), h = random_matrix<B>(5, 4, 3), c = random_matrix<B>(5, 4, 4);
  auto r1 = random_matrix<B>(5, 4, 5), r2 = random_matrix<B>(5, 4, 6);
  typename B::matrix ho, co, dx, dh, dc;
  typename nn::LSTMCell<B>::cache k;
  auto loss = [&] {
    cell.forward(x, h, c, ho, co, k);
    return double(B::dot(ho, r1)) + double(B::dot(co, r2));
  };
  auto grad = [&] {
    loss();
    cell.backward(k, r1, &r2, dx, dh, dc);
  };
  const auto params = nn::check_gradients<B>(cell, loss, grad);
  BOOST_TEST(params.passed, params.report());
  grad();
  typename B::matrix gx, gh, gc;
  B::copy(dx, gx);
  B::copy(dh, gh);
  B::copy(dc, gc);
  const auto rx = nn::check_matrix_gradient<B>(x, gx, loss, "x");
  const auto rh = nn::check_matrix_gradient<B>(h, gh, loss, "h");
  const auto rc = nn::check_matrix_gradient<B>(c, gc, loss, "c");
  BOOST_TEST(rx.passed, rx.report());
  BOOST_TEST(rh.passed, rh.report());
  BOOST_TEST(rc.passed, rc.report());
  auto wrong = random_matrix<B>(5, 3, 1);
  BOOST_CHECK_THROW(cell.forward(x, wrong, c, ho, co, k), denoise::config_error);
}

DENOISE_TYPED_TEST(multi_head_self_attention, denoise::test::backend_list_double) {
  using B = TestType;
  for (bool causal : {true, false}) {
    nn::MultiHeadSelfAttention<B> attn(6, 2, causal, 1);
    auto x = random_matrix<B>(2 * 4, 6, 2);  // batch 2, 4 steps
    typename nn::MultiHeadSelfAttention<B>::cache c;
    check_layer<B>(attn, &x, [&](auto& y) { attn.forward(x, 4, y, c); }, [&](auto& dy, auto& dx) { attn.backward(c, dy, dx); });
    // Causal: position i attends to nothing after i; every attention row sums to 1.
    const auto p = denoise::test::to_host<B>(c.p);
    for (std::size_t row = 0; row < 2 * 2 * 4; ++row) {
      double total = 0;
      for (std::size_t j = 0; j < 4; ++j) {
        total += p[row * 4 + j];
        if (causal && j > row % 4) BOOST_TEST(p[row * 4 + j] == 0.0);
      }
      BOOST_TEST(total == 1.0, boost::test_tools::tolerance(1e-12));
    }
  }
  BOOST_CHECK_THROW(nn::MultiHeadSelfAttention<B>(6, 4), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
