// docs/policies/optimizer.md's user-written optimizer (SignSGD), compiled verbatim, accepted by
// nn::check_optimizer like the built-ins, and run for one step; and the page's Adam step by hand.
#include <denoise/backends/eigen.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/nn/optim/sgd.hpp>
#include <denoise/nn/optim/static_checks.hpp>
#include <denoise/nn/parameter.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

// [doc: optimizer.md sign-sgd]
template <class B>
class SignSGD {   // theta -= lr * sign(g)
 public:
  explicit SignSGD(double lr) : lr_(lr) {}
  template <class Model>
  void step(Model& model) {
    model.visit_parameters([&](denoise::nn::param_ref<B> p) {
      B::launch(p.value.size(), kernel{B::ptr(p.value), B::ptr(p.grad), static_cast<typename B::scalar>(lr_)});
    });
    ++steps_;
  }
  void reset() { steps_ = 0; }
  void set_lr(double lr) { lr_ = lr; }
  std::uint64_t steps() const { return steps_; }

 private:
  struct kernel {
    typename B::scalar* theta;
    const typename B::scalar* g;
    typename B::scalar lr;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      theta[i] -= g[i] > 0 ? lr : (g[i] < 0 ? -lr : 0);
    }
  };
  double lr_;
  std::uint64_t steps_ = 0;
};
// [end]

using B = denoise::backends::Eigen<float>;
using Model = denoise::models::GMF<B>;
static_assert(denoise::nn::check_optimizer<SignSGD<B>, Model>(), "");
static_assert(denoise::nn::check_optimizer<denoise::nn::SGD<B>, Model>(), "");
static_assert(denoise::nn::check_optimizer<denoise::nn::Adam<B>, Model>(), "");

}  // namespace

BOOST_AUTO_TEST_SUITE(docs_optimizer)

BOOST_AUTO_TEST_CASE(sign_sgd_moves_each_parameter_by_lr) {
  Model model(3, 4, {}, 1);
  denoise::data::pair_batch<B> batch;
  B::from_host(std::vector<denoise::index_t>{0, 2}, batch.users);
  B::from_host(std::vector<denoise::index_t>{1, 3}, batch.items);
  Model::workspace ws;
  B::vector logits, dlogits;
  model.forward(batch, ws, logits);
  B::from_host(std::vector<float>{1.0f, -1.0f}, dlogits);
  denoise::nn::zero_grad<B>(model);
  model.backward(ws, dlogits);
  std::vector<float> before, after;
  B::to_host(model.item_embedding().table(), before);
  SignSGD<B> opt(0.5);
  opt.step(model);
  B::to_host(model.item_embedding().table(), after);
  BOOST_TEST(opt.steps() == 1u);
  double moved = 0;
  for (std::size_t k = 0; k < before.size(); ++k) moved += std::abs(double(after[k]) - double(before[k]));
  BOOST_TEST(moved > 0.0);
}

BOOST_AUTO_TEST_CASE(adam_update_by_hand) {
  namespace nn = denoise::nn;
  Model model(3, 4, {}, 1);
  denoise::data::pair_batch<B> batch;
  B::from_host(std::vector<denoise::index_t>{0, 2}, batch.users);
  B::from_host(std::vector<denoise::index_t>{1, 3}, batch.items);
  Model::workspace ws;
  B::vector logits, dlogits;
  B::from_host(std::vector<float>{0.5f, -0.5f}, dlogits);
  // [doc: optimizer.md adam]
  nn::Adam<B> opt({/*lr*/ 1e-3, /*beta1*/ 0.9, /*beta2*/ 0.999, /*eps*/ 1e-8,
                   /*weight_decay*/ 1e-6, /*lazy*/ true});
  nn::zero_grad<B>(model);
  model.forward(batch, ws, logits);   // ws: a typename Model::workspace
  model.backward(ws, dlogits);
  opt.step(model);
  // [end]
  BOOST_TEST(opt.steps() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
