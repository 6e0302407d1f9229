// Repeated (user, item) rows in loaded data. A file that lists a pair twice is either an error in
// the file or a log of repeated events; silently keeping both skews training and, once a copy
// lands in the test part of a split, evaluation (a test item that is also a training positive).
// resolve_duplicates() finds them and applies a policy:
//
//   DuplicatePolicy::error       (the CLI's default) input_error naming the file, the first pair
//                                repeated (raw ids) and the records where it occurs;
//   DuplicatePolicy::keep_first  the first occurrence stays, later ones are removed;
//   DuplicatePolicy::keep_last   the last occurrence stays (a re-rating replaces the old one);
//   DuplicatePolicy::sum         the first occurrence stays with the ratings of all occurrences
//                                added up (event counts: plays, clicks), the latest timestamp, the
//                                largest label, and noisy only if every occurrence was.
//
// Kept rows keep their instance ids and their order in the input; DuplicateReport counts the rows
// removed (or merged) and names the first repeated pair. Field columns, if any, come from the kept
// row. Cost: one sort of the row positions, O(n log n), no per-row allocation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

enum class DuplicatePolicy { error, keep_first, keep_last, sum };

struct DuplicateReport {
  std::size_t removed = 0;  ///< rows removed (keep_first / keep_last) or merged into another (sum)
  std::size_t pairs = 0;    ///< distinct (user, item) pairs that occur more than once
  /// The first repeated pair in input order (raw ids) and the 1-based records of its first two
  /// occurrences; 0 when there is none.
  std::int64_t user_raw = 0, item_raw = 0;
  std::size_t first_record = 0, repeat_record = 0;
};

/// `data` without repeated (user, item) pairs, by `policy` (see the top of this header). `source`
/// names the data in the error of DuplicatePolicy::error.
inline Interactions resolve_duplicates(const Interactions& data, DuplicatePolicy policy,
                                       DuplicateReport* report = nullptr, const std::string& source = {}) {
  const std::size_t n = data.size();
  const auto users = data.users();
  const auto items = data.items();
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  auto key = [&](std::size_t k) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(users[k])) << 32) |
           static_cast<std::uint32_t>(items[k]);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto ka = key(a), kb = key(b);
    return ka != kb ? ka < kb : a < b;
  });

  DuplicateReport r;
  std::vector<std::uint8_t> keep(n, 1);
  std::vector<std::size_t> group_of;  // for sum: the group's kept row, per position
  if (policy == DuplicatePolicy::sum) group_of.assign(n, 0);
  std::size_t first_repeat = n;  // input position of the earliest second occurrence
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && key(order[end]) == key(order[begin])) ++end;
    if (end - begin > 1) {
      ++r.pairs;
      r.removed += end - begin - 1;
      if (order[begin + 1] < first_repeat) {
        first_repeat = order[begin + 1];
        r.user_raw = data.user_ids().raw_of(users[order[begin]]);
        r.item_raw = data.item_ids().raw_of(items[order[begin]]);
        r.first_record = order[begin] + 1;
        r.repeat_record = order[begin + 1] + 1;
      }
      const std::size_t kept = policy == DuplicatePolicy::keep_last ? order[end - 1] : order[begin];
      for (std::size_t g = begin; g < end; ++g) {
        if (order[g] != kept) keep[order[g]] = 0;
        if (policy == DuplicatePolicy::sum) group_of[order[g]] = kept;
      }
    }
    begin = end;
  }
  if (report != nullptr) *report = r;
  if (r.pairs == 0) return data;
  if (policy == DuplicatePolicy::error)
    throw input_error("duplicate rows: user " + std::to_string(r.user_raw) + ", item " + std::to_string(r.item_raw) +
                          " at records " + std::to_string(r.first_record) + " and " +
                          std::to_string(r.repeat_record) + " (" + std::to_string(r.removed) +
                          " repeated rows in all); choose a duplicate policy (keep first, keep last, sum)",
                      location::in_file(source));

  std::vector<std::size_t> positions;
  positions.reserve(n - r.removed);
  for (std::size_t k = 0; k < n; ++k)
    if (keep[k] != 0) positions.push_back(k);
  Interactions out = data.subset(positions);
  if (policy != DuplicatePolicy::sum) return out;

  // Merge each group into its kept row: positions in `out` follow the input order of kept rows.
  std::vector<std::size_t> out_of(n, 0);
  for (std::size_t j = 0; j < positions.size(); ++j) out_of[positions[j]] = j;
  auto rating = out.mutable_ratings();
  auto label = out.mutable_labels();
  auto time = out.mutable_timestamps();
  auto noisy = out.mutable_noisy();
  for (std::size_t k = 0; k < n; ++k) {
    if (keep[k] != 0) continue;
    const std::size_t j = out_of[group_of[k]];
    rating[j] += data.ratings()[k];
    label[j] = std::max(label[j], data.labels()[k]);
    time[j] = std::max(time[j], data.timestamps()[k]);
    noisy[j] = static_cast<std::uint8_t>(noisy[j] != 0 && data.noisy()[k] != 0);
  }
  return out;
}

}  // namespace data
}  // namespace denoise
