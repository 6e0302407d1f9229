// Exact uniform negative sampling: an item drawn uniformly from the items the user has NOT
// interacted with (in the positives the sampler was built from).
//
// Method (no rejection): with the user's positives sorted p_0 < ... < p_{d-1}, draw r uniform in
// [0, n_items - d) and return the r-th non-positive item, r + k, where k = #{j : p_j - j <= r}
// (p_j - j is non-decreasing, so k is found by binary search). O(log d) per draw, no allocation,
// and the same cost for a dense user as for a sparse one.
#pragma once

#include <cstddef>
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
  index_t sample(index_t user, random::rng& g) const {
    check_user(user);
    const index_t available = n_negatives(user);
    if (available <= 0)
      throw config_error("user " + std::to_string(user) + " has no item left to sample as a negative",
                         location::of_field("user"));
    return nth_negative(user, static_cast<index_t>(g.uniform_index(static_cast<std::uint64_t>(available))));
  }

  /// One negative per entry of `users`, written to `out` (same size).
  void sample(span<const index_t> users, span<index_t> out, random::rng& g) const {
    for (std::size_t k = 0; k < users.size(); ++k) out[k] = sample(users[k], g);
  }

 private:
  void check_user(index_t user) const {
    if (user < 0 || static_cast<std::size_t>(user) >= positives_.rows())
      throw config_error("user " + std::to_string(user) + " out of range", location::of_field("user"));
  }

  CsrIndex positives_;
  index_t n_items_;
};

}  // namespace data
}  // namespace denoise
