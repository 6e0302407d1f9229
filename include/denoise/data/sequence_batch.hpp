// sequence_batch<B>: the device-side input of a sequence model (GRU4Rec, SASRec): row b holds the
// window of at most `steps` previous items of one example, left-padded with the padding id
// (= the number of items) so the newest item is always at position steps - 1; batch-major, so
// items[b * steps + t] is position t of example b. targets[b] is the next item; candidates, when
// not empty, holds per example the target followed by sampled negatives (sampled softmax).
#pragma once

#include <cstddef>

#include "../core/types.hpp"

namespace denoise {
namespace data {

/// The batch tag of models that read item windows.
struct sequences_tag {
  static constexpr const char* name() { return "item windows"; }
};

template <class B>
struct sequence_batch {
  using backend = B;
  using kind = sequences_tag;
  typename B::index_vector items;       ///< size() * steps window items, batch-major, left-padded
  typename B::index_vector targets;     ///< size() next items
  typename B::index_vector users;       ///< size() users (for evaluation and per-user methods)
  typename B::index_vector candidates;  ///< empty, or size() * (1 + negatives): target then negatives
  index_t steps = 0;

  std::size_t size() const noexcept { return targets.size(); }
  std::size_t group_size() const noexcept { return targets.size() == 0 ? 0 : candidates.size() / targets.size(); }
};

}  // namespace data
}  // namespace denoise
