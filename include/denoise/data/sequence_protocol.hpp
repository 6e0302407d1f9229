// split_sequences(sequences, options): the two evaluation protocols of the sequential task
// (docs/sequential.md). Every user's sequence s[0..n) is cut chronologically:
//  - chronological (4:1:1 by default): train = s[0..a), validation = s[a..b), test = s[b..n) with
//    a = round(4n/6), b = round(5n/6). Train keeps every interaction (implicit feedback); the
//    validation and test targets keep only true positives (rating >= positive_threshold).
//  - leave_one_out: t = the last true positive, v = the true positive before it. Train = s[0..v),
//    validation target s[v], test target s[t]; interactions after t are not used.
// A holdout's input history is the prefix of s before its part (s[0..a) for validation, s[0..b)
// for test, s[0..v) and s[0..t) for leave-one-out), so a model never sees the future. Users
// whose part is empty (no true positive there) are not in that holdout; a leave-one-out user
// with fewer than two true positives, or none before v, keeps everything for training.
// Without ratings every interaction is a true positive.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "sequences.hpp"

namespace denoise {
namespace data {

enum class sequence_protocol { chronological, leave_one_out };

struct sequence_protocol_options {
  sequence_protocol protocol = sequence_protocol::chronological;
  std::size_t train_parts = 4, valid_parts = 1, test_parts = 1;  ///< chronological ratio
  float positive_threshold = 3.0f;                               ///< true positive: rating >= this
};

/// The evaluation targets of one part: user users[k] with input history items_of(u)[0..history[k])
/// and targets[offsets[k]..offsets[k+1]).
struct sequence_holdout {
  std::vector<index_t> users;
  std::vector<offset_t> history;
  std::vector<offset_t> offsets{0};
  std::vector<index_t> targets;

  std::size_t size() const noexcept { return users.size(); }
  void add(index_t u, offset_t history_length) {
    users.push_back(u);
    history.push_back(history_length);
    offsets.push_back(static_cast<offset_t>(targets.size()));
  }
};

struct sequence_split {
  Sequences sequences;                ///< the full (filtered) sequences
  std::vector<offset_t> train_length; ///< per user: train is items_of(u)[0..train_length[u])
  sequence_holdout valid, test;
  std::size_t train_size() const {
    std::size_t n = 0;
    for (offset_t l : train_length) n += static_cast<std::size_t>(l);
    return n;
  }
};

namespace detail {
/// round(n * num / den) with halves rounded up, in integers.
inline std::size_t rounded_share(std::size_t n, std::size_t num, std::size_t den) { return (2 * n * num + den) / (2 * den); }
}  // namespace detail

inline sequence_split split_sequences(const Sequences& s, const sequence_protocol_options& o = {}) {
  const std::size_t total = o.train_parts + o.valid_parts + o.test_parts;
  if (o.protocol == sequence_protocol::chronological && (o.train_parts == 0 || total == o.train_parts))
    throw config_error("split_sequences: the chronological ratio needs train parts and held-out parts",
                       location::of_field("train_parts"));
  sequence_split out;
  out.sequences = s;
  out.train_length.assign(static_cast<std::size_t>(s.n_users()), 0);
  const bool rated = s.has_ratings();
  for (index_t u = 0; u < s.n_users(); ++u) {
    const auto items = s.items_of(u);
    const auto ratings = s.ratings_of(u);
    const std::size_t n = items.size();
    auto positive = [&](std::size_t p) { return !rated || ratings[p] >= o.positive_threshold; };
    auto hold = [&](sequence_holdout& h, std::size_t from, std::size_t to) {
      bool any = false;
      for (std::size_t p = from; p < to; ++p) {
        if (!positive(p)) continue;
        if (!any) h.add(u, static_cast<offset_t>(from)), any = true;
        h.targets.push_back(items[p]);
        h.offsets.back() = static_cast<offset_t>(h.targets.size());
      }
    };
    auto& train = out.train_length[static_cast<std::size_t>(u)];
    if (o.protocol == sequence_protocol::chronological) {
      const std::size_t a = detail::rounded_share(n, o.train_parts, total);
      const std::size_t b = detail::rounded_share(n, o.train_parts + o.valid_parts, total);
      train = static_cast<offset_t>(a);
      hold(out.valid, a, b);
      hold(out.test, b, n);
    } else {
      std::size_t t = n, v = n;
      for (std::size_t p = n; p-- > 0;)
        if (positive(p)) {
          if (t == n) {
            t = p;
          } else {
            v = p;
            break;
          }
        }
      if (v == n || v == 0) {
        train = static_cast<offset_t>(n);
        continue;
      }
      train = static_cast<offset_t>(v);
      hold(out.valid, v, v + 1);
      hold(out.test, t, t + 1);
    }
  }
  return out;
}

}  // namespace data
}  // namespace denoise
