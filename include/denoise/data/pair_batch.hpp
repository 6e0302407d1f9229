// pair_batch<B>: the device-side input of a pair model (MF, GMF, NeuMF, CDAE, and the graph models):
// row n scores the pair (users[n], items[n]). A batcher fills it in place, so its capacity is reused
// from batch to batch. Labels, loss layout and instance ids travel beside it in a train::batch.
#pragma once

#include <cstddef>

namespace denoise {
namespace data {

/// The batch tag of models that score user-item pairs.
struct pairs_tag {
  static constexpr const char* name() { return "user-item pairs"; }
};

template <class B>
struct pair_batch {
  using backend = B;
  using kind = pairs_tag;
  typename B::index_vector users;
  typename B::index_vector items;

  std::size_t size() const noexcept { return users.size(); }
};

}  // namespace data
}  // namespace denoise
