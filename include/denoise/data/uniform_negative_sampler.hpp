// Exact uniform negative sampling: an item drawn uniformly from the items the user has NOT
// interacted with (in the positives the sampler was built from).
//
// Two exact methods, chosen per user so that no draw degrades on a dense user:
//  - Rejection, for a user with at most a quarter of the items as positives, when the sampler
//    holds a membership bitset (one bit per user and item, built when it fits in the constructor's
//    membership budget): draw j uniform over all items and redraw while j is a positive. The
//    accepted draw is uniform over the negatives, after at most 4/3 draws on average. One random
//    number and one bit test per draw: what a sparse catalogue (most users, most datasets) takes.
//  - Rank, for the other users (or every user when the bitset does not fit): with the user's
//    positives sorted p_0 < ... < p_{d-1}, draw r uniform in [0, n_items - d) and return the r-th
//    non-positive item, r + k, where k = #{j : p_j - j <= r} (p_j - j is non-decreasing, so k is
//    found by binary search). O(log d), one random number, the same cost at any density.
// Bulk sampling draws the random numbers in sample order, so it returns what one-by-one sampling
// from the same generator returns; it runs the rank searches 16 at a time, interleaved.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "csr_index.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

class UniformNegativeSampler {
 public:
  /// Positives: the user -> items index (e.g. train.by_user()); items are in [0, n_items).
  UniformNegativeSampler(CsrIndex positives, index_t n_items,
                         std::size_t membership_budget_bytes = default_membership_budget_bytes)
      : positives_(std::move(positives)), n_items_(n_items) {
    build_membership(membership_budget_bytes);
  }

  /// Positives from the train split: negatives avoid every item the user has a row with (any label).
  explicit UniformNegativeSampler(const Interactions& train,
                                  std::size_t membership_budget_bytes = default_membership_budget_bytes)
      : UniformNegativeSampler(train.by_user(), train.n_items(), membership_budget_bytes) {}

  /// The membership bitset's default memory cap (ours: 32 MiB, e.g. 60k users x 4k items). Above
  /// its budget the sampler keeps no bitset and samples every user by rank; 0 forces that.
  static constexpr std::size_t default_membership_budget_bytes = std::size_t(32) << 20;

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
  index_t sample(index_t user, random::rng& g) const {
    const drawn d = draw(user, g);
    return d.is_item ? d.value : nth_negative(user, d.value);
  }

  /// Whether this sampler holds the bitset (then users with at most a quarter of the items as
  /// positives are sampled by rejection).
  bool has_membership() const noexcept { return !membership_.empty(); }

  /// One negative per entry of `users`, written to `out` (same size): the same items as calling
  /// sample() on each user in turn with `g`. Per group of 16 users the draws come first, in order
  /// (a rejection user's draw is its negative); then the group's rank searches run interleaved, so
  /// that the dependent loads of several searches are in flight at once (one search alone waits on
  /// each of its loads in turn).
  void sample(span<const index_t> users, span<index_t> out, random::rng& g) const {
    if (out.size() != users.size())
      throw config_error("sample: " + std::to_string(users.size()) + " users but room for " +
                             std::to_string(out.size()) + " negatives",
                         location::of_field("out"));
    for (std::size_t k0 = 0; k0 < users.size(); k0 += lanes) {
      const std::size_t m = std::min(lanes, users.size() - k0);
      prefetch_group(users.subspan(k0, m), g);
      index_t rank_user[lanes], rank[lanes];
      std::size_t at[lanes], n_rank = 0;
      for (std::size_t l = 0; l < m; ++l) {
        const index_t u = users[k0 + l];
        const drawn d = draw(u, g);
        if (d.is_item) {
          out[k0 + l] = d.value;
        } else {
          rank_user[n_rank] = u;
          rank[n_rank] = d.value;
          at[n_rank++] = k0 + l;
        }
      }
      if (n_rank == 0) continue;
      nth_negatives(span<const index_t>(rank_user, n_rank), span<index_t>(rank, n_rank));
      for (std::size_t l = 0; l < n_rank; ++l) out[at[l]] = rank[l];
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

  // Users arrive in random order, so each rejection draw's bitset word is a cache miss of its own
  // once the model's tables share the cache. A copy of the generator runs ahead over the group and
  // prefetches where each draw will land if nothing before it is redrawn (nearly always), so that
  // the group's misses overlap. It only reads: the real draws are made after it.
  void prefetch_group(span<const index_t> users, const random::rng& g) const {
    random::rng ahead = g;
    for (const index_t u : users) {
      if (u < 0 || static_cast<std::size_t>(u) >= positives_.rows()) return;
      if (by_rejection(u)) {
        const auto j = static_cast<std::size_t>(ahead.uniform_index(static_cast<std::uint64_t>(n_items_)));
        DENOISE_PREFETCH(membership_row(u) + j / 64);
      } else {
        ahead();  // a rank draw: its search interleaves its misses already (nth_negatives)
      }
    }
  }

  // A draw's result: the negative item itself (a rejection user), or a rank in
  // [0, n_negatives(user)) that nth_negative turns into the item.
  struct drawn {
    index_t value;
    bool is_item;
  };

  // After checking the user; decides the method once, so callers need not ask by_rejection again.
  drawn draw(index_t user, random::rng& g) const {
    check_user(user);
    const index_t available = n_negatives(user);
    if (available <= 0)
      throw config_error("user " + std::to_string(user) + " has no item left to sample as a negative",
                         location::of_field("user"));
    if (!by_rejection(user)) return {static_cast<index_t>(g.uniform_index(static_cast<std::uint64_t>(available))), false};
    const std::uint64_t* bits = membership_row(user);
    for (;;) {
      const auto j = static_cast<std::size_t>(g.uniform_index(static_cast<std::uint64_t>(n_items_)));
      if (((bits[j / 64] >> (j % 64)) & 1u) == 0) return {static_cast<index_t>(j), true};
    }
  }

  // The user's words of the bitset (bit j of the row: item j is a positive).
  const std::uint64_t* membership_row(index_t user) const noexcept {
    return membership_.data() + static_cast<std::size_t>(user) * words_;
  }

  // At most a quarter of the items positive: at most 4/3 draws on average. Denser users redraw
  // often enough (a mispredicted branch each time) that the rank search is cheaper.
  bool by_rejection(index_t user) const noexcept {
    return has_membership() &&
           4 * positives_.row_size(static_cast<std::size_t>(user)) <= static_cast<std::size_t>(n_items_);
  }

  void build_membership(std::size_t budget_bytes) {
    if (n_items_ <= 0 || positives_.rows() == 0) return;
    words_ = (static_cast<std::size_t>(n_items_) + 63) / 64;
    if (positives_.rows() > budget_bytes / sizeof(std::uint64_t) / words_) return;
    membership_.assign(positives_.rows() * words_, 0);
    for (std::size_t u = 0; u < positives_.rows(); ++u) {
      std::uint64_t* bits = membership_.data() + u * words_;  // membership_row(u), writable
      for (const index_t j : positives_.row(u))
        if (j >= 0 && j < n_items_) bits[static_cast<std::size_t>(j) / 64] |= std::uint64_t(1) << (static_cast<std::size_t>(j) % 64);
    }
  }

  void check_user(index_t user) const {
    if (user < 0 || static_cast<std::size_t>(user) >= positives_.rows())
      throw config_error("user " + std::to_string(user) + " out of range", location::of_field("user"));
  }

  CsrIndex positives_;
  index_t n_items_;
  std::size_t words_ = 0;                  // bitset words per user
  std::vector<std::uint64_t> membership_;  // user-major positive bits; empty: rank method only
};

}  // namespace data
}  // namespace denoise
