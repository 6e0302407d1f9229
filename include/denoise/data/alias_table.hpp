// Walker/Vose alias table: O(n) build, O(1) draws from a discrete distribution.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace data {

class AliasTable {
 public:
  AliasTable() = default;

  /// Weights must be finite, non-negative, with a positive sum.
  explicit AliasTable(span<const double> weights) {
    const std::size_t n = weights.size();
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0) || w > 1e300) throw config_error("alias table weights must be finite and >= 0", location::of_field("weights"));
      sum += w;
    }
    if (!(sum > 0)) throw config_error("alias table weights sum to zero", location::of_field("weights"));
    prob_.assign(n, 1.0);
    alias_.resize(n);
    std::vector<double> scaled(n);
    std::vector<std::size_t> small, large;
    for (std::size_t k = 0; k < n; ++k) {
      scaled[k] = weights[k] * static_cast<double>(n) / sum;
      alias_[k] = static_cast<index_t>(k);
      (scaled[k] < 1.0 ? small : large).push_back(k);
    }
    while (!small.empty() && !large.empty()) {
      const std::size_t s = small.back();
      small.pop_back();
      const std::size_t l = large.back();
      prob_[s] = scaled[s];
      alias_[s] = static_cast<index_t>(l);
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Leftovers (rounding) keep probability 1 of themselves; zero-weight entries never stay here
    // because they start in `small` and always find a large partner while one exists.
    for (std::size_t k : small) prob_[k] = weights[k] > 0 ? 1.0 : 0.0;
    for (std::size_t k : large) prob_[k] = 1.0;
  }

  std::size_t size() const noexcept { return prob_.size(); }

  index_t sample(random::rng& g) const noexcept {
    const auto k = static_cast<std::size_t>(g.uniform_index(prob_.size()));
    return g.uniform<double>() < prob_[k] ? static_cast<index_t>(k) : alias_[k];
  }

 private:
  std::vector<double> prob_;
  std::vector<index_t> alias_;
};

}  // namespace data
}  // namespace denoise
