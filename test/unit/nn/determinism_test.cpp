// Same seed, same bits: 100 Adam steps of a small embedding + MLP model on the Eigen backend at 1
// and at 2 OpenMP threads; Thrust-OMP and Eigen agree on a forward and backward pass.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/nn/nn.hpp>

#include "nn_helpers.hpp"
#include "support/backend_list.hpp"
#include "toy_model.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

using namespace denoise;
using denoise::test::to_host;

namespace {
template <class B>
struct both {
  nn::Embedding<B>& e;
  nn::MLP<B>& m;
  template <class F>
  void visit_parameters(F&& f) {
    e.visit_parameters(f);
    m.visit_parameters(f);
  }
};

template <class B>
std::vector<typename B::scalar> train_and_flatten(int threads, int steps) {
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#else
  static_cast<void>(threads);
#endif
  // Batch 512 x width 64: large enough that every loop and gemm runs on several threads.
  nn::mlp_options options;
  options.dropout = 0.1;
  nn::Embedding<B> emb(300, 64, 1);
  nn::MLP<B> mlp({64, 64, 32, 1}, 2, options);
  nn::Adam<B> opt({1e-2, 0.9, 0.999, 1e-8, 1e-4, true});
  both<B> model{emb, mlp};
  random::rng gen(5);
  std::vector<index_t> host_idx(512);
  typename B::index_vector idx;
  typename B::matrix x, y, dy;
  typename nn::Embedding<B>::cache ec;
  typename nn::MLP<B>::cache mc;
  for (int s = 0; s < steps; ++s) {
    for (auto& i : host_idx) i = static_cast<index_t>(gen.uniform_index(300));
    B::from_host(host_idx, idx);
    nn::zero_grad<B>(model);
    emb.forward(idx, x, ec);
    mlp.forward(x, y, mc);
    B::copy(y, dy);
    B::scale(dy, typename B::scalar(1.0 / 512));  // d(mean y^2 / 2)
    typename B::matrix dx;
    mlp.backward(mc, dy, dx);
    emb.backward(ec, dx);
    opt.step(model);
  }
  std::vector<typename B::scalar> flat;
  model.visit_parameters([&](nn::param_ref<B> p) {
    const auto v = to_host<B>(p.value);
    flat.insert(flat.end(), v.begin(), v.end());
  });
  return flat;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(nn_determinism)

BOOST_AUTO_TEST_CASE(eigen_100_steps_bit_identical_at_1_and_2_threads) {
  using B = backends::Eigen<float>;
  const auto one = train_and_flatten<B>(1, 100);
  const auto two = train_and_flatten<B>(2, 100);
#if defined(_OPENMP)
  omp_set_num_threads(2);
#endif
  BOOST_REQUIRE_EQUAL(one.size(), two.size());
  BOOST_TEST(one == two, boost::test_tools::per_element());
  const auto again = train_and_flatten<B>(2, 100);
  BOOST_TEST(again == two, boost::test_tools::per_element());
}

#if defined(DENOISE_TEST_HAVE_THRUST)
BOOST_AUTO_TEST_CASE(thrust_omp_agrees_with_eigen_on_forward_and_backward) {
  using E = backends::Eigen<float>;
  using T = backends::Thrust<backends::thrust_system::omp, float>;
  denoise::test::toy_recommender<E> me(50, 60, 16, 7);
  denoise::test::toy_recommender<T> mt(50, 60, 16, 7);
  std::vector<index_t> u(256), it(256);
  random::rng gen(1);
  for (auto& x : u) x = static_cast<index_t>(gen.uniform_index(50));
  for (auto& x : it) x = static_cast<index_t>(gen.uniform_index(60));
  data::pair_batch<E> be;
  data::pair_batch<T> bt;
  E::from_host(u, be.users);
  E::from_host(it, be.items);
  T::from_host(u, bt.users);
  T::from_host(it, bt.items);
  typename denoise::test::toy_recommender<E>::workspace we;
  typename denoise::test::toy_recommender<T>::workspace wt;
  typename E::vector le;
  typename T::vector lt;
  me.forward(be, we, le);
  mt.forward(bt, wt, lt);
  const auto hle = denoise::test::to_host_vec<E>(le), hlt = denoise::test::to_host_vec<T>(lt);
  for (std::size_t i = 0; i < hle.size(); ++i) BOOST_TEST(hle[i] == hlt[i], boost::test_tools::tolerance(1e-4f));
  typename E::matrix dle(256, 1);
  typename T::matrix dlt(256, 1);
  E::fill_normal(dle, 3);
  T::fill_normal(dlt, 3);
  typename E::vector ve;
  typename T::vector vt;
  E::copy(dle.values(), ve);
  T::copy(dlt.values(), vt);
  me.backward(we, ve);
  mt.backward(wt, vt);
  std::vector<std::vector<float>> ge, gt;
  me.visit_parameters([&](nn::param_ref<E> p) { ge.push_back(to_host<E>(p.grad)); });
  mt.visit_parameters([&](nn::param_ref<T> p) { gt.push_back(to_host<T>(p.grad)); });
  BOOST_REQUIRE_EQUAL(ge.size(), gt.size());
  for (std::size_t p = 0; p < ge.size(); ++p) {
    float scale = 1e-3f;
    for (float v : ge[p]) scale = std::max(scale, std::abs(v));
    for (std::size_t i = 0; i < ge[p].size(); ++i) BOOST_TEST(std::abs(ge[p][i] - gt[p][i]) <= 1e-4f * scale, "param " << p << "[" << i << "]");
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()
