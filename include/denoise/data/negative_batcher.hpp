// NegativeBatcher: the positives of a dataset (label > 0), each followed by k negatives drawn
// from a sampler (UniformNegativeSampler, PopularityNegativeSampler or any class with
// `index_t sample(index_t user, denoise::random::rng&) const`). Pointwise batches (next(Batch&))
// or BPR triples (next(TripleBatch&), each positive paired with each of its k negatives).
// Negatives come from a stream derived from (seed, epoch): an epoch is reproducible on its own.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/shuffle.hpp"
#include "../core/span.hpp"
#include "../core/static_checks.hpp"
#include "batch.hpp"
#include "batcher.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

namespace detail {
template <class S>
using sample_expr = decltype(std::declval<const S&>().sample(index_t(0), std::declval<random::rng&>()));
// Optional: one negative per user of a span, the same draws as sample() in turn (faster in bulk).
template <class S>
using bulk_sample_expr = decltype(std::declval<const S&>().sample(
    std::declval<span<const index_t>>(), std::declval<span<index_t>>(), std::declval<random::rng&>()));
}  // namespace detail

template <class Sampler>
class NegativeBatcher {
  DENOISE_STATIC_CHECK((traits::is_detected_v<detail::sample_expr, Sampler>),
                       "a negative sampler needs `index_t sample(index_t user, denoise::random::rng&) const` "
                       "(see docs/data.md, 'Negative sampling')");

 public:
  /// `sampler` must outlive the batcher (the positives of `data` are copied). batch_positives
  /// positives per batch.
  NegativeBatcher(const Interactions& data, const Sampler& sampler, std::size_t batch_positives,
                  std::size_t negatives_per_positive = 1, Order order = Order::shuffled,
                  std::uint64_t seed = 0)
      : sampler_(&sampler), batch_(batch_positives), k_(negatives_per_positive),
        order_(order), seed_(seed) {
    if (batch_positives == 0) throw config_error("batch size must be positive", location::of_field("batch_size"));
    const auto users = data.users();
    const auto items = data.items();
    const auto labels = data.labels();
    const auto instances = data.instances();
    for (std::size_t r = 0; r < data.size(); ++r)
      if (labels[r] > 0.0f) positives_.push_back(positive_row{users[r], items[r], labels[r], instances[r]});
    start_epoch(0);
  }

  void start_epoch(std::uint64_t epoch) {
    position_ = 0;
    rows_ = positives_;
    if (order_ == Order::shuffled) {
      random::rng g(random::derive_seed(random::derive_seed(seed_, "batch_order"), epoch));
      random::shuffle(rows_, g);
    }
    rng_.reseed(random::derive_seed(random::derive_seed(seed_, "negatives"), epoch));
  }

  std::size_t positives() const noexcept { return positives_.size(); }
  std::size_t batches_per_epoch() const noexcept { return (positives_.size() + batch_ - 1) / batch_; }

  /// [pos_0, neg_0_1 .. neg_0_k, pos_1, ...]; negatives have label 0 and instance -1.
  bool next(Batch& out) {
    out.clear();
    out.n_fields = 0;
    if (position_ >= rows_.size()) return false;
    const std::size_t stop = std::min(rows_.size(), position_ + batch_);
    out.resize_pairs((stop - position_) * (k_ + 1));
    draw_negatives(stop);
    // Written by index (a push_back per column per row was a twentieth of a GMF epoch).
    const index_t* negative = negatives_.data();
    index_t* users = out.user_buffer.data();
    index_t* items = out.item_buffer.data();
    float* labels = out.label_buffer.data();
    offset_t* instances = out.instance_buffer.data();
    std::size_t row = 0;
    for (std::size_t p = position_; p < stop; ++p) {
      const positive_row& r = rows_[p];
      users[row] = r.user;
      items[row] = r.item;
      labels[row] = r.label;
      instances[row] = r.instance;
      ++row;
      for (std::size_t k = 0; k < k_; ++k, ++row) {
        users[row] = r.user;
        items[row] = *negative++;
        labels[row] = 0.0f;
        instances[row] = -1;
      }
    }
    position_ = stop;
    return true;
  }

  /// BPR triples (u, i, j): every positive appears k times, once with each of its negatives.
  bool next(TripleBatch& out) {
    out.clear();
    if (position_ >= rows_.size()) return false;
    const std::size_t stop = std::min(rows_.size(), position_ + batch_);
    out.reserve((stop - position_) * k_);
    draw_negatives(stop);
    out.negative_buffer.assign(negatives_.begin(), negatives_.end());
    for (std::size_t p = position_; p < stop; ++p) {
      const positive_row& r = rows_[p];
      for (std::size_t k = 0; k < k_; ++k) {
        out.user_buffer.push_back(r.user);
        out.positive_buffer.push_back(r.item);
        out.instance_buffer.push_back(r.instance);
      }
    }
    position_ = stop;
    return true;
  }

 private:
  // negatives_ = k_ negatives for each positive of rows_[position_, stop), in the order the
  // batches list them: the same stream of draws whether the sampler works in bulk or one by one.
  void draw_negatives(std::size_t stop) {
    owners_.resize((stop - position_) * k_);
    index_t* owner = owners_.data();
    for (std::size_t p = position_; p < stop; ++p)
      for (std::size_t k = 0; k < k_; ++k) *owner++ = rows_[p].user;
    negatives_.resize(owners_.size());
    if constexpr (traits::is_detected_v<detail::bulk_sample_expr, Sampler>) {
      sampler_->sample(span<const index_t>(owners_), span<index_t>(negatives_), rng_);
    } else {
      for (std::size_t n = 0; n < owners_.size(); ++n) negatives_[n] = sampler_->sample(owners_[n], rng_);
    }
  }

  const Sampler* sampler_;
  std::size_t batch_, k_;
  Order order_;
  std::uint64_t seed_;
  // The positives as compact records, shuffled as records: a batch then reads them in order
  // instead of gathering four columns at random rows (cache misses that were a sixth of a GMF epoch).
  struct positive_row {
    index_t user, item;
    float label;
    offset_t instance;
  };
  std::vector<positive_row> positives_, rows_;
  std::vector<index_t> owners_, negatives_;  // the batch's negatives and the user each is for
  std::size_t position_ = 0;
  random::rng rng_;
};

}  // namespace data
}  // namespace denoise
