#include <denoise/data/implicit.hpp>
#include <denoise/data/split.hpp>
#include <denoise/data/synthetic.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

namespace dd = denoise::data;
using denoise::index_t;

BOOST_AUTO_TEST_SUITE(data_synthetic)

BOOST_AUTO_TEST_CASE(noise_share_matches_the_request) {
  for (double rate : {0.0, 0.1, 0.2, 0.35}) {
    dd::SyntheticConfig c;
    c.noise_rate = rate;
    c.seed = 17;
    const auto syn = dd::make_synthetic(c);
    const auto& d = syn.interactions;
    const double n = static_cast<double>(d.size());
    BOOST_TEST(std::abs(static_cast<double>(dd::count_noisy(d)) - rate * n) <= 1.0);
    // Mean density as requested (log-normal activity keeps the mean).
    BOOST_TEST(std::abs(n / c.n_users - c.mean_positives) < 0.1 * c.mean_positives);
  }
}

BOOST_AUTO_TEST_CASE(flags_agree_with_the_ground_truth) {
  dd::SyntheticConfig c;
  c.negatives_per_user = 3;
  c.noisy_negative_rate = 0.25;
  const auto syn = dd::make_synthetic(c);
  const auto& d = syn.interactions;
  std::size_t negatives = 0, noisy_negatives = 0;
  std::set<std::pair<index_t, index_t>> observed;
  for (std::size_t k = 0; k < d.size(); ++k) {
    const index_t u = d.users()[k], j = d.items()[k];
    BOOST_REQUIRE(observed.emplace(u, j).second);  // no duplicate pair
    const bool noisy = d.noisy()[k] != 0;
    if (d.labels()[k] > 0) {
      BOOST_REQUIRE(noisy ? syn.dislikes(u, j) : syn.prefers(u, j));
      BOOST_REQUIRE(noisy ? d.ratings()[k] < 3.0f : d.ratings()[k] >= 4.0f);
    } else {
      ++negatives;
      noisy_negatives += noisy;
      BOOST_REQUIRE(noisy ? syn.prefers(u, j) : syn.dislikes(u, j));
    }
  }
  BOOST_TEST(std::abs(static_cast<double>(negatives) - 3.0 * c.n_users) < 0.05 * 3.0 * c.n_users);
  BOOST_TEST(std::abs(static_cast<double>(noisy_negatives) / static_cast<double>(negatives) - 0.25) < 0.05);
  // The implicit convention recovers exactly the planted positives' flags.
  const auto positives = d.filter([&](std::size_t k) { return d.labels()[k] > 0; });
  const auto re = dd::to_implicit(positives);
  for (std::size_t k = 0; k < positives.size(); ++k) BOOST_REQUIRE_EQUAL(re.noisy()[k], positives.noisy()[k]);
  // Held-out: truly liked, clean, never observed.
  BOOST_TEST(syn.held_out.size() == static_cast<std::size_t>(c.n_users) * c.held_out_per_user);
  for (std::size_t k = 0; k < syn.held_out.size(); ++k) {
    const index_t u = syn.held_out.users()[k], j = syn.held_out.items()[k];
    BOOST_REQUIRE(syn.prefers(u, j));
    BOOST_REQUIRE(observed.count({u, j}) == 0);
  }
  BOOST_TEST(syn.held_out.n_items() == d.n_items());
}

BOOST_AUTO_TEST_CASE(deterministic_and_seed_dependent) {
  dd::SyntheticConfig c;
  c.n_users = 50;
  const auto a = dd::make_synthetic(c), b = dd::make_synthetic(c);
  BOOST_TEST((a.interactions == b.interactions));
  BOOST_TEST((a.held_out == b.held_out));
  c.seed += 1;
  BOOST_TEST((!(dd::make_synthetic(c).interactions == a.interactions)));
}

BOOST_AUTO_TEST_CASE(skew_and_density_change_the_data) {
  dd::SyntheticConfig flat;
  flat.popularity_skew = 0;
  flat.activity_skew = 0;
  dd::SyntheticConfig skewed = flat;
  skewed.popularity_skew = 3;
  skewed.activity_skew = 1;
  auto top_share = [](const dd::Interactions& d) {
    auto deg = d.item_degrees();
    std::sort(deg.rbegin(), deg.rend());
    double top = 0, all = 0;
    for (std::size_t k = 0; k < deg.size(); ++k) {
      all += static_cast<double>(deg[k]);
      if (k < deg.size() / 10) top += static_cast<double>(deg[k]);
    }
    return top / all;
  };
  const auto f = dd::make_synthetic(flat).interactions, s = dd::make_synthetic(skewed).interactions;
  BOOST_TEST(top_share(s) > top_share(f) + 0.1);
  const auto fu = f.user_degrees(), su = s.user_degrees();
  BOOST_TEST(*std::max_element(su.begin(), su.end()) > 2 * *std::max_element(fu.begin(), fu.end()));
  dd::SyntheticConfig dense = flat;
  dense.mean_positives = 80;
  BOOST_TEST(dd::make_synthetic(dense).interactions.size() > 2 * f.size());
}

BOOST_AUTO_TEST_CASE(appeal_skew_concentrates_planted_noise_on_clickbait_items) {
  // Share of the noisy clicks that land on the 10% of items with the most noisy clicks.
  auto concentration = [](double skew) {
    dd::SyntheticConfig c;
    c.noise_rate = 0.2;
    c.noise_appeal_skew = skew;
    const auto syn = dd::make_synthetic(c);
    const auto& d = syn.interactions;
    std::vector<std::size_t> per_item(static_cast<std::size_t>(d.n_items()), 0);
    std::size_t noisy = 0;
    for (std::size_t k = 0; k < d.size(); ++k) {
      if (!d.noisy()[k]) continue;
      BOOST_REQUIRE(syn.dislikes(d.users()[k], d.items()[k]));  // still truly disliked
      ++per_item[static_cast<std::size_t>(d.items()[k])];
      ++noisy;
    }
    BOOST_TEST(std::abs(static_cast<double>(noisy) - 0.2 * static_cast<double>(d.size())) <= 1.0);
    std::sort(per_item.rbegin(), per_item.rend());
    std::size_t top = 0;
    for (std::size_t j = 0; j < per_item.size() / 10; ++j) top += per_item[j];
    return static_cast<double>(top) / static_cast<double>(noisy);
  };
  const double plain = concentration(0.0), clickbait = concentration(2.0);
  BOOST_TEST_MESSAGE("top-10% item share of noise: " << plain << " without, " << clickbait << " with appeal skew");
  BOOST_TEST(clickbait > plain + 0.1);
}

BOOST_AUTO_TEST_CASE(bad_configs_are_config_errors) {
  dd::SyntheticConfig c;
  c.noise_rate = 1.5;
  BOOST_CHECK_THROW(dd::make_synthetic(c), denoise::config_error);
  c = {};
  c.like_share = 0.7;
  c.dislike_share = 0.7;
  BOOST_CHECK_THROW(dd::make_synthetic(c), denoise::config_error);
  c = {};
  c.n_items = 1;
  BOOST_CHECK_THROW(dd::make_synthetic(c), denoise::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
