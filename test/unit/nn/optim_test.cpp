// SGD and Adam against hand-computed updates; weight decay; lazy (touched rows) vs dense mode.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::to_host;

namespace {
// One dense 2x2 parameter and one sparse 3x2 table whose touched rows are set by hand.
template <class B>
struct toy {
  typename B::matrix w, gw, e, ge;
  typename B::index_vector touched;

  toy() {
    B::from_host(std::vector<double>{1, 2, 3, 4}, 2, 2, w);
    B::from_host(std::vector<double>{0.5, -1, 0, 2}, 2, 2, gw);
    B::from_host(std::vector<double>{1, -1, 2, -2, 3, -3}, 3, 2, e);
    set_table_grad({0, 0, 0.25, -0.5, 0, 0}, {1});
  }
  void set_table_grad(std::vector<double> g, std::vector<index_t> rows) {
    B::from_host(g, 3, 2, ge);
    B::from_host(rows, touched);
  }
  template <class F>
  void visit_parameters(F&& f) {
    f(nn::param_ref<B>{"w", w, gw, nullptr});
    f(nn::param_ref<B>{"e", e, ge, &touched});
  }
};

double adam_one(double theta, double g, double lr, double wd, double b1, double b2, double eps) {
  g += wd * theta;
  const double m = (1 - b1) * g, v = (1 - b2) * g * g;
  const double mhat = m / (1 - b1), vhat = v / (1 - b2);
  return theta - lr * mhat / (std::sqrt(vhat) + eps);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(nn_optim)

DENOISE_TYPED_TEST(sgd_step_with_weight_decay_lazy_and_dense, denoise::test::backend_list_double) {
  using B = TestType;
  for (bool lazy : {true, false}) {
    toy<B> model;
    nn::SGD<B> sgd({0.1, 0.01, lazy});
    sgd.step(model);
    const std::vector<double> w0{1, 2, 3, 4}, g0{0.5, -1, 0, 2};
    const auto w = to_host<B>(model.w);
    for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(w[i] == w0[i] - 0.1 * (g0[i] + 0.01 * w0[i]), boost::test_tools::tolerance(1e-14));
    const std::vector<double> e0{1, -1, 2, -2, 3, -3}, ge{0, 0, 0.25, -0.5, 0, 0};
    const auto e = to_host<B>(model.e);
    for (std::size_t i = 0; i < 6; ++i) {
      const bool touched_row = i / 2 == 1;
      const double expect = (lazy && !touched_row) ? e0[i] : e0[i] - 0.1 * (ge[i] + 0.01 * e0[i]);
      BOOST_TEST(e[i] == expect, boost::test_tools::tolerance(1e-14));
    }
  }
}

DENOISE_TYPED_TEST(adam_first_step_matches_formula, denoise::test::backend_list_double) {
  using B = TestType;
  toy<B> model;
  nn::adam_options o;
  o.lr = 0.01;
  o.weight_decay = 0.1;
  nn::Adam<B> adam(o);
  adam.step(model);
  const std::vector<double> w0{1, 2, 3, 4}, g0{0.5, -1, 0, 2};
  const auto w = to_host<B>(model.w);
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST(w[i] == adam_one(w0[i], g0[i], 0.01, 0.1, 0.9, 0.999, 1e-8), boost::test_tools::tolerance(1e-12));
  }
  // Lazy: rows 0 and 2 were not touched, so weight decay did not reach them.
  const auto e = to_host<B>(model.e);
  BOOST_TEST(e[0] == 1.0);
  BOOST_TEST(e[5] == -3.0);
  BOOST_TEST(e[2] == adam_one(2, 0.25, 0.01, 0.1, 0.9, 0.999, 1e-8), boost::test_tools::tolerance(1e-12));
  // The first moment is (1 - beta1) * (g + wd * theta).
  const auto m = to_host<B>(adam.first_moment(0));
  BOOST_TEST(m[1] == 0.1 * (-1 + 0.1 * 2), boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(adam_lazy_and_dense_differ_on_untouched_rows, denoise::test::backend_list_double) {
  using B = TestType;
  toy<B> lazy_model, dense_model;
  nn::adam_options o;
  nn::Adam<B> lazy(o);
  o.lazy = false;
  nn::Adam<B> dense(o);
  lazy.step(lazy_model);
  dense.step(dense_model);
  BOOST_TEST(to_host<B>(lazy_model.e) == to_host<B>(dense_model.e), boost::test_tools::per_element());
  // Step 2 touches row 0 only: dense Adam still moves row 1 (its first moment is non-zero).
  lazy_model.set_table_grad({0.1, 0.1, 0, 0, 0, 0}, {0});
  dense_model.set_table_grad({0.1, 0.1, 0, 0, 0, 0}, {0});
  const auto before = to_host<B>(lazy_model.e);
  lazy.step(lazy_model);
  dense.step(dense_model);
  const auto l = to_host<B>(lazy_model.e), d = to_host<B>(dense_model.e);
  BOOST_TEST(l[2] == before[2]);  // untouched: unchanged
  BOOST_TEST(l[3] == before[3]);
  BOOST_TEST(d[2] != before[2]);  // dense: momentum keeps it moving
  BOOST_TEST(l[0] == d[0]);       // touched rows agree (no weight decay, same moments)
  BOOST_TEST(lazy.steps() == 2u);
}

DENOISE_TYPED_TEST(optimizer_errors, denoise::test::backend_list_double) {
  using B = TestType;
  BOOST_CHECK_THROW(nn::SGD<B>({-1.0, 0.0, true}), denoise::config_error);
  nn::adam_options o;
  o.beta1 = 1.0;
  BOOST_CHECK_THROW(nn::Adam<B>{o}, denoise::config_error);
  toy<B> model;
  nn::Adam<B> adam;
  adam.step(model);
  model.w.resize(3, 3);
  model.gw.resize(3, 3);
  BOOST_CHECK_THROW(adam.step(model), denoise::config_error);
  adam.reset();
  BOOST_CHECK_NO_THROW(adam.step(model));
}

BOOST_AUTO_TEST_SUITE_END()
