// core_filter(sequences, k): the iterated k-core filter of the sequential task (k = 10 by
// default): drop every user with fewer than k interactions and every item with fewer than k,
// and repeat until no count changes (dropping an item can push a user under k, and back).
// The survivors are re-indexed densely in their old order; user_origin()/item_origin() still
// name the index each had in the data first loaded. Chronological order is kept.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "sequences.hpp"

namespace denoise {
namespace data {

/// What the filter did (the sizes before and after are what papers report).
struct core_filter_report {
  std::size_t users_before = 0, items_before = 0, interactions_before = 0;
  std::size_t users_after = 0, items_after = 0, interactions_after = 0;
  std::size_t rounds = 0;  ///< passes until stable (the last one removes nothing)
};

inline Sequences core_filter(const Sequences& in, std::size_t k = 10, core_filter_report* report = nullptr) {
  if (k == 0) throw config_error("core_filter: k must be at least 1", location::of_field("k"));
  const auto n_users = static_cast<std::size_t>(in.n_users());
  const auto n_items = static_cast<std::size_t>(in.n_items());
  std::vector<char> user_alive(n_users, 1), item_alive(n_items, 1);
  std::vector<std::size_t> user_count(n_users), item_count(n_items);
  std::size_t rounds = 0;
  for (bool changed = true; changed;) {
    ++rounds;
    changed = false;
    std::fill(user_count.begin(), user_count.end(), 0);
    std::fill(item_count.begin(), item_count.end(), 0);
    for (std::size_t u = 0; u < n_users; ++u) {
      if (!user_alive[u]) continue;
      for (index_t i : in.items_of(static_cast<index_t>(u))) {
        if (!item_alive[static_cast<std::size_t>(i)]) continue;
        ++user_count[u];
        ++item_count[static_cast<std::size_t>(i)];
      }
    }
    for (std::size_t u = 0; u < n_users; ++u)
      if (user_alive[u] && user_count[u] < k) user_alive[u] = 0, changed = true;
    for (std::size_t i = 0; i < n_items; ++i)
      if (item_alive[i] && item_count[i] < k) item_alive[i] = 0, changed = true;
  }
  std::vector<index_t> new_item(n_items, -1), item_origin, user_origin;
  for (std::size_t i = 0; i < n_items; ++i) {
    if (!item_alive[i]) continue;
    new_item[i] = static_cast<index_t>(item_origin.size());
    item_origin.push_back(in.item_origin()[i]);
  }
  std::vector<offset_t> offsets{0};
  std::vector<index_t> items;
  std::vector<float> ratings;
  std::vector<std::int64_t> stamps;
  for (std::size_t u = 0; u < n_users; ++u) {
    if (!user_alive[u]) continue;
    const auto uu = static_cast<index_t>(u);
    const auto seq = in.items_of(uu);
    for (std::size_t p = 0; p < seq.size(); ++p) {
      const index_t i = new_item[static_cast<std::size_t>(seq[p])];
      if (i < 0) continue;
      items.push_back(i);
      ratings.push_back(in.ratings_of(uu)[p]);
      stamps.push_back(in.timestamps_of(uu)[p]);
    }
    offsets.push_back(static_cast<offset_t>(items.size()));
    user_origin.push_back(in.user_origin()[u]);
  }
  const bool rated = in.has_ratings();
  Sequences out = Sequences::from_columns(std::move(offsets), std::move(items),
                                          rated ? std::move(ratings) : std::vector<float>{},
                                          static_cast<index_t>(item_origin.size()), std::move(stamps));
  if (report != nullptr) {
    report->users_before = n_users;
    report->items_before = n_items;
    report->interactions_before = in.size();
    report->users_after = static_cast<std::size_t>(out.n_users());
    report->items_after = static_cast<std::size_t>(out.n_items());
    report->interactions_after = out.size();
    report->rounds = rounds;
  }
  out.set_origins(std::move(user_origin), std::move(item_origin));
  return out;
}

}  // namespace data
}  // namespace denoise
