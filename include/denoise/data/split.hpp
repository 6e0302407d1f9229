// Splits into train / validation / test:
//   random_split        seeded random ratio split (8:1:1 by default), over all rows;
//   chronological_split per-user split by time (4:1:1 by default): each user's earliest rows train;
//   leave_last_k        per user, the last k_test rows test and the k_valid before them validation;
//   clean_view          the true positives of a split (label > 0 and not noisy), for evaluation.
// The three parts share the source's id maps and instance ids and are disjoint; with the default
// cold-start policy (drop) a validation/test row whose user or item never occurs in train is
// removed and reported, so that train ∪ validation ∪ test ∪ dropped = the source.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/shuffle.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

/// Relative sizes of train, validation and test (normalised; any positive scale).
struct SplitRatios {
  double train = 8, validation = 1, test = 1;
};

/// What to do with validation/test rows whose user or item has no training row.
enum class ColdStart {
  drop,           ///< remove them (reported in SplitReport)
  move_to_train,  ///< put them into train instead
  keep            ///< keep them (only counted)
};

struct SplitReport {
  std::size_t cold_validation = 0;  ///< validation rows with a user or item unseen in train
  std::size_t cold_test = 0;        ///< test rows with a user or item unseen in train
  std::vector<offset_t> dropped;    ///< instance ids removed (ColdStart::drop)
  std::vector<offset_t> moved;      ///< instance ids moved to train (ColdStart::move_to_train)
};

struct Split {
  Interactions train, validation, test;
  SplitReport report;
};

namespace detail {

inline void check_ratios(const SplitRatios& r) {
  if (!(r.train > 0) || !(r.validation >= 0) || !(r.test >= 0) || !std::isfinite(r.train + r.validation + r.test))
    throw config_error("split ratios must be finite, train > 0, validation and test >= 0",
                       location::of_field("ratios"));
}

/// part[k] in {0,1,2} for row k -> Split, applying the cold-start policy.
inline Split assemble(const Interactions& data, std::vector<std::uint8_t> part, ColdStart cold) {
  Split out;
  const auto users = data.users();
  const auto items = data.items();
  const auto instances = data.instances();
  std::vector<std::uint8_t> seen_u, seen_i;
  auto compute_seen = [&] {
    seen_u.assign(static_cast<std::size_t>(data.n_users()), 0);
    seen_i.assign(static_cast<std::size_t>(data.n_items()), 0);
    for (std::size_t k = 0; k < data.size(); ++k)
      if (part[k] == 0) {
        seen_u[static_cast<std::size_t>(users[k])] = 1;
        seen_i[static_cast<std::size_t>(items[k])] = 1;
      }
  };
  auto is_cold = [&](std::size_t k) {
    return (part[k] == 1 || part[k] == 2) &&
           !(seen_u[static_cast<std::size_t>(users[k])] && seen_i[static_cast<std::size_t>(items[k])]);
  };
  SplitReport& rep = out.report;
  if (cold == ColdStart::move_to_train) {
    // Moving a cold row into train can make another row warm: repeat until stable.
    for (bool changed = true; changed;) {
      changed = false;
      compute_seen();
      for (std::size_t k = 0; k < data.size(); ++k)
        if (is_cold(k)) {
          (part[k] == 1 ? rep.cold_validation : rep.cold_test) += 1;
          part[k] = 0;
          rep.moved.push_back(instances[k]);
          changed = true;
        }
    }
  } else {
    compute_seen();
    for (std::size_t k = 0; k < data.size(); ++k)
      if (is_cold(k)) {
        (part[k] == 1 ? rep.cold_validation : rep.cold_test) += 1;
        if (cold == ColdStart::drop) {
          part[k] = 3;
          rep.dropped.push_back(instances[k]);
        }
      }
  }
  std::vector<std::size_t> rows[3];
  for (std::size_t k = 0; k < data.size(); ++k)
    if (part[k] < 3) rows[part[k]].push_back(k);
  out.train = data.subset(rows[0]);
  out.validation = data.subset(rows[1]);
  out.test = data.subset(rows[2]);
  return out;
}

/// Rows of each user, ordered by (timestamp, position).
inline std::vector<std::vector<std::size_t>> rows_by_user_in_time(const Interactions& data) {
  std::vector<std::vector<std::size_t>> rows(static_cast<std::size_t>(data.n_users()));
  const auto users = data.users();
  for (std::size_t k = 0; k < data.size(); ++k) rows[static_cast<std::size_t>(users[k])].push_back(k);
  const auto ts = data.timestamps();
  for (auto& r : rows)
    std::stable_sort(r.begin(), r.end(), [&](std::size_t a, std::size_t b) { return ts[a] < ts[b]; });
  return rows;
}

}  // namespace detail

/// Seeded random split of all rows: the first round(N·train) of a permutation train, the next
/// round(N·validation) validation, the rest test.
inline Split random_split(const Interactions& data, std::uint64_t seed, SplitRatios ratios = {},
                          ColdStart cold = ColdStart::drop) {
  detail::check_ratios(ratios);
  const double total = ratios.train + ratios.validation + ratios.test;
  const std::size_t n = data.size();
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t(0));
  random::rng g(seed, "random_split");
  random::shuffle(perm, g);
  const auto n_train = static_cast<std::size_t>(std::llround(static_cast<double>(n) * ratios.train / total));
  const auto n_valid = std::min(
      n - n_train, static_cast<std::size_t>(std::llround(static_cast<double>(n) * ratios.validation / total)));
  std::vector<std::uint8_t> part(n, 2);
  for (std::size_t k = 0; k < n_train; ++k) part[perm[k]] = 0;
  for (std::size_t k = n_train; k < n_train + n_valid; ++k) part[perm[k]] = 1;
  return detail::assemble(data, std::move(part), cold);
}

/// Per-user chronological split (4:1:1 by default, Ge et al.): each user's rows sorted by
/// timestamp (ties by position); the first round(n·train/total) train, up to
/// round(n·(train+validation)/total) validation, the rest test.
inline Split chronological_split(const Interactions& data, SplitRatios ratios = {4, 1, 1},
                                 ColdStart cold = ColdStart::drop) {
  detail::check_ratios(ratios);
  if (!data.has_timestamps() && !data.empty())
    throw config_error("a chronological split needs timestamps", location::of_field("timestamp"));
  const double total = ratios.train + ratios.validation + ratios.test;
  std::vector<std::uint8_t> part(data.size(), 0);
  for (const auto& rows : detail::rows_by_user_in_time(data)) {
    const double n = static_cast<double>(rows.size());
    auto a = static_cast<std::size_t>(std::llround(n * ratios.train / total));
    auto b = static_cast<std::size_t>(std::llround(n * (ratios.train + ratios.validation) / total));
    a = std::max<std::size_t>(std::min(a, rows.size()), rows.empty() ? 0 : 1);
    b = std::max(a, std::min(b, rows.size()));
    for (std::size_t k = 0; k < rows.size(); ++k) part[rows[k]] = k < a ? 0 : (k < b ? 1 : 2);
  }
  return detail::assemble(data, std::move(part), cold);
}

/// Per user: the last k_test rows (by time, or by position without timestamps) are test, the
/// k_valid before them validation. A user keeps at least one training row: with fewer than
/// k_valid + k_test + 1 rows, test is filled first, then validation.
inline Split leave_last_k(const Interactions& data, std::size_t k_valid = 1, std::size_t k_test = 1,
                          ColdStart cold = ColdStart::drop) {
  std::vector<std::uint8_t> part(data.size(), 0);
  for (const auto& rows : detail::rows_by_user_in_time(data)) {
    if (rows.empty()) continue;
    const std::size_t spare = rows.size() - 1;
    const std::size_t nt = std::min(k_test, spare);
    const std::size_t nv = std::min(k_valid, spare - nt);
    const std::size_t n = rows.size();
    for (std::size_t k = 0; k < n; ++k) part[rows[k]] = k >= n - nt ? 2 : (k >= n - nt - nv ? 1 : 0);
  }
  return detail::assemble(data, std::move(part), cold);
}

/// The true positives of `data`: label > 0 and not flagged noisy (for clean evaluation sets).
inline Interactions clean_view(const Interactions& data) {
  const auto labels = data.labels();
  const auto noisy = data.noisy();
  return data.filter([&](std::size_t k) { return labels[k] > 0.0f && noisy[k] == 0; });
}

}  // namespace data
}  // namespace denoise
