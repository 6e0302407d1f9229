// SequenceWindows: the training examples of the sequential task. For every user and every
// position p in [1, train_length[u]) of the training prefix, one example: the window of at most W
// previous items s[max(0, p - W)..p) -> the next item s[p] (W = 10 by default). fill() writes a
// batch of examples into host buffers that keep their capacity (no per-example allocation);
// upload() moves them into a sequence_batch<B>.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "sequence_batch.hpp"
#include "sequences.hpp"

namespace denoise {
namespace data {

/// Host buffers of one batch of windows (see sequence_batch for the layout).
struct sequence_host_batch {
  std::vector<index_t> items, targets, users, candidates;
  index_t steps = 0;
  std::size_t size() const noexcept { return targets.size(); }
};

class SequenceWindows {
 public:
  SequenceWindows(const Sequences& s, span<const offset_t> train_length, index_t window = 10) : s_(&s), window_(window) {
    if (window <= 0) throw config_error("SequenceWindows: the window must be positive", location::of_field("window"));
    if (train_length.size() != static_cast<std::size_t>(s.n_users()))
      throw config_error("SequenceWindows: one train length per user", location::of_field("train_length"));
    for (index_t u = 0; u < s.n_users(); ++u) {
      const offset_t len = train_length[static_cast<std::size_t>(u)];
      if (len < 0 || static_cast<std::size_t>(len) > s.length(u))
        throw config_error("SequenceWindows: train length of user " + std::to_string(u) + " exceeds the sequence",
                           location::of_field("train_length"));
      for (offset_t p = 1; p < len; ++p) {
        users_.push_back(u);
        positions_.push_back(p);
      }
    }
  }

  std::size_t size() const noexcept { return users_.size(); }
  index_t window() const noexcept { return window_; }
  /// The padding id: one past the last item.
  index_t padding() const noexcept { return s_->n_items(); }
  index_t user(std::size_t k) const { return users_.at(k); }
  offset_t position(std::size_t k) const { return positions_.at(k); }

  /// Writes the window ending before items_of(u)[end] (left-padded) into out[0..window).
  void history(index_t u, offset_t end, index_t* out) const {
    const auto seq = s_->items_of(u);
    const offset_t first = std::max<offset_t>(0, end - window_);
    const auto pad = static_cast<std::size_t>(window_ - (end - first));
    std::fill(out, out + pad, padding());
    std::copy(seq.begin() + first, seq.begin() + end, out + pad);
  }

  /// The examples rows[0..n) into `out` (capacity reused).
  void fill(span<const std::size_t> rows, sequence_host_batch& out) const {
    const auto w = static_cast<std::size_t>(window_);
    out.steps = window_;
    out.items.resize(rows.size() * w);
    out.targets.resize(rows.size());
    out.users.resize(rows.size());
    out.candidates.clear();
    for (std::size_t b = 0; b < rows.size(); ++b) {
      const std::size_t k = rows[b];
      if (k >= size()) throw config_error("SequenceWindows::fill: example " + std::to_string(k) + " out of range");
      const index_t u = users_[k];
      history(u, positions_[k], out.items.data() + b * w);
      out.targets[b] = s_->items_of(u)[static_cast<std::size_t>(positions_[k])];
      out.users[b] = u;
    }
  }

  /// The evaluation inputs of holdout users: window of users[k] ending at history[k].
  void fill_histories(span<const index_t> users, span<const offset_t> history_end, sequence_host_batch& out) const {
    if (users.size() != history_end.size()) throw config_error("SequenceWindows::fill_histories: one history per user");
    const auto w = static_cast<std::size_t>(window_);
    out.steps = window_;
    out.items.resize(users.size() * w);
    out.users.assign(users.begin(), users.end());
    out.targets.assign(users.size(), 0);
    out.candidates.clear();
    for (std::size_t b = 0; b < users.size(); ++b) history(users[b], history_end[b], out.items.data() + b * w);
  }

  /// Copies host buffers into a device batch (the device buffers keep their capacity).
  template <class B>
  static void upload(const sequence_host_batch& host, sequence_batch<B>& out) {
    B::from_host(host.items, out.items);
    B::from_host(host.targets, out.targets);
    B::from_host(host.users, out.users);
    B::from_host(host.candidates, out.candidates);
    out.steps = host.steps;
  }

 private:
  const Sequences* s_;
  index_t window_;
  std::vector<index_t> users_;
  std::vector<offset_t> positions_;
};

}  // namespace data
}  // namespace denoise
