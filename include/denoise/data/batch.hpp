// Batch and TripleBatch: contiguous arrays that batchers refill in place (their capacity is reused
// from batch to batch, so steady-state batching allocates nothing). The ground-truth noise flag is
// deliberately not part of a batch.
#pragma once

#include <cstddef>
#include <vector>

#include "../core/span.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace data {

/// Pointwise rows: (user, item, label, instance id) and, for CTR data, the row-major feature codes
/// (size() x n_fields). Sampled negatives have label 0 and instance id -1.
struct Batch {
  std::vector<index_t> user_buffer, item_buffer;
  std::vector<float> label_buffer;
  std::vector<offset_t> instance_buffer;
  std::vector<index_t> feature_buffer;
  std::size_t n_fields = 0;

  std::size_t size() const noexcept { return user_buffer.size(); }
  bool empty() const noexcept { return user_buffer.empty(); }
  span<const index_t> users() const noexcept { return user_buffer; }
  span<const index_t> items() const noexcept { return item_buffer; }
  span<const float> labels() const noexcept { return label_buffer; }
  span<const offset_t> instances() const noexcept { return instance_buffer; }
  /// Row-major: the codes of row r are features()[r * n_fields .. (r + 1) * n_fields).
  span<const index_t> features() const noexcept { return feature_buffer; }

  void clear() noexcept {
    user_buffer.clear();
    item_buffer.clear();
    label_buffer.clear();
    instance_buffer.clear();
    feature_buffer.clear();
  }
  void reserve(std::size_t rows) {
    user_buffer.reserve(rows);
    item_buffer.reserve(rows);
    label_buffer.reserve(rows);
    instance_buffer.reserve(rows);
    feature_buffer.reserve(rows * n_fields);
  }
  /// Gives the pointwise columns `rows` rows (features none), for a batcher that writes them by
  /// index: within the capacity reused from earlier batches, no allocation.
  void resize_pairs(std::size_t rows) {
    user_buffer.resize(rows);
    item_buffer.resize(rows);
    label_buffer.resize(rows);
    instance_buffer.resize(rows);
    feature_buffer.clear();
  }
  void push(index_t u, index_t i, float label, offset_t instance) {
    user_buffer.push_back(u);
    item_buffer.push_back(i);
    label_buffer.push_back(label);
    instance_buffer.push_back(instance);
  }
};

/// Pairwise (BPR) triples: user, a positive item, a sampled negative item, and the positive's
/// instance id.
struct TripleBatch {
  std::vector<index_t> user_buffer, positive_buffer, negative_buffer;
  std::vector<offset_t> instance_buffer;

  std::size_t size() const noexcept { return user_buffer.size(); }
  bool empty() const noexcept { return user_buffer.empty(); }
  span<const index_t> users() const noexcept { return user_buffer; }
  span<const index_t> positives() const noexcept { return positive_buffer; }
  span<const index_t> negatives() const noexcept { return negative_buffer; }
  span<const offset_t> instances() const noexcept { return instance_buffer; }

  void clear() noexcept {
    user_buffer.clear();
    positive_buffer.clear();
    negative_buffer.clear();
    instance_buffer.clear();
  }
  void reserve(std::size_t rows) {
    user_buffer.reserve(rows);
    positive_buffer.reserve(rows);
    negative_buffer.reserve(rows);
    instance_buffer.reserve(rows);
  }
};

}  // namespace data
}  // namespace denoise
