// Batcher: walks a dataset in mini-batches, in stored (fixed) order or in a seeded shuffle that is
// redrawn every epoch from (seed, epoch). Fixed order keeps each instance at the same position in
// every epoch (AutoDenoise's per-instance loss matrix needs that).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/shuffle.hpp"
#include "../core/span.hpp"
#include "batch.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

enum class Order { fixed, shuffled };

class Batcher {
 public:
  /// `data` must outlive the batcher.
  Batcher(const Interactions& data, std::size_t batch_size, Order order = Order::fixed,
          std::uint64_t seed = 0)
      : data_(&data), batch_size_(batch_size), order_(order), seed_(seed), rows_(data.size()) {
    if (batch_size == 0) throw config_error("batch size must be positive", location::of_field("batch_size"));
    start_epoch(0);
  }

  /// Restarts at the first batch; a shuffled order is redrawn from (seed, epoch).
  void start_epoch(std::uint64_t epoch) {
    position_ = 0;
    std::iota(rows_.begin(), rows_.end(), std::size_t(0));
    if (order_ == Order::shuffled) {
      random::rng g(random::derive_seed(random::derive_seed(seed_, "batch_order"), epoch));
      random::shuffle(rows_, g);
    }
  }

  std::size_t batch_size() const noexcept { return batch_size_; }
  std::size_t batches_per_epoch() const noexcept { return (rows_.size() + batch_size_ - 1) / batch_size_; }
  /// The row positions of this epoch, in visiting order.
  span<const std::size_t> order() const noexcept { return rows_; }

  /// Fills `out` with the next batch (the last may be smaller); false when the epoch is over.
  bool next(Batch& out) {
    out.clear();
    out.n_fields = data_->n_fields();
    if (position_ >= rows_.size()) return false;
    const std::size_t stop = std::min(rows_.size(), position_ + batch_size_);
    out.reserve(stop - position_);
    const auto users = data_->users();
    const auto items = data_->items();
    const auto labels = data_->labels();
    const auto instances = data_->instances();
    for (std::size_t k = position_; k < stop; ++k) {
      const std::size_t r = rows_[k];
      out.push(users[r], items[r], labels[r], instances[r]);
      for (std::size_t f = 0; f < out.n_fields; ++f) out.feature_buffer.push_back(data_->field(f)[r]);
    }
    position_ = stop;
    return true;
  }

 private:
  const Interactions* data_;
  std::size_t batch_size_;
  Order order_;
  std::uint64_t seed_;
  std::vector<std::size_t> rows_;
  std::size_t position_ = 0;
};

}  // namespace data
}  // namespace denoise
