// FieldRows: the Batcher of CTR field data (data::FieldDataset): each row once per epoch, in fixed
// order (every instance keeps its position from epoch to epoch, as AutoDenoise's per-instance loss
// matrix needs) or shuffled per epoch from (seed, epoch). Batches have options.batch_size rows in
// groups of 1, so a pointwise loss (BCE) applies. The host builds each batch's global feature ids
// (code + field offset) in reused buffers and uploads them once.
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
#include "../../data/batcher.hpp"
#include "../../data/field_batch.hpp"
#include "../../data/field_dataset.hpp"
#include "../../losses/layout.hpp"
#include "../batch.hpp"
#include "../options.hpp"
#include "instance_flags.hpp"

namespace denoise {
namespace train {
namespace batchers {

class FieldRows {
 public:
  using input_kind = data::fields_tag;
  static constexpr const char* name() { return "field-rows"; }

  /// `rows` must outlive every fit() that uses this batcher.
  explicit FieldRows(const data::FieldDataset& rows, data::Order order = data::Order::fixed)
      : rows_(&rows), order_(order) {}

  const data::FieldDataset& data() const noexcept { return *rows_; }

  template <class B>
  class State {
   public:
    using input_type = data::field_batch<B>;

    State(const FieldRows& policy, const trainer_options& options, std::uint64_t seed)
        : rows_(policy.rows_), order_(policy.order_), batch_size_(options.batch_size),
          seed_(random::derive_seed(seed, "batch_order")), offsets_(data::field_offsets(rows_->cardinalities())) {
      if (rows_->size() == 0) throw config_error("the training data has no rows", location::of_field("train"));
      if (batch_size_ == 0) throw config_error("batch_size must be positive", location::of_field("batch_size"));
      positions_.resize(rows_->size());
      const auto noisy = rows_->noisy();
      if (!noisy.empty()) {
        flags_.assign(instances(), detail::no_flag);
        const auto ids = rows_->instances();
        for (std::size_t r = 0; r < rows_->size(); ++r) flags_[static_cast<std::size_t>(ids[r])] = noisy[r] ? 1 : 0;
      }
    }

    /// Restarts at the first row; a shuffled order is redrawn from (seed, epoch).
    void start_epoch(std::size_t epoch) {
      next_ = 0;
      std::iota(positions_.begin(), positions_.end(), std::size_t{0});
      if (order_ == data::Order::shuffled) {
        random::rng g(random::derive_seed(seed_, static_cast<std::uint64_t>(epoch)));
        random::shuffle(positions_, g);
      }
    }

    bool next(batch<B, input_type>& out) {
      if (next_ >= positions_.size()) return false;
      const std::size_t n = std::min(batch_size_, positions_.size() - next_);
      const std::size_t nf = rows_->n_fields();
      host_index_.resize(n * nf);
      host_labels_.resize(n);
      out.instance.resize(n);
      const auto labels = rows_->labels();
      const auto ids = rows_->instances();
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t r = positions_[next_ + k];
        const auto codes = rows_->row(r);
        for (std::size_t f = 0; f < nf; ++f) host_index_[k * nf + f] = codes[f] + offsets_[f];
        host_labels_[k] = static_cast<typename B::scalar>(labels[r]);
        out.instance[k] = ids[r];
      }
      next_ += n;
      B::from_host(host_index_, out.input.index);
      out.input.fields = static_cast<index_t>(nf);
      B::from_host(host_labels_, out.labels);
      out.layout = losses::layout{n, 1};
      out.item.clear();
      return true;
    }

    std::size_t instances() const noexcept { return static_cast<std::size_t>(rows_->instance_capacity()); }
    span<const std::uint8_t> noise_flags() const noexcept { return flags_; }

   private:
    const data::FieldDataset* rows_;
    data::Order order_;
    std::size_t batch_size_;
    std::uint64_t seed_;
    std::vector<index_t> offsets_;
    std::vector<std::size_t> positions_;
    std::size_t next_ = 0;
    std::vector<index_t> host_index_;
    std::vector<typename B::scalar> host_labels_;
    std::vector<std::uint8_t> flags_;
  };

 private:
  const data::FieldDataset* rows_;
  data::Order order_;
};

}  // namespace batchers
}  // namespace train
}  // namespace denoise
