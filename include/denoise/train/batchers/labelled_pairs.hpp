// LabelledPairs: the Batcher of explicitly labelled user-item rows (label 1: positive, 0: an
// observed negative), each row once per epoch, in fixed order (every instance keeps its position
// from epoch to epoch, as AutoDenoise's per-instance loss matrix needs) or shuffled per epoch.
// Batches have options.batch_size rows in groups of 1 (no sampled negatives), so a pointwise loss
// (BCE) applies. Field-row (CTR) and sequence batchers are the same idea for the other families.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../data/batch.hpp"
#include "../../data/batcher.hpp"
#include "../../data/interactions.hpp"
#include "../../data/pair_batch.hpp"
#include "../batch.hpp"
#include "../options.hpp"
#include "instance_flags.hpp"
#include "upload_pairs.hpp"

namespace denoise {
namespace train {
namespace batchers {

class LabelledPairs {
 public:
  using input_kind = data::pairs_tag;
  static constexpr const char* name() { return "labelled-pairs"; }

  /// `rows` must outlive every fit() that uses this batcher.
  explicit LabelledPairs(const data::Interactions& rows, data::Order order = data::Order::fixed)
      : rows_(&rows), order_(order) {}

  const data::Interactions& data() const noexcept { return *rows_; }

  template <class B>
  class State {
   public:
    using input_type = data::pair_batch<B>;

    State(const LabelledPairs& policy, const trainer_options& options, std::uint64_t seed)
        : rows_(policy.rows_), batcher_(*policy.rows_, options.batch_size, policy.order_, seed) {
      if (rows_->size() == 0) throw config_error("the training data has no rows", location::of_field("train"));
      const auto noisy = rows_->noisy();
      if (!noisy.empty()) {
        flags_.assign(instances(), detail::no_flag);
        const auto ids = rows_->instances();
        for (std::size_t r = 0; r < rows_->size(); ++r) flags_[static_cast<std::size_t>(ids[r])] = noisy[r] ? 1 : 0;
      }
    }

    void start_epoch(std::size_t epoch) { batcher_.start_epoch(epoch); }

    bool next(batch<B, input_type>& out) {
      if (!batcher_.next(host_)) return false;
      detail::upload_pairs<B>(host_, 1, host_labels_, out);
      return true;
    }

    std::size_t instances() const noexcept { return static_cast<std::size_t>(rows_->instance_capacity()); }
    span<const std::uint8_t> noise_flags() const noexcept { return flags_; }
    index_t users() const noexcept { return rows_->n_users(); }
    index_t items() const noexcept { return rows_->n_items(); }

   private:
    const data::Interactions* rows_;
    data::Batcher batcher_;
    data::Batch host_;
    std::vector<typename B::scalar> host_labels_;
    std::vector<std::uint8_t> flags_;
  };

 private:
  const data::Interactions* rows_;
  data::Order order_;
};

}  // namespace batchers
}  // namespace train
}  // namespace denoise
