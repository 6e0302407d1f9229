#include <denoise/data/alias_table.hpp>
#include <denoise/data/popularity_negative_sampler.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

namespace dd = denoise::data;
using denoise::index_t;

namespace {

/// Chi-square statistic of counts against expected probabilities (cells with p = 0 must be empty).
double chi_square(const std::vector<long>& counts, const std::vector<double>& p, long n) {
  double chi = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (p[k] == 0) {
      BOOST_REQUIRE_EQUAL(counts[k], 0);
      continue;
    }
    const double e = p[k] * static_cast<double>(n);
    chi += (static_cast<double>(counts[k]) - e) * (static_cast<double>(counts[k]) - e) / e;
  }
  return chi;
}

/// What a uniform negative sampler must give user u: 1 / n_negatives(u) on each of the first
/// `items` items that is not a positive of u, 0 on its positives.
std::vector<double> negative_probabilities(const dd::UniformNegativeSampler& s, index_t u, index_t items) {
  std::vector<double> p(static_cast<std::size_t>(items), 0.0);
  for (index_t j = 0; j < items; ++j)
    if (!s.positives().contains(static_cast<std::size_t>(u), j)) p[static_cast<std::size_t>(j)] = 1.0 / s.n_negatives(u);
  return p;
}

/// Upper 0.001 critical value of chi-square with `dof` degrees of freedom (Wilson–Hilferty).
double chi_square_critical(double dof) {
  const double z = 3.090232;  // 0.999 normal quantile
  const double a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

/// Users: 0 very dense (all items but 3), 1 sparse, 2 empty, 3 holds the even items (popularity).
dd::Interactions dense_and_sparse(index_t n_items) {
  dd::Interactions d;
  for (int u = 0; u < 4; ++u) d.add_user(u);
  for (index_t j = 0; j < n_items; ++j) d.add_item(j);
  for (index_t j = 0; j < n_items; ++j)
    if (j != 0 && j != 17 && j != n_items - 1) d.push_back(0, j, 1.0f);
  for (index_t j : {index_t(3), index_t(4), index_t(n_items - 7)}) d.push_back(1, j, 1.0f);
  for (index_t j = 0; j < n_items; j += 2) d.push_back(3, j, 1.0f);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_sampler)

BOOST_AUTO_TEST_CASE(uniform_nth_negative_enumerates_the_complement) {
  const auto d = dense_and_sparse(50);
  const dd::UniformNegativeSampler s(d);
  for (index_t u = 0; u < 4; ++u) {
    std::vector<index_t> expected;
    for (index_t j = 0; j < 50; ++j)
      if (!s.positives().contains(static_cast<std::size_t>(u), j)) expected.push_back(j);
    BOOST_REQUIRE_EQUAL(s.n_negatives(u), static_cast<index_t>(expected.size()));
    for (index_t r = 0; r < s.n_negatives(u); ++r) BOOST_REQUIRE_EQUAL(s.nth_negative(u, r), expected[static_cast<std::size_t>(r)]);
  }
  BOOST_TEST(s.n_negatives(0) == 3);
}

BOOST_AUTO_TEST_CASE(uniform_never_hits_a_positive_and_is_uniform) {
  const auto syn = dd::make_synthetic({});
  const dd::UniformNegativeSampler s(syn.interactions);
  const auto pos = syn.interactions.by_user();
  denoise::random::rng g(1, "test");
  for (int k = 0; k < 200000; ++k) {
    const auto u = static_cast<index_t>(g.uniform_index(static_cast<std::uint64_t>(syn.interactions.n_users())));
    const index_t j = s.sample(u, g);
    BOOST_REQUIRE(j >= 0 && j < syn.interactions.n_items());
    BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(u), j));
  }
  // Chi-square per user on the dense user of the hand-made set: 3 candidates left.
  const auto d = dense_and_sparse(200);
  const dd::UniformNegativeSampler t(d);
  for (index_t u : {0, 1, 2}) {
    std::vector<long> counts(200, 0);
    const long n = 60000;
    for (long k = 0; k < n; ++k) ++counts[static_cast<std::size_t>(t.sample(u, g))];
    BOOST_TEST(chi_square(counts, negative_probabilities(t, u, 200), n) < chi_square_critical(t.n_negatives(u) - 1.0));
  }
}

BOOST_AUTO_TEST_CASE(uniform_is_reproducible_and_rejects_full_users) {
  const auto d = dense_and_sparse(30);
  const dd::UniformNegativeSampler s(d);
  denoise::random::rng a(9), b(9);
  std::vector<index_t> users(1000, 1), x(1000), y(1000);
  s.sample(users, x, a);
  s.sample(users, y, b);
  BOOST_TEST(x == y, boost::test_tools::per_element());
  dd::Interactions full;
  full.push_back(full.add_user(0), full.add_item(0), 1.0f);
  const dd::UniformNegativeSampler f(full);
  BOOST_CHECK_THROW(f.sample(0, a), denoise::config_error);
  BOOST_CHECK_THROW(s.sample(7, a), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(uniform_bulk_sampling_draws_what_one_by_one_sampling_draws) {
  // Users of every size in one call (dense with 3 negatives and half: rank; sparse and empty:
  // rejection when the sampler holds its bitset), in runs longer and shorter than the interleaved group of 16:
  // the bulk draws must land on the same items as sample(user) in turn (the dense user's draws
  // cover all of its ranks). Again with no bitset (budget 0), where every user is sampled by rank.
  const auto d = dense_and_sparse(300);
  for (const std::size_t budget : {dd::UniformNegativeSampler::default_membership_budget_bytes, std::size_t(0)}) {
    const dd::UniformNegativeSampler s(d, budget);
    BOOST_TEST(s.has_membership() == (budget != 0));
    denoise::random::rng pick(5), a(21), b(21);
    for (std::size_t n : {std::size_t(1), std::size_t(15), std::size_t(16), std::size_t(17), std::size_t(1000)}) {
      std::vector<index_t> users(n), bulk(n), single(n);
      for (auto& u : users) u = static_cast<index_t>(pick.uniform_index(4));
      s.sample(users, bulk, a);
      for (std::size_t k = 0; k < n; ++k) single[k] = s.sample(users[k], b);
      BOOST_TEST(bulk == single, boost::test_tools::per_element());
    }
    std::vector<index_t> users(3, 1), short_out(2);
    BOOST_CHECK_THROW(s.sample(users, short_out, a), denoise::config_error);
  }
}

BOOST_AUTO_TEST_CASE(uniform_rejection_and_rank_are_both_exact) {
  // The same users through both methods: with the bitset, users 1 (3 positives) and 2 (none) are
  // sampled by rejection and users 0 (3 negatives left) and 3 (every even item) by rank; without
  // it (budget 0), all by rank. Each must be uniform over the user's negatives, in
  // bulk draws too.
  const auto d = dense_and_sparse(120);
  const dd::UniformNegativeSampler with_bits(d), by_rank(d, 0);
  BOOST_TEST(with_bits.has_membership());
  BOOST_TEST(!by_rank.has_membership());
  denoise::random::rng g(77);
  for (const auto* s : {&with_bits, &by_rank}) {
    for (index_t u : {0, 1, 2, 3}) {
      const long n = 40000;
      std::vector<index_t> users(static_cast<std::size_t>(n), u), out(static_cast<std::size_t>(n));
      s->sample(users, out, g);
      std::vector<long> counts(120, 0);
      for (index_t j : out) ++counts[static_cast<std::size_t>(j)];
      BOOST_TEST(chi_square(counts, negative_probabilities(*s, u, 120), n) < chi_square_critical(s->n_negatives(u) - 1.0));
    }
  }
}

BOOST_AUTO_TEST_CASE(alias_table_matches_weights) {
  const std::vector<double> w{1, 0, 3, 6, 0.5, 9.5};
  const dd::AliasTable t(w);
  denoise::random::rng g(4);
  std::vector<long> counts(w.size(), 0);
  const long n = 200000;
  for (long k = 0; k < n; ++k) ++counts[static_cast<std::size_t>(t.sample(g))];
  std::vector<double> p;
  for (double x : w) p.push_back(x / 20.0);
  BOOST_TEST(chi_square(counts, p, n) < chi_square_critical(4));
  BOOST_CHECK_THROW(dd::AliasTable(std::vector<double>{0, 0}), denoise::config_error);
  BOOST_CHECK_THROW(dd::AliasTable(std::vector<double>{1, -1}), denoise::config_error);
}

BOOST_AUTO_TEST_CASE(popularity_sampler_is_exact_for_light_and_heavy_users) {
  // User 1 (light: alias + redraw) and user 0 (heavy: CDF inversion) and user 2 (no positives).
  const auto d = dense_and_sparse(60);
  dd::PopularityOptions opt;
  opt.smoothing = 1.0;
  const dd::PopularityNegativeSampler s(d, opt);
  denoise::random::rng g(8);
  for (index_t u : {0, 1, 2, 3}) {
    std::vector<long> counts(60, 0);
    const long n = 100000;
    for (long k = 0; k < n; ++k) ++counts[static_cast<std::size_t>(s.sample(u, g))];
    std::vector<double> p(60);
    double sum = 0;
    int cells = 0;
    for (index_t j = 0; j < 60; ++j) {
      p[static_cast<std::size_t>(j)] = s.probability(u, j);
      sum += p[static_cast<std::size_t>(j)];
      cells += p[static_cast<std::size_t>(j)] > 0;
    }
    BOOST_TEST(std::abs(sum - 1.0) < 1e-9);
    BOOST_TEST(chi_square(counts, p, n) < chi_square_critical(cells - 1.0));
  }
}

BOOST_AUTO_TEST_CASE(popularity_inversion_covers_every_negative_exactly) {
  // Walking t over [0, free mass) in steps hits each non-positive item with its weight's share.
  const auto d = dense_and_sparse(40);
  dd::PopularityOptions opt;
  opt.smoothing = 0.5;
  const dd::PopularityNegativeSampler s(d, opt);
  for (std::size_t u = 0; u < 4; ++u) {
    double free_mass = 0;
    for (index_t j = 0; j < 40; ++j)
      if (!s.positives().contains(u, j)) free_mass += s.weights()[static_cast<std::size_t>(j)];
    std::vector<double> hit(40, 0.0);
    const int steps = 100000;
    for (int k = 0; k < steps; ++k) {
      const double t = (k + 0.5) / steps * free_mass;
      const index_t j = s.invert(u, t);
      BOOST_REQUIRE(!s.positives().contains(u, j));
      hit[static_cast<std::size_t>(j)] += 1.0 / steps;
    }
    for (index_t j = 0; j < 40; ++j)
      BOOST_REQUIRE_SMALL(hit[static_cast<std::size_t>(j)] - s.probability(static_cast<index_t>(u), j), 1e-4);
  }
}

BOOST_AUTO_TEST_CASE(popularity_never_hits_a_positive_on_generated_data) {
  dd::SyntheticConfig c;
  c.n_items = 300;
  c.mean_positives = 120;  // dense users take the inversion path too
  c.popularity_skew = 2.0;
  const auto syn = dd::make_synthetic(c);
  const dd::PopularityNegativeSampler s(syn.interactions);
  const auto pos = syn.interactions.by_user();
  denoise::random::rng g(2);
  for (int k = 0; k < 100000; ++k) {
    const auto u = static_cast<index_t>(g.uniform_index(static_cast<std::uint64_t>(syn.interactions.n_users())));
    const index_t j = s.sample(u, g);
    BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(u), j));
    BOOST_REQUIRE(s.weights()[static_cast<std::size_t>(j)] > 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
