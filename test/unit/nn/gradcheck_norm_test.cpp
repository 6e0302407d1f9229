// Gradient checks (double precision, every CPU backend): BatchNorm (train and eval), LayerNorm.
#include <boost/test/unit_test.hpp>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::check_layer;
using denoise::test::random_matrix;

namespace {
// Non-trivial gamma and beta, so their gradients are exercised away from (1, 0).
template <class B, class Layer>
void randomize(Layer& layer, std::uint64_t seed) {
  layer.visit_parameters([&](nn::param_ref<B> p) { B::fill_uniform(p.value, seed++, typename B::scalar(0.5), typename B::scalar(1.5)); });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(nn_gradcheck_norm)

DENOISE_TYPED_TEST(batch_norm_training_mode, denoise::test::backend_list_double) {
  using B = TestType;
  nn::BatchNorm<B> bn(4);
  typename nn::BatchNorm<B>::cache c;
  randomize<B>(bn, 1);
  auto x = random_matrix<B>(9, 4, 2, -2.0, 3.0);
  check_layer<B>(bn, &x, [&](auto& y) { bn.forward(x, y, c); }, [&](auto& dy, auto& dx) { bn.backward(c, dy, dx); });
  // Training-mode output has zero mean and unit (biased) variance per column before gamma/beta.
  nn::BatchNorm<B> plain(4);
  typename nn::BatchNorm<B>::cache pc;
  typename B::matrix y, y2;
  plain.forward(x, y, pc);
  typename B::vector sums;
  B::col_sum(y, sums);
  for (double s : denoise::test::to_host_vec<B>(sums)) BOOST_TEST(std::abs(s) < 1e-12);
  // Running statistics moved toward the batch statistics (momentum 0.1).
  for (double m : denoise::test::to_host<B>(plain.running_mean())) BOOST_TEST(m != 0.0);
  // A replayed forward gives the same output and leaves the running statistics alone.
  const auto mean = denoise::test::to_host<B>(plain.running_mean());
  const auto var = denoise::test::to_host<B>(plain.running_var());
  pc.replay = true;
  plain.forward(x, y2, pc);
  BOOST_TEST(denoise::test::to_host<B>(y2) == denoise::test::to_host<B>(y), boost::test_tools::per_element());
  BOOST_TEST(denoise::test::to_host<B>(plain.running_mean()) == mean, boost::test_tools::per_element());
  BOOST_TEST(denoise::test::to_host<B>(plain.running_var()) == var, boost::test_tools::per_element());
  pc.replay = false;
  plain.forward(x, y2, pc);
  BOOST_TEST((denoise::test::to_host<B>(plain.running_mean()) != mean));
}

DENOISE_TYPED_TEST(batch_norm_eval_mode, denoise::test::backend_list_double) {
  using B = TestType;
  nn::BatchNorm<B> bn(4);
  typename nn::BatchNorm<B>::cache c;
  auto warm = random_matrix<B>(16, 4, 5, 0.0, 4.0);
  typename B::matrix y;
  for (int i = 0; i < 3; ++i) bn.forward(warm, y, c);  // some running statistics
  randomize<B>(bn, 3);
  bn.eval();
  auto x = random_matrix<B>(5, 4, 6);
  check_layer<B>(bn, &x, [&](auto& out) { bn.forward(x, out, c); }, [&](auto& dy, auto& dx) { bn.backward(c, dy, dx); });
  BOOST_CHECK_THROW(bn.forward(random_matrix<B>(5, 3, 1), y, c), denoise::config_error);
}

DENOISE_TYPED_TEST(layer_norm, denoise::test::backend_list_double) {
  using B = TestType;
  nn::LayerNorm<B> ln(6);
  randomize<B>(ln, 1);
  auto x = random_matrix<B>(7, 6, 2, -2.0, 3.0);
  typename nn::LayerNorm<B>::cache c;
  check_layer<B>(ln, &x, [&](auto& y) { ln.forward(x, y, c); }, [&](auto& dy, auto& dx) { ln.backward(c, dy, dx); });
  BOOST_CHECK_THROW(nn::LayerNorm<B>(0), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
