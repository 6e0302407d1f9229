// Exact uniform negative sampling: an item drawn uniformly from the items the user has NOT
// interacted with (in the positives the sampler was built from).
//
// Method (no rejection): with the user's positives sorted p_0 < ... < p_{d-1}, draw r uniform in
// [0, n_items - d) and return the r-th non-positive item, r + k, where k = #{j : p_j - j <= r}
// (p_j - j is non-decreasing, so k is found by binary search). O(log d) per draw, no allocation,
// and the same cost for a dense user as for a sparse one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "csr_index.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

class UniformNegativeSampler {
 public:
  /// Positives: the user -> items index (e.g. train.by_user()); items are in [0, n_items).
  UniformNegativeSampler(CsrIndex positives, index_t n_items)
      : positives_(std::move(positives)), n_items_(n_items) {}

  /// Negatives avoid every item the user has a row with in `train` (any label).
  explicit UniformNegativeSampler(const Interactions& train)
      : UniformNegativeSampler(train.by_user(), train.n_items()) {}

  index_t n_items() const noexcept { return n_items_; }
  const CsrIndex& positives() const noexcept { return positives_; }

  /// Number of items user u can get as a negative.
  index_t n_negatives(index_t user) const noexcept {
    return n_items_ - static_cast<index_t>(positives_.row_size(static_cast<std::size_t>(user)));
  }

  /// The r-th item (0-based) that is not a positive of `user`; r < n_negatives(user).
  index_t nth_negative(index_t user, index_t r) const noexcept {
    const span<const index_t> p = positives_.row(static_cast<std::size_t>(user));
    // Smallest j with p[j] - j > r: that many positives come before the answer. Branch-free
    // halving (conditional moves): r is random, so a branch on the comparison would mispredict
    // about once per step.
    std::size_t lo = 0, len = p.size();
    while (len > 0) {
      const std::size_t half = len / 2;
      const bool right = p[lo + half] - static_cast<index_t>(lo + half) <= r;
      lo = right ? lo + half + 1 : lo;
      len = right ? len - half - 1 : half;
    }
    return r + static_cast<index_t>(lo);
  }

  /// One negative for `user`. A user who has interacted with every item is a config_error.
  index_t sample(index_t user, random::rng& g) const { return nth_negative(user, draw_rank(user, g)); }

  /// One negative per entry of `users`, written to `out` (same size): the same items as calling
  /// sample() on each user in turn with `g`. The draws come first, in order; then the binary
  /// searches run in interleaved groups, so that the dependent loads of several searches are in
  /// flight at once (one search alone waits on each of its loads in turn).
  void sample(span<const index_t> users, span<index_t> out, random::rng& g) const {
    if (out.size() != users.size())
      throw config_error("sample: " + std::to_string(users.size()) + " users but room for " +
                             std::to_string(out.size()) + " negatives",
                         location::of_field("out"));
    for (std::size_t k = 0; k < users.size(); ++k) out[k] = draw_rank(users[k], g);
    for (std::size_t k0 = 0; k0 < users.size(); k0 += lanes) {
      const std::size_t m = std::min(lanes, users.size() - k0);
      nth_negatives(users.subspan(k0, m), out.subspan(k0, m));
    }
  }

 private:
  static constexpr std::size_t lanes = 16;

  // ranks[l] = nth_negative(users[l], ranks[l]) for up to `lanes` users, searched in lockstep. Each
  // lane runs the branch-free form "base += half while p[base + half] - (base + half) <= r": a lane
  // whose range is down to one element keeps re-reading it without moving, so every lane can take
  // as many steps as the longest one needs.
  void nth_negatives(span<const index_t> users, span<index_t> ranks) const {
    static const index_t none[1] = {std::numeric_limits<index_t>::max()};  // a user without positives
    const index_t* row[lanes];
    std::size_t base[lanes], len[lanes];
    std::size_t longest = 1;
    const std::size_t m = users.size();
    for (std::size_t l = 0; l < m; ++l) {
      const span<const index_t> p = positives_.row(static_cast<std::size_t>(users[l]));
      row[l] = p.empty() ? none : p.data();
      len[l] = p.empty() ? 1 : p.size();
      base[l] = 0;
      longest = std::max(longest, len[l]);
    }
    for (; longest > 1; longest -= longest / 2) {
      for (std::size_t l = 0; l < m; ++l) {
        const std::size_t half = len[l] / 2, probe = base[l] + half;
        base[l] = row[l][probe] - static_cast<index_t>(probe) <= ranks[l] ? probe : base[l];
        len[l] -= half;
      }
    }
    for (std::size_t l = 0; l < m; ++l) {
      const bool at_or_below = row[l][base[l]] - static_cast<index_t>(base[l]) <= ranks[l];
      ranks[l] += static_cast<index_t>(base[l] + (at_or_below ? 1 : 0));
    }
  }

  // The rank r of sample(user)'s negative among the user's non-positives, uniform in [0, n_negatives).
  index_t draw_rank(index_t user, random::rng& g) const {
    check_user(user);
    const index_t available = n_negatives(user);
    if (available <= 0)
      throw config_error("user " + std::to_string(user) + " has no item left to sample as a negative",
                         location::of_field("user"));
    return static_cast<index_t>(g.uniform_index(static_cast<std::uint64_t>(available)));
  }

  void check_user(index_t user) const {
    if (user < 0 || static_cast<std::size_t>(user) >= positives_.rows())
      throw config_error("user " + std::to_string(user) + " out of range", location::of_field("user"));
  }

  CsrIndex positives_;
  index_t n_items_;
};

}  // namespace data
}  // namespace denoise
