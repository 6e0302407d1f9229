// loss_history<B>: the C x |D| loss matrix of AutoDenoise (Lin et al., WWW'23), "LMat": a FIFO of
// at most C rows, one loss per training instance in each. push_row() appends a row until C are
// stored, then replaces the oldest one. mean() gives each instance's mean over the stored rows,
// summed oldest to newest, so the value is the same on every backend and thread count.
//
// Storage is one backend matrix (C rows x |D| columns) used as a ring; pushing a row is one copy
// kernel, a mean is one kernel over the requested instances. Nothing allocates after construction.
#pragma once

#include <cstddef>
#include <string>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace rl {

namespace detail {

/// Mean over the stored rows of the ring, oldest first, for instance ids[j] (or j when ids is null).
template <class S>
struct history_mean {
  const S* values;        // capacity x instances, row-major
  const index_t* ids;     // nullptr: all instances in order
  S* out;
  std::size_t instances;
  std::size_t capacity;
  std::size_t oldest;     // slot of the oldest row
  std::size_t count;      // rows stored (> 0)
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
    const std::size_t i = ids != nullptr ? static_cast<std::size_t>(ids[j]) : j;
    S acc = S(0);
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t slot = oldest + k;
      if (slot >= capacity) slot -= capacity;
      acc += values[slot * instances + i];
    }
    out[j] = acc / static_cast<S>(count);
  }
};

/// to[i] = from[i]
template <class S>
struct copy_span {
  const S* from;
  S* to;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { to[i] = from[i]; }
};

}  // namespace detail

template <class B>
class loss_history {
 public:
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;

  /// Room for `capacity` rows (C >= 1) over `instances` training instances (|D| >= 1).
  loss_history(std::size_t capacity, std::size_t instances) : capacity_(capacity), instances_(instances) {
    if (capacity == 0) throw config_error("loss history needs at least one row (C >= 1)", location::of_field("history"));
    if (instances == 0) throw config_error("loss history needs at least one instance", location::of_field("instances"));
    values_.resize(static_cast<index_t>(capacity), static_cast<index_t>(instances));
    B::fill(values_, scalar(0));
  }

  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t instances() const noexcept { return instances_; }
  /// Rows stored so far (at most capacity()).
  std::size_t rows() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  bool full() const noexcept { return count_ == capacity_; }

  /// Appends `row` (|D| losses) as the newest row; when full, it replaces the oldest row.
  void push_row(const vector& row) {
    if (row.size() != instances_) {
      throw config_error("loss history row has " + std::to_string(row.size()) + " losses for " +
                             std::to_string(instances_) + " instances",
                         location::of_field("row"));
    }
    std::size_t slot;
    if (count_ < capacity_) {
      slot = (oldest_ + count_) % capacity_;
      ++count_;
    } else {
      slot = oldest_;
      oldest_ = (oldest_ + 1) % capacity_;
    }
    B::launch(instances_, detail::copy_span<scalar>{B::ptr(row), B::ptr(values_) + slot * instances_});
  }

  /// out[j] = the mean of instance ids[j]'s stored losses. Throws when nothing is stored yet.
  void mean(const index_vector& ids, vector& out) const {
    require_rows();
    B::check_indices(ids, static_cast<index_t>(instances_), "loss_history::mean");
    if (out.size() != ids.size()) out.resize(ids.size());
    B::launch(ids.size(), detail::history_mean<scalar>{B::ptr(values_), B::ptr(ids), B::ptr(out), instances_,
                                                       capacity_, oldest_, count_},
              count_);
  }
  /// out[i] = the mean of instance i's stored losses, for every instance.
  void mean(vector& out) const {
    require_rows();
    if (out.size() != instances_) out.resize(instances_);
    B::launch(instances_, detail::history_mean<scalar>{B::ptr(values_), nullptr, B::ptr(out), instances_,
                                                       capacity_, oldest_, count_},
              count_);
  }

  /// Copies the row of the given age (0 = oldest stored) into `out` (|D| losses).
  void row(std::size_t age, vector& out) const {
    if (age >= count_) {
      throw config_error("loss history has " + std::to_string(count_) + " rows, no row " + std::to_string(age),
                         location::of_field("age"));
    }
    const std::size_t slot = (oldest_ + age) % capacity_;
    if (out.size() != instances_) out.resize(instances_);
    B::launch(instances_, detail::copy_span<scalar>{B::ptr(values_) + slot * instances_, B::ptr(out)});
  }

  /// Forgets every row (the storage is kept).
  void clear() noexcept {
    count_ = 0;
    oldest_ = 0;
  }

  /// The raw ring (capacity x instances); row slots are not in age order.
  const matrix& values() const noexcept { return values_; }

 private:
  void require_rows() const {
    if (count_ == 0) {
      throw config_error("loss history is empty: record at least one epoch of losses (the warm-up) first",
                         location::of_field("history"));
    }
  }

  std::size_t capacity_;
  std::size_t instances_;
  std::size_t count_ = 0;
  std::size_t oldest_ = 0;
  matrix values_;
};

}  // namespace rl
}  // namespace denoise
