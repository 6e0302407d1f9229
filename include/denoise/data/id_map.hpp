// Raw id (as found in a file: any non-negative 64-bit integer) <-> dense index 0..size()-1.
// Dense indices are handed out in order of first appearance. One IdMap is shared (through a
// shared_ptr) by a dataset and all of its splits and subsets, so an index means the same user or
// item everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace data {

class IdMap {
 public:
  /// Raw id of an index that was created without one (for example by the synthetic generator
  /// or when an imported file does not name it).
  static constexpr std::int64_t unknown_raw = -1;

  /// The dense index of `raw`, creating the next one on first sight.
  index_t insert(std::int64_t raw) {
    const auto found = index_.find(raw);
    if (found != index_.end()) return found->second;
    if (raw_.size() >= static_cast<std::size_t>(std::numeric_limits<index_t>::max()))
      throw input_error("more than 2^31-1 distinct ids");
    const auto id = static_cast<index_t>(raw_.size());
    index_.emplace(raw, id);
    raw_.push_back(raw);
    return id;
  }

  /// Appends `count` indices that have no raw id (raw_of() gives their index as raw id).
  void extend_dense(std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) insert(static_cast<std::int64_t>(raw_.size()));
  }

  /// Sets the raw id of an existing index (used when importing exported files).
  void assign(index_t id, std::int64_t raw) {
    const auto pos = static_cast<std::size_t>(id);
    if (pos >= raw_.size()) raw_.resize(pos + 1, unknown_raw);
    if (raw_[pos] != unknown_raw) index_.erase(raw_[pos]);
    raw_[pos] = raw;
    if (raw != unknown_raw) index_[raw] = id;
  }

  /// The dense index of `raw`, or -1 when it was never seen.
  index_t find(std::int64_t raw) const {
    const auto found = index_.find(raw);
    return found == index_.end() ? index_t(-1) : found->second;
  }
  bool contains(std::int64_t raw) const { return index_.count(raw) != 0; }
  std::int64_t raw_of(index_t id) const { return raw_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const noexcept { return raw_.size(); }
  const std::vector<std::int64_t>& raw_ids() const noexcept { return raw_; }
  void reserve(std::size_t n) {
    raw_.reserve(n);
    index_.reserve(n);
  }

 private:
  std::vector<std::int64_t> raw_;
  std::unordered_map<std::int64_t, index_t> index_;
};

}  // namespace data
}  // namespace denoise
