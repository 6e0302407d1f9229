// The built-in default dataset: implicit feedback with planted noise and known ground truth.
//
// Users and items get latent factors; the true preference score is s(u, j) = <U_u, V_j> + b_j.
// Per user, the top like_share of items (by s) are truly liked, the bottom dislike_share truly
// disliked. Observed positives: clean ones drawn from the liked items, plus planted false
// positives drawn from the disliked items, so that exactly round(noise_rate * N) of the N
// observed positives are noisy (flag kept in Interactions::noisy()). Draws favour popular items
// (weight exp(popularity_skew * b_j)); activity per user is log-normal (activity_skew).
// Optionally explicit negatives (label 0), a share of which are noisy negatives (truly liked).
// Clean held-out true preferences (liked, never observed) are returned for evaluation.
// Ratings follow the MovieLens convention (clean positives 4-5, false positives 1-2, negatives 0),
// timestamps are increasing per user in random order. Deterministic for a given config.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/shuffle.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

struct SyntheticConfig {
  index_t n_users = 500;
  index_t n_items = 1000;
  int dim = 8;                           ///< latent factors
  double mean_positives = 30;            ///< density: mean observed positives per user
  double activity_skew = 0.5;            ///< log-normal sigma of user activity (0: all equal)
  double popularity_skew = 1.0;          ///< item popularity skew of the draws (0: uniform)
  double like_share = 0.2;               ///< share of items a user truly likes
  double dislike_share = 0.5;            ///< share of items a user truly dislikes
  double noise_rate = 0.2;               ///< share of observed positives that are false positives
  double noise_appeal_skew = 0;          ///< false positives favour items with a high "appeal"
                                         ///< (clickbait): weight exp(skew * appeal_j), appeal_j ~ N(0,1)
                                         ///< independent of taste (0: popularity weights, as clean draws)
  double negatives_per_user = 0;         ///< explicit negatives (label 0) per user
  double noisy_negative_rate = 0;        ///< share of explicit negatives that are truly liked
  std::size_t held_out_per_user = 5;     ///< clean held-out true preferences per user
  std::uint64_t seed = 42;
};

struct SyntheticData {
  Interactions interactions;  ///< observed rows (implicit already: do not call make_implicit)
  Interactions held_out;      ///< true preferences not observed (label 1), same id maps
  int dim = 0;
  std::vector<float> user_factors, item_factors;  ///< row-major n x dim
  std::vector<float> item_bias;
  std::vector<float> like_threshold, dislike_threshold;  ///< per user

  float score(index_t u, index_t j) const noexcept {
    const float* a = user_factors.data() + static_cast<std::size_t>(u) * static_cast<std::size_t>(dim);
    const float* b = item_factors.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(dim);
    float s = item_bias[static_cast<std::size_t>(j)];
    for (int k = 0; k < dim; ++k) s += a[k] * b[k];
    return s;
  }
  /// Ground truth: u truly likes j.
  bool prefers(index_t u, index_t j) const noexcept { return score(u, j) >= like_threshold[static_cast<std::size_t>(u)]; }
  /// Ground truth: u truly dislikes j.
  bool dislikes(index_t u, index_t j) const noexcept { return score(u, j) <= dislike_threshold[static_cast<std::size_t>(u)]; }
};

namespace detail {
inline void check_share(double v, const char* name, double hi = 1.0) {
  if (!(v >= 0 && v <= hi)) throw config_error("must be in [0, " + std::to_string(hi) + "]", location::of_field(name));
}

/// m items from `pool` without replacement, with probability proportional to `weight`
/// (Efraimidis–Spirakis keys); the chosen items are moved to the front of `pool`.
inline void weighted_choose(std::vector<index_t>& pool, std::size_t m, const std::vector<double>& log_weight,
                            random::rng& g, std::vector<std::pair<double, index_t>>& keys) {
  // Largest u^(1/w) wins  <=>  smallest log(-log u) - log w.
  keys.clear();
  for (index_t j : pool)
    keys.emplace_back(std::log(-std::log(g.uniform<double>())) - log_weight[static_cast<std::size_t>(j)], j);
  m = std::min(m, keys.size());
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(m), keys.end());
  for (std::size_t k = 0; k < keys.size(); ++k) pool[k] = keys[k].second;
}
}  // namespace detail

inline SyntheticData make_synthetic(const SyntheticConfig& c) {
  if (c.n_users <= 0 || c.n_items <= 1) throw config_error("needs n_users >= 1 and n_items >= 2", location::of_field("n_items"));
  if (c.dim <= 0) throw config_error("must be positive", location::of_field("dim"));
  if (!(c.mean_positives > 0)) throw config_error("must be positive", location::of_field("mean_positives"));
  detail::check_share(c.like_share, "like_share");
  detail::check_share(c.dislike_share, "dislike_share");
  if (c.like_share + c.dislike_share > 1.0) throw config_error("like_share + dislike_share must be <= 1", location::of_field("like_share"));
  detail::check_share(c.noise_rate, "noise_rate");
  detail::check_share(c.noisy_negative_rate, "noisy_negative_rate");
  if (!(c.activity_skew >= 0) || !(c.popularity_skew >= 0) || !(c.negatives_per_user >= 0) || !(c.noise_appeal_skew >= 0))
    throw config_error("skews and negatives_per_user must be >= 0", location::of_field("activity_skew"));

  const auto nu = static_cast<std::size_t>(c.n_users), ni = static_cast<std::size_t>(c.n_items);
  const auto dim = static_cast<std::size_t>(c.dim);
  SyntheticData out;
  out.dim = c.dim;
  const random::counter_stream factors(random::derive_seed(c.seed, "synthetic_factors"));
  const float scale = static_cast<float>(1.0 / std::pow(static_cast<double>(c.dim), 0.25));
  out.user_factors.resize(nu * dim);
  out.item_factors.resize(ni * dim);
  out.item_bias.resize(ni);
  for (std::size_t k = 0; k < nu * dim; ++k) out.user_factors[k] = scale * factors.normal<float>(k);
  for (std::size_t k = 0; k < ni * dim; ++k) out.item_factors[k] = scale * factors.normal<float>((std::uint64_t(1) << 40) + k);
  std::vector<double> log_weight(ni), noise_log_weight(ni);
  for (std::size_t j = 0; j < ni; ++j) {
    out.item_bias[j] = 0.5f * factors.normal<float>((std::uint64_t(2) << 40) + j);
    log_weight[j] = c.popularity_skew * 2.0 * static_cast<double>(out.item_bias[j]);
    noise_log_weight[j] = c.noise_appeal_skew > 0
                              ? c.noise_appeal_skew * static_cast<double>(factors.normal<float>((std::uint64_t(3) << 40) + j))
                              : log_weight[j];
  }

  Interactions& obs = out.interactions;
  obs.mutable_user_ids().extend_dense(nu);
  obs.mutable_item_ids().extend_dense(ni);
  obs.set_has_ratings(true);
  obs.set_has_timestamps(true);
  out.held_out = obs.empty_like();
  out.like_threshold.resize(nu);
  out.dislike_threshold.resize(nu);

  const auto n_like = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(c.like_share * static_cast<double>(ni))));
  const auto n_dislike = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(c.dislike_share * static_cast<double>(ni))));
  if (n_like + n_dislike > ni) throw config_error("like and dislike sets overlap", location::of_field("like_share"));

  random::rng g(c.seed, "synthetic_draws");
  std::vector<float> scores(ni);
  std::vector<index_t> order(ni), liked, disliked;
  std::vector<std::pair<double, index_t>> keys;
  struct row { index_t item; bool noisy; float label; };
  std::vector<row> rows;
  double cumulative_n = 0;
  std::int64_t cumulative_noisy = 0;
  std::int64_t clock = 1000000000;

  for (std::size_t u = 0; u < nu; ++u) {
    for (std::size_t j = 0; j < ni; ++j) scores[j] = out.score(static_cast<index_t>(u), static_cast<index_t>(j));
    std::iota(order.begin(), order.end(), index_t(0));
    std::sort(order.begin(), order.end(), [&](index_t a, index_t b) {
      const float sa = scores[static_cast<std::size_t>(a)], sb = scores[static_cast<std::size_t>(b)];
      return sa > sb || (sa == sb && a < b);
    });
    liked.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_like));
    disliked.assign(order.end() - static_cast<std::ptrdiff_t>(n_dislike), order.end());
    out.like_threshold[u] = scores[static_cast<std::size_t>(liked.back())];
    out.dislike_threshold[u] = scores[static_cast<std::size_t>(disliked.front())];

    // Activity, then the noisy count by cumulative rounding (total noisy = round(rate * total)).
    const double z = g.uniform<double>(), z2 = g.uniform<double>();
    const double normal = std::sqrt(-2.0 * std::log(z)) * std::cos(6.283185307179586 * z2);
    const double activity = c.mean_positives * std::exp(c.activity_skew * normal - 0.5 * c.activity_skew * c.activity_skew);
    const std::size_t held = std::min(c.held_out_per_user, n_like - 1);
    const std::size_t cap_clean = n_like - held;
    auto n_obs = static_cast<std::size_t>(std::max(1.0, std::round(activity)));
    n_obs = std::min(n_obs, cap_clean + n_dislike);
    const auto target = static_cast<std::int64_t>(std::llround(c.noise_rate * (cumulative_n + static_cast<double>(n_obs))));
    auto n_noisy = static_cast<std::size_t>(std::max<std::int64_t>(0, target - cumulative_noisy));
    n_noisy = std::min({n_noisy, n_dislike, n_obs});
    std::size_t n_clean = n_obs - n_noisy;
    if (n_clean > cap_clean) {
      n_clean = cap_clean;
      n_obs = n_clean + n_noisy;
    }
    cumulative_n += static_cast<double>(n_obs);
    cumulative_noisy += static_cast<std::int64_t>(n_noisy);

    rows.clear();
    detail::weighted_choose(liked, n_clean, log_weight, g, keys);
    for (std::size_t k = 0; k < n_clean; ++k) rows.push_back(row{liked[k], false, 1.0f});
    detail::weighted_choose(disliked, n_noisy, noise_log_weight, g, keys);
    for (std::size_t k = 0; k < n_noisy; ++k) rows.push_back(row{disliked[k], true, 1.0f});
    // Held-out true preferences: uniformly among the liked items not observed.
    std::size_t rest = liked.size() - n_clean;
    for (std::size_t k = 0; k < held && rest > 0; ++k, --rest) {
      const std::size_t pick = n_clean + k + static_cast<std::size_t>(g.uniform_index(rest));
      std::swap(liked[n_clean + k], liked[pick]);
      out.held_out.push_back(static_cast<index_t>(u), liked[n_clean + k], 1.0f, 5.0f, clock + 1000000, false);
    }
    // Explicit negatives: noisy ones (truly liked) and clean ones (truly disliked), unobserved.
    const double whole = std::floor(c.negatives_per_user);
    const auto n_neg = static_cast<std::size_t>(whole) +
                       (c.negatives_per_user - whole > g.uniform<double>() ? std::size_t(1) : std::size_t(0));
    std::size_t liked_left = liked.size() - n_clean - held, disliked_left = disliked.size() - n_noisy;
    for (std::size_t k = 0; k < n_neg; ++k) {
      const bool noisy = g.uniform<double>() < c.noisy_negative_rate;
      if (noisy && liked_left > 0) {
        const std::size_t base = liked.size() - liked_left;
        const std::size_t pick = base + static_cast<std::size_t>(g.uniform_index(liked_left));
        std::swap(liked[base], liked[pick]);
        rows.push_back(row{liked[base], true, 0.0f});
        --liked_left;
      } else if (!noisy && disliked_left > 0) {
        const std::size_t base = disliked.size() - disliked_left;
        const std::size_t pick = base + static_cast<std::size_t>(g.uniform_index(disliked_left));
        std::swap(disliked[base], disliked[pick]);
        rows.push_back(row{disliked[base], false, 0.0f});
        --disliked_left;
      }
    }
    // Random time order within the user.
    random::shuffle(rows, g);
    for (const row& r : rows) {
      float rating = 0.0f;
      if (r.label > 0) rating = r.noisy ? static_cast<float>(1 + g.uniform_index(2)) : static_cast<float>(4 + g.uniform_index(2));
      obs.push_back(static_cast<index_t>(u), r.item, r.label, rating, clock, r.noisy);
      clock += 1 + static_cast<std::int64_t>(g.uniform_index(600));
    }
  }
  return out;
}

}  // namespace data
}  // namespace denoise
