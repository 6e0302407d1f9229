// Popularity-weighted negative sampling (as WBPR): item j is drawn with probability proportional
// to w_j = (count_j + smoothing)^exponent among the items the user has NOT interacted with.
//
// Exact exclusion, two strategies chosen per user so that no draw degrades on dense users:
//  - when the user's positives hold at most half of the total weight, draw from an alias table over
//    all items and redraw on a positive (a bounded-expected loop: at most 2 draws on average; the
//    accepted draw is exactly the restricted distribution);
//  - otherwise invert the CDF of the restricted distribution directly: with the item prefix sums C
//    and the user's positive prefix sums Q, find the gap between consecutive positives by binary
//    search, then the item inside it by binary search on C. O(log d + log n), no loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "alias_table.hpp"
#include "csr_index.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

struct PopularityOptions {
  double exponent = 1.0;   ///< w = (count + smoothing)^exponent (WBPR: 1; word2vec-style: 0.75)
  double smoothing = 0.0;  ///< added to each count, so unseen items can be drawn when > 0
};

class PopularityNegativeSampler {
 public:
  /// Counts come from `train` (rows per item); positives are the users' rows in `train`.
  explicit PopularityNegativeSampler(const Interactions& train, PopularityOptions options = {})
      : PopularityNegativeSampler(train.by_user(), weights_from(train, options)) {}

  /// Explicit item weights (size n_items) and positives.
  PopularityNegativeSampler(CsrIndex positives, std::vector<double> weights)
      : positives_(std::move(positives)), weights_(std::move(weights)), alias_(weights_) {
    const std::size_t n = weights_.size();
    prefix_.assign(n + 1, 0.0);
    for (std::size_t j = 0; j < n; ++j) prefix_[j + 1] = prefix_[j] + weights_[j];
    const auto& idx = positives_.indices();
    const auto& off = positives_.offsets();
    user_prefix_.assign(idx.size() + positives_.rows(), 0.0);
    user_mass_.assign(positives_.rows(), 0.0);
    for (std::size_t u = 0; u < positives_.rows(); ++u) {
      const auto b = static_cast<std::size_t>(off[u]), e = static_cast<std::size_t>(off[u + 1]);
      double acc = 0;
      user_prefix_[b + u] = 0;
      for (std::size_t k = b; k < e; ++k) {
        acc += weights_[static_cast<std::size_t>(idx[k])];
        user_prefix_[k + u + 1] = acc;
      }
      user_mass_[u] = acc;
    }
  }

  index_t n_items() const noexcept { return static_cast<index_t>(weights_.size()); }
  const std::vector<double>& weights() const noexcept { return weights_; }
  const CsrIndex& positives() const noexcept { return positives_; }

  /// Probability that sample(user) returns item j (0 for the user's positives).
  double probability(index_t user, index_t item) const {
    const auto u = static_cast<std::size_t>(user);
    if (positives_.contains(u, item)) return 0.0;
    return weights_[static_cast<std::size_t>(item)] / (total() - user_mass_[u]);
  }

  index_t sample(index_t user, random::rng& g) const {
    if (user < 0 || static_cast<std::size_t>(user) >= positives_.rows())
      throw config_error("user " + std::to_string(user) + " out of range", location::of_field("user"));
    const auto u = static_cast<std::size_t>(user);
    const double free_mass = total() - user_mass_[u];
    if (!(free_mass > 0))
      throw config_error("user " + std::to_string(user) + " has no item with positive weight left",
                         location::of_field("user"));
    if (user_mass_[u] <= 0.5 * total()) {
      for (;;) {
        const index_t j = alias_.sample(g);
        if (!positives_.contains(u, j)) return j;
      }
    }
    return invert(u, g.uniform<double>() * free_mass);
  }

  void sample(span<const index_t> users, span<index_t> out, random::rng& g) const {
    for (std::size_t k = 0; k < users.size(); ++k) out[k] = sample(users[k], g);
  }

  /// The restricted-CDF inversion used for heavy users (public for tests): the non-positive item
  /// whose interval of the restricted cumulative weight contains t, t in [0, free mass).
  index_t invert(std::size_t u, double t) const noexcept {
    const span<const index_t> p = positives_.row(u);
    const std::size_t d = p.size();
    const double* q = user_prefix_.data() + static_cast<std::size_t>(positives_.offsets()[u]) + u;
    const std::size_t n = weights_.size();
    // Gap g in [0, d] spans items [s_g, e_g) with s_g = p[g-1]+1 (0 for g = 0), e_g = p[g] (n for g = d).
    // Restricted mass before gap g: C[s_g] - Q[g]; non-decreasing in g. Find the last g with mass <= t
    // whose gap is non-empty.
    auto start = [&](std::size_t gap) { return gap == 0 ? std::size_t(0) : static_cast<std::size_t>(p[gap - 1]) + 1; };
    auto stop = [&](std::size_t gap) { return gap == d ? n : static_cast<std::size_t>(p[gap]); };
    std::size_t lo = 0, hi = d + 1;  // invariant: answer in [lo, hi)
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (prefix_[start(mid)] - q[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
    std::size_t gap = lo;
    while (gap > 0 && start(gap) >= stop(gap)) --gap;  // skip empty gaps (adjacent positives)
    const std::size_t s = start(gap), e = stop(gap);
    // Item j in [s, e) with C[j] - Q[g] <= t < C[j+1] - Q[g].
    const double target = t + q[gap];
    const auto it = std::upper_bound(prefix_.begin() + static_cast<std::ptrdiff_t>(s) + 1,
                                     prefix_.begin() + static_cast<std::ptrdiff_t>(e) + 1, target);
    std::size_t j = static_cast<std::size_t>(it - prefix_.begin()) - 1;
    if (j >= e) j = e - 1;
    if (j < s) j = s;
    return static_cast<index_t>(j);
  }

 private:
  static std::vector<double> weights_from(const Interactions& train, const PopularityOptions& o) {
    if (!(o.exponent >= 0) || !(o.smoothing >= 0) || !std::isfinite(o.exponent) || !std::isfinite(o.smoothing))
      throw config_error("popularity exponent and smoothing must be finite and >= 0",
                         location::of_field("exponent"));
    const auto deg = train.item_degrees();
    std::vector<double> w(deg.size());
    for (std::size_t j = 0; j < deg.size(); ++j) {
      const double c = static_cast<double>(deg[j]) + o.smoothing;
      w[j] = c > 0 ? std::pow(c, o.exponent) : 0.0;
    }
    return w;
  }

  double total() const noexcept { return prefix_.back(); }

  CsrIndex positives_;
  std::vector<double> weights_;
  AliasTable alias_;
  std::vector<double> prefix_;       // n + 1 cumulative item weights
  std::vector<double> user_prefix_;  // per user, d_u + 1 cumulative positive weights
  std::vector<double> user_mass_;    // total weight of each user's positives
};

}  // namespace data
}  // namespace denoise
