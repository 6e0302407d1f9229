// upload_pairs: copies a host data::Batch of user-item rows into a train::batch of pair input on
// the backend, with groups of `group_size` rows for the loss layout. The pair batchers share it.
#pragma once

#include <cstddef>
#include <vector>

#include "../../data/batch.hpp"
#include "../../data/pair_batch.hpp"
#include "../../losses/layout.hpp"
#include "../batch.hpp"

namespace denoise {
namespace train {
namespace batchers {
namespace detail {

/// `labels` is a reusable host buffer in the backend's scalar type.
template <class B>
void upload_pairs(const data::Batch& host, std::size_t group_size, std::vector<typename B::scalar>& labels,
                  batch<B, data::pair_batch<B>>& out) {
  labels.assign(host.label_buffer.begin(), host.label_buffer.end());
  B::from_host(host.user_buffer, out.input.users);
  B::from_host(host.item_buffer, out.input.items);
  B::from_host(labels, out.labels);
  out.layout = losses::layout{host.size() / group_size, group_size};
  out.instance.assign(host.instance_buffer.begin(), host.instance_buffer.end());
  out.item.assign(host.item_buffer.begin(), host.item_buffer.end());
}

}  // namespace detail
}  // namespace batchers
}  // namespace train
}  // namespace denoise
