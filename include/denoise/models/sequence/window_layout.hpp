// WindowLayout<B>: the row orders a sequence model needs for a batch of n windows of T steps
// (batch-major rows b * T + t): the time-major permutation the GRU reads (row t * n + b <- b * T + t)
// and the rows of the last position in either order. Rebuilt only when (n, T) changes, so a
// steady training loop allocates nothing here.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"

namespace denoise {
namespace models {

template <class B>
class WindowLayout {
 public:
  using index_vector = typename B::index_vector;

  /// Checks the batch's shape and rebuilds the orders when it changed.
  void prepare(const data::sequence_batch<B>& batch, const char* model) {
    const std::size_t n = batch.size();
    if (n == 0) throw config_error(std::string(model) + "::forward: empty batch");
    if (batch.steps <= 0 || batch.items.size() != n * static_cast<std::size_t>(batch.steps))
      throw config_error(std::string(model) + "::forward: " + std::to_string(batch.items.size()) + " window items for " +
                         std::to_string(n) + " examples of " + std::to_string(batch.steps) + " steps");
    if (n == n_ && batch.steps == steps_) return;
    n_ = n;
    steps_ = batch.steps;
    const auto t_count = static_cast<std::size_t>(steps_);
    std::vector<index_t> perm(n * t_count), last_t(n), last_b(n);
    for (std::size_t b = 0; b < n; ++b) {
      for (std::size_t t = 0; t < t_count; ++t) perm[t * n + b] = static_cast<index_t>(b * t_count + t);
      last_t[b] = static_cast<index_t>((t_count - 1) * n + b);
      last_b[b] = static_cast<index_t>(b * t_count + t_count - 1);
    }
    B::from_host(perm, time_major_);
    B::from_host(last_t, last_time_major_);
    B::from_host(last_b, last_batch_major_);
  }

  std::size_t examples() const noexcept { return n_; }
  index_t steps() const noexcept { return steps_; }
  /// Row r of the time-major order is batch-major row time_major()[r].
  const index_vector& time_major() const noexcept { return time_major_; }
  /// The last position of each example, in the time-major / batch-major order.
  const index_vector& last_time_major() const noexcept { return last_time_major_; }
  const index_vector& last_batch_major() const noexcept { return last_batch_major_; }

 private:
  std::size_t n_ = 0;
  index_t steps_ = 0;
  index_vector time_major_, last_time_major_, last_batch_major_;
};

}  // namespace models
}  // namespace denoise
