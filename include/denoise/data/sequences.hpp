// Sequences: every user's interactions in chronological order (CSR layout, host side), the input
// of the sequential task (GRU4Rec, SASRec; docs/sequential.md).
//
// Order: ascending timestamp; interactions with the same timestamp keep their order in the file
// (a stable sort on the row position), so a dataset without timestamps keeps the file order.
// Users and items are dense indices; user_origin()/item_origin() give the index each one had in
// the Interactions it was built from (core_filter() re-indexes).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

class Sequences {
 public:
  Sequences() = default;

  /// Groups the rows of `in` by user, each user's rows sorted by (timestamp, row position).
  /// Users without any row get an empty sequence.
  static Sequences from(const Interactions& in) {
    const auto users = in.users();
    const auto items = in.items();
    const auto ratings = in.ratings();
    const auto stamps = in.timestamps();
    Sequences s;
    s.n_items_ = in.n_items();
    s.offsets_.assign(static_cast<std::size_t>(in.n_users()) + 1, 0);
    for (index_t u : users) ++s.offsets_[static_cast<std::size_t>(u) + 1];
    for (std::size_t u = 0; u + 1 < s.offsets_.size(); ++u) s.offsets_[u + 1] += s.offsets_[u];
    std::vector<std::size_t> rows(in.size());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    // Stable: equal (user, timestamp) keep the file order.
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      if (users[a] != users[b]) return users[a] < users[b];
      return stamps[a] < stamps[b];
    });
    s.items_.reserve(rows.size());
    s.ratings_.reserve(rows.size());
    s.timestamps_.reserve(rows.size());
    for (std::size_t r : rows) {
      s.items_.push_back(items[r]);
      s.ratings_.push_back(in.has_ratings() ? ratings[r] : 0.0f);
      s.timestamps_.push_back(stamps[r]);
    }
    s.has_ratings_ = in.has_ratings();
    s.user_origin_.resize(static_cast<std::size_t>(in.n_users()));
    std::iota(s.user_origin_.begin(), s.user_origin_.end(), index_t{0});
    s.item_origin_.resize(static_cast<std::size_t>(in.n_items()));
    std::iota(s.item_origin_.begin(), s.item_origin_.end(), index_t{0});
    return s;
  }

  /// Builds from ready CSR columns (already in chronological order per user); used by the
  /// filters and by tests. Throws config_error when the columns disagree.
  static Sequences from_columns(std::vector<offset_t> offsets, std::vector<index_t> items, std::vector<float> ratings,
                                index_t n_items, std::vector<std::int64_t> timestamps = {}) {
    if (offsets.empty() || offsets.front() != 0 || static_cast<std::size_t>(offsets.back()) != items.size())
      throw config_error("Sequences: offsets must start at 0 and end at the number of items", location::of_field("offsets"));
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u)
      if (offsets[u + 1] < offsets[u]) throw config_error("Sequences: offsets must not decrease", location::of_field("offsets"));
    if (!ratings.empty() && ratings.size() != items.size())
      throw config_error("Sequences: one rating per item", location::of_field("ratings"));
    if (timestamps.empty()) timestamps.assign(items.size(), 0);
    if (timestamps.size() != items.size()) throw config_error("Sequences: one timestamp per item", location::of_field("timestamps"));
    for (index_t i : items)
      if (i < 0 || i >= n_items)
        throw config_error("Sequences: item " + std::to_string(i) + " is outside [0, " + std::to_string(n_items) + ")",
                           location::of_field("item"));
    Sequences s;
    s.has_ratings_ = !ratings.empty();
    if (ratings.empty()) ratings.assign(items.size(), 0.0f);
    s.offsets_ = std::move(offsets);
    s.items_ = std::move(items);
    s.ratings_ = std::move(ratings);
    s.timestamps_ = std::move(timestamps);
    s.n_items_ = n_items;
    s.user_origin_.resize(s.offsets_.size() - 1);
    std::iota(s.user_origin_.begin(), s.user_origin_.end(), index_t{0});
    s.item_origin_.resize(static_cast<std::size_t>(n_items));
    std::iota(s.item_origin_.begin(), s.item_origin_.end(), index_t{0});
    return s;
  }

  index_t n_users() const noexcept { return static_cast<index_t>(offsets_.empty() ? 0 : offsets_.size() - 1); }
  index_t n_items() const noexcept { return n_items_; }
  /// Interactions over all users.
  std::size_t size() const noexcept { return items_.size(); }
  bool has_ratings() const noexcept { return has_ratings_; }

  std::size_t length(index_t u) const { return static_cast<std::size_t>(offsets_[idx(u) + 1] - offsets_[idx(u)]); }
  span<const index_t> items_of(index_t u) const { return {items_.data() + offsets_[idx(u)], length(u)}; }
  span<const float> ratings_of(index_t u) const { return {ratings_.data() + offsets_[idx(u)], length(u)}; }
  span<const std::int64_t> timestamps_of(index_t u) const { return {timestamps_.data() + offsets_[idx(u)], length(u)}; }

  span<const offset_t> offsets() const noexcept { return offsets_; }
  span<const index_t> items() const noexcept { return items_; }
  span<const float> ratings() const noexcept { return ratings_; }
  span<const std::int64_t> timestamps() const noexcept { return timestamps_; }

  /// The index user u / item i had in the data this was first built from.
  span<const index_t> user_origin() const noexcept { return user_origin_; }
  span<const index_t> item_origin() const noexcept { return item_origin_; }
  void set_origins(std::vector<index_t> users, std::vector<index_t> items) {
    if (users.size() != static_cast<std::size_t>(n_users()) || items.size() != static_cast<std::size_t>(n_items_))
      throw config_error("Sequences::set_origins: one origin per user and per item");
    user_origin_ = std::move(users);
    item_origin_ = std::move(items);
  }

 private:
  std::size_t idx(index_t u) const {
    if (u < 0 || u >= n_users())
      throw config_error("Sequences: user " + std::to_string(u) + " is outside [0, " + std::to_string(n_users()) + ")",
                         location::of_field("user"));
    return static_cast<std::size_t>(u);
  }

  std::vector<offset_t> offsets_{0};
  std::vector<index_t> items_;
  std::vector<float> ratings_;
  std::vector<std::int64_t> timestamps_;
  std::vector<index_t> user_origin_, item_origin_;
  index_t n_items_ = 0;
  bool has_ratings_ = false;
};

}  // namespace data
}  // namespace denoise
