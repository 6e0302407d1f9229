// SequenceWindows: the Batcher of the sequential task (GRU4Rec, SASRec, MFSoftmax). Every
// training position p >= 1 of a user's training prefix is one example: the window of at most W
// previous items -> the item at p (data::SequenceWindows). Each epoch visits every example once,
// shuffled from (seed, epoch). Batches have options.batch_size examples; the layout is one group
// of n_items logits per example (losses::SoftmaxCrossEntropy) and the label is the target item.
//
// Instance ids: the example predicting position p of user u is the training interaction
// offsets[u] + p of the Sequences (a row of the chronological CSR), so ids are stable across
// epochs, shuffles and window sizes and run over [0, sequences.size()). The first interaction of
// each user is never a target (it has no history) and carries no id in any batch.
// Noise flags (reporting only): with ratings, a target rated below the split's positive threshold
// (3 by default: rating < 3 is a false positive) is flagged noisy; without ratings there are none.
//
//   train::batchers::SequenceWindows batcher(split, 10);
//   trainer.fit(batcher, &validation);
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/shuffle.hpp"
#include "../../core/span.hpp"
#include "../../core/types.hpp"
#include "../../data/sequence_batch.hpp"
#include "../../data/sequence_protocol.hpp"
#include "../../data/sequence_windows.hpp"
#include "../../losses/layout.hpp"
#include "../batch.hpp"
#include "../options.hpp"
#include "instance_flags.hpp"

namespace denoise {
namespace train {
namespace batchers {

class SequenceWindows {
 public:
  using input_kind = data::sequences_tag;
  static constexpr const char* name() { return "sequence-windows"; }

  /// `split` must outlive every fit() that uses this batcher. `window`: W, the most previous
  /// items an example sees; `positive_threshold`: ratings below it flag a target as noisy.
  explicit SequenceWindows(const data::sequence_split& split, index_t window = 10, float positive_threshold = 3.0f)
      : split_(&split), window_(window), threshold_(positive_threshold) {
    if (window <= 0) throw config_error("the window must be positive", location::of_field("window"));
  }

  const data::sequence_split& data() const noexcept { return *split_; }
  index_t window() const noexcept { return window_; }

  template <class B>
  class State {
   public:
    using input_type = data::sequence_batch<B>;

    State(const SequenceWindows& policy, const trainer_options& options, std::uint64_t seed)
        : split_(policy.split_),
          windows_(policy.split_->sequences, policy.split_->train_length, policy.window_),
          batch_size_(options.batch_size),
          seed_(random::derive_seed(seed, "sequence_order")) {
      if (windows_.size() == 0)
        throw config_error("the training data has no window (every training prefix is shorter than 2)",
                           location::of_field("train"));
      if (batch_size_ == 0) throw config_error("batch_size must be positive", location::of_field("batch_size"));
      const auto& s = split_->sequences;
      const auto offsets = s.offsets();
      ids_.resize(windows_.size());
      for (std::size_t k = 0; k < windows_.size(); ++k)
        ids_[k] = offsets[static_cast<std::size_t>(windows_.user(k))] + windows_.position(k);
      if (s.has_ratings()) {
        flags_.assign(s.size(), detail::no_flag);
        const auto ratings = s.ratings();
        for (const offset_t id : ids_)
          flags_[static_cast<std::size_t>(id)] = ratings[static_cast<std::size_t>(id)] < policy.threshold_ ? 1 : 0;
      }
      order_.resize(windows_.size());
    }

    /// Restarts at the first example, in the order drawn from (seed, epoch).
    void start_epoch(std::size_t epoch) {
      next_ = 0;
      std::iota(order_.begin(), order_.end(), std::size_t{0});
      random::rng g(random::derive_seed(seed_, static_cast<std::uint64_t>(epoch)));
      random::shuffle(order_, g);
    }

    bool next(batch<B, input_type>& out) {
      if (next_ >= order_.size()) return false;
      const std::size_t n = std::min(batch_size_, order_.size() - next_);
      const span<const std::size_t> rows(order_.data() + next_, n);
      windows_.fill(rows, host_);
      data::SequenceWindows::upload(host_, out.input);
      host_labels_.assign(host_.targets.begin(), host_.targets.end());
      B::from_host(host_labels_, out.labels);
      out.layout = losses::layout{n, static_cast<std::size_t>(split_->sequences.n_items())};
      out.instance.resize(n);
      for (std::size_t b = 0; b < n; ++b) out.instance[b] = ids_[rows[b]];
      out.item.assign(host_.targets.begin(), host_.targets.end());  // the item each row is about
      next_ += n;
      return true;
    }

    std::size_t instances() const noexcept { return split_->sequences.size(); }
    span<const std::uint8_t> noise_flags() const noexcept { return flags_; }
    /// Users and items the model must cover.
    index_t users() const noexcept { return split_->sequences.n_users(); }
    index_t items() const noexcept { return split_->sequences.n_items(); }
    /// Training examples per epoch.
    std::size_t examples() const noexcept { return windows_.size(); }

   private:
    const data::sequence_split* split_;
    data::SequenceWindows windows_;
    std::size_t batch_size_;
    std::uint64_t seed_;
    std::vector<offset_t> ids_;       // instance id of each example
    std::vector<std::size_t> order_;  // this epoch's example order
    std::size_t next_ = 0;
    data::sequence_host_batch host_;
    std::vector<typename B::scalar> host_labels_;
    std::vector<std::uint8_t> flags_;
  };

 private:
  const data::sequence_split* split_;
  index_t window_;
  float threshold_;
};

}  // namespace batchers
}  // namespace train
}  // namespace denoise
