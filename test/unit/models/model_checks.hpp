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
#include <denoise/data/pair_batch.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/gradient_check.hpp>
#include <denoise/nn/jvp.hpp>
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

/// A batch of n random pairs.
template <class B>
data::pair_batch<B> random_batch(index_t users, index_t items, std::size_t n, std::uint64_t seed) {
  std::vector<index_t> hu, hi;
  random_pairs(users, items, n, seed, hu, hi);
  data::pair_batch<B> b;
  B::from_host(hu, b.users);
  B::from_host(hi, b.items);
  return b;
}

/// n random coefficients in [-1, 1).
template <class B>
typename B::vector random_coefficients(std::size_t n, std::uint64_t seed) {
  std::vector<typename B::scalar> hc(n);
  random::counter_stream s(seed);
  for (std::size_t k = 0; k < n; ++k) hc[k] = static_cast<typename B::scalar>(2.0 * s.uniform<double>(k) - 1.0);
  return to_vector<B>(hc);
}

/// backward(ws, c) against central differences of L = sum_n c_n logit_n over every parameter, in
/// the model's current mode: the masks of the first forward are replayed (ws.replay) by every
/// later one, so stochastic layers in training mode are covered too.
template <class Model>
void check_model_gradients(Model& model, std::size_t pairs, std::uint64_t seed, double tolerance = 1e-6) {
  using B = typename Model::backend;
  const auto batch = random_batch<B>(model.users(), model.items(), pairs, seed);
  const auto c = random_coefficients<B>(pairs, seed + 99);
  nn::gradient_check_options options;
  options.tolerance = tolerance;
  options.max_per_parameter = 48;
  const auto result = nn::check_model_gradients(model, batch, c, options);
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
  data::pair_batch<B> pairs;
  pairs.users = to_index<B>(pair_users);
  pairs.items = to_index<B>(pair_items);
  typename Model::workspace ws;
  typename B::vector logits;
  model.forward(pairs, ws, logits);
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

/// Out-of-range ids throw denoise::error; mismatched sizes throw config_error (the Model policy's
/// members only: a user-written model needs no convenience overloads).
template <class Model>
void check_errors(Model& model) {
  using B = typename Model::backend;
  typename B::vector logits;
  const auto pairs = [](const std::vector<index_t>& u, const std::vector<index_t>& i) {
    data::pair_batch<B> b;
    b.users = to_index<B>(u);
    b.items = to_index<B>(i);
    return b;
  };
  const auto ok = pairs({0, 1}, {1, 0});
  const auto bad_user = pairs({0, model.users()}, {1, 0});
  const auto bad_item = pairs({0, 1}, {-1, 0});
  const auto short_items = pairs({0, 1}, {0});
  typename Model::workspace ws;
  BOOST_CHECK_THROW(model.forward(bad_user, ws, logits), denoise::error);
  BOOST_CHECK_THROW(model.forward(bad_item, ws, logits), denoise::error);
  BOOST_CHECK_THROW(model.forward(short_items, ws, logits), denoise::config_error);
  typename B::matrix scores;
  BOOST_CHECK_THROW(model.score(bad_user.users, scores), denoise::error);
  typename B::matrix features;
  BOOST_CHECK_THROW(model.features(short_items, features), denoise::config_error);
  model.forward(ok, ws, logits);
  BOOST_TEST(logits.size() == 2u);
  const auto three = to_vector<B>({1, 2, 3});
  BOOST_CHECK_THROW(model.backward(ws, three), denoise::config_error);
}

/// The model's exact jvp() against central differences with mask replay (nn::jvp).
template <class Model>
void check_jvp_against_finite_differences(Model& model, std::size_t pairs, std::uint64_t seed,
                                          double tolerance = 1e-6) {
  using B = typename Model::backend;
  const auto batch = random_batch<B>(model.users(), model.items(), pairs, seed);
  typename Model::workspace ws;
  typename B::vector logits, exact, numeric;
  model.forward(batch, ws, logits);
  nn::param_set<B> d;
  d.zeros_like(model);
  for (std::size_t p = 0; p < d.size(); ++p) B::fill_normal(d[p], seed + 300 + p);
  model.jvp(ws, d, exact);
  nn::jvp(model, batch, ws, d, numeric, nn::jvp_mode::finite_difference, 1e-5);
  const auto he = host_of<B>(exact), hn = host_of<B>(numeric);
  BOOST_REQUIRE_EQUAL(he.size(), hn.size());
  for (std::size_t k = 0; k < he.size(); ++k) {
    BOOST_TEST(static_cast<double>(he[k]) == static_cast<double>(hn[k]), boost::test_tools::tolerance(tolerance));
  }
}

/// features() is pairs x feature_dim().
template <class Model>
void check_feature_shape(Model& model) {
  using B = typename Model::backend;
  const auto u = to_index<B>({0, 1, 0});
  const auto i = to_index<B>({2, 0, 1});
  data::pair_batch<B> batch;
  batch.users = u;
  batch.items = i;
  typename B::matrix out;
  model.features(batch, out);
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
