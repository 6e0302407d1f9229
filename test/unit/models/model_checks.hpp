// Checks every built-in model goes through, written once over the Model policy:
//   gradients      backward() against central differences of sum_n c_n logit_n, every parameter
//   score          score() equals forward() in eval mode for every (user, item) pair
//   reset          reset(seed) reproducible and seed-dependent
//   errors         out-of-range ids -> denoise::error, mismatched sizes -> config_error
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 at -O3 -std=c++20 reports a "potential null pointer dereference" inside the std::vector
// copies of B::to_host once a test loop is inlined (a false positive; C++17 and clang++ are
// quiet). Test code only: the library headers are built without this.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <denoise/core/error.hpp>
#include <denoise/core/random.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/gradient_check.hpp>
#include <denoise/nn/parameter.hpp>

#include "support/backend_list.hpp"

namespace denoise {
namespace test {

template <class B>
typename B::index_vector to_index(const std::vector<index_t>& host_ids) {
  typename B::index_vector v;
  B::from_host(host_ids, v);
  return v;
}

template <class B>
typename B::vector to_vector(const std::vector<typename B::scalar>& host_values) {
  typename B::vector v;
  B::from_host(host_values, v);
  return v;
}

template <class B, class V>
std::vector<typename V::value_type> host_of(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

/// n random pairs (with repeated users and items, which the gradients must sum).
inline void random_pairs(index_t users, index_t items, std::size_t n, std::uint64_t seed, std::vector<index_t>& u,
                         std::vector<index_t>& i) {
  random::counter_stream s(seed);
  u.resize(n);
  i.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    u[k] = static_cast<index_t>(s.bits(2 * k) % static_cast<std::uint64_t>(users));
    i[k] = static_cast<index_t>(s.bits(2 * k + 1) % static_cast<std::uint64_t>(items));
  }
}

/// backward() against central differences of L = sum_n c_n logit_n over every parameter.
template <class Model>
void check_model_gradients(Model& model, std::size_t pairs, std::uint64_t seed, double tolerance = 1e-6) {
  using B = typename Model::backend;
  using S = typename B::scalar;
  std::vector<index_t> hu, hi;
  random_pairs(model.users(), model.items(), pairs, seed, hu, hi);
  const auto users = to_index<B>(hu);
  const auto items = to_index<B>(hi);
  std::vector<S> hc(pairs);
  random::counter_stream s(seed + 99);
  for (std::size_t k = 0; k < pairs; ++k) hc[k] = static_cast<S>(2.0 * s.uniform<double>(k) - 1.0);
  const auto c = to_vector<B>(hc);
  typename B::vector logits;
  auto loss = [&] {
    model.forward(users, items, logits);
    return static_cast<double>(B::dot(logits, c));
  };
  auto grad = [&] {
    loss();
    model.backward(c);
  };
  nn::gradient_check_options options;
  options.tolerance = tolerance;
  options.max_per_parameter = 48;
  const auto result = nn::check_gradients<B>(model, loss, grad, options);
  BOOST_TEST(result.passed, Model::name() << " on " << B::name() << ": " << result.report());
  BOOST_TEST(result.checked > 0u);
}

/// score(users) equals forward() over every (user, item) pair, in eval mode.
template <class Model>
void check_score_matches_forward(Model& model) {
  using B = typename Model::backend;
  using S = typename B::scalar;
  model.eval();
  const index_t nu = model.users(), ni = model.items();
  std::vector<index_t> all_users, pair_users, pair_items;
  // users in a scrambled order with one repeat, so row r really is users[r]
  for (index_t u = nu; u-- > 0;) all_users.push_back(u);
  all_users.push_back(0);
  for (index_t u : all_users) {
    for (index_t j = 0; j < ni; ++j) {
      pair_users.push_back(u);
      pair_items.push_back(j);
    }
  }
  const auto users = to_index<B>(all_users);
  const auto pu = to_index<B>(pair_users);
  const auto pi = to_index<B>(pair_items);
  typename B::vector logits;
  model.forward(pu, pi, logits);
  typename B::matrix scores;
  model.score(users, scores);
  BOOST_TEST(scores.rows() == static_cast<index_t>(all_users.size()));
  BOOST_TEST(scores.cols() == ni);
  const auto hs = host_of<B>(scores.values());
  const auto hl = host_of<B>(logits);
  BOOST_TEST_REQUIRE(hs.size() == hl.size());
  const double tol = std::is_same<S, float>::value ? 1e-4 : 1e-10;
  std::size_t bad = 0;
  for (std::size_t k = 0; k < hs.size(); ++k) {
    const double a = static_cast<double>(hs[k]), b = static_cast<double>(hl[k]);
    if (!(std::abs(a - b) <= tol * std::max(1.0, std::abs(b)))) ++bad;
  }
  BOOST_TEST(bad == 0u, Model::name() << " on " << B::name() << ": " << bad << " scores differ from forward()");
}

/// reset(seed) gives the same parameters for the same seed and different ones for another seed.
template <class Model>
void check_reset(Model& model) {
  using B = typename Model::backend;
  auto values = [&] {
    std::vector<std::vector<typename B::scalar>> out;
    model.visit_parameters([&](nn::param_ref<B> p) { out.push_back(host_of<B>(p.value.values())); });
    return out;
  };
  model.reset(5);
  const auto a = values();
  model.reset(7);
  const auto b = values();
  model.reset(5);
  const auto c = values();
  BOOST_TEST((a == c), Model::name() << ": reset(5) twice differs");
  BOOST_TEST((a != b), Model::name() << ": reset(5) and reset(7) agree");
  // every gradient is zero after reset
  bool zero = true;
  model.visit_parameters([&](nn::param_ref<B> p) {
    for (auto g : host_of<B>(p.grad.values())) zero = zero && g == 0;
  });
  BOOST_TEST(zero);
}

/// Out-of-range ids throw denoise::error; mismatched sizes and early backward throw config_error.
template <class Model>
void check_errors(Model& model) {
  using B = typename Model::backend;
  typename B::vector logits;
  const auto ok_u = to_index<B>({0, 1});
  const auto ok_i = to_index<B>({1, 0});
  const auto bad_u = to_index<B>({0, model.users()});
  const auto bad_i = to_index<B>({-1, 0});
  const auto short_i = to_index<B>({0});
  BOOST_CHECK_THROW(model.forward(bad_u, ok_i, logits), denoise::error);
  BOOST_CHECK_THROW(model.forward(ok_u, bad_i, logits), denoise::error);
  BOOST_CHECK_THROW(model.forward(ok_u, short_i, logits), denoise::config_error);
  typename B::matrix scores;
  BOOST_CHECK_THROW(model.score(bad_u, scores), denoise::error);
  typename B::matrix features;
  BOOST_CHECK_THROW(model.features(ok_u, short_i, features), denoise::config_error);
  model.forward(ok_u, ok_i, logits);
  BOOST_TEST(logits.size() == 2u);
  const auto three = to_vector<B>({1, 2, 3});
  BOOST_CHECK_THROW(model.backward(three), denoise::config_error);
}

/// features() is pairs x feature_dim().
template <class Model>
void check_feature_shape(Model& model) {
  using B = typename Model::backend;
  const auto u = to_index<B>({0, 1, 0});
  const auto i = to_index<B>({2, 0, 1});
  typename B::matrix out;
  model.features(u, i, out);
  BOOST_TEST(out.rows() == 3);
  BOOST_TEST(out.cols() == model.feature_dim());
}

/// Rows of a table on the host.
template <class B>
std::vector<typename B::scalar> host_row(const typename B::matrix& table, index_t r) {
  const auto all = host_of<B>(table.values());
  const auto cols = static_cast<std::size_t>(table.cols());
  return {all.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r) * cols),
          all.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(r) + 1) * cols)};
}

}  // namespace test
}  // namespace denoise
