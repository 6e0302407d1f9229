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
#include "../core/static_checks.hpp"
#include "batch.hpp"
#include "batcher.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

namespace detail {
template <class S>
using sample_expr = decltype(std::declval<const S&>().sample(index_t(0), std::declval<random::rng&>()));
}  // namespace detail

template <class Sampler>
class NegativeBatcher {
  DENOISE_STATIC_CHECK((traits::is_detected_v<detail::sample_expr, Sampler>),
                       "a negative sampler needs `index_t sample(index_t user, denoise::random::rng&) const` "
                       "(see docs/data.md, 'Negative sampling')");

 public:
  /// `data` and `sampler` must outlive the batcher. batch_positives positives per batch.
  NegativeBatcher(const Interactions& data, const Sampler& sampler, std::size_t batch_positives,
                  std::size_t negatives_per_positive = 1, Order order = Order::shuffled,
                  std::uint64_t seed = 0)
      : data_(&data), sampler_(&sampler), batch_(batch_positives), k_(negatives_per_positive),
        order_(order), seed_(seed) {
    if (batch_positives == 0) throw config_error("batch size must be positive", location::of_field("batch_size"));
    const auto labels = data.labels();
    for (std::size_t r = 0; r < data.size(); ++r)
      if (labels[r] > 0.0f) positives_.push_back(r);
    start_epoch(0);
  }

  void start_epoch(std::uint64_t epoch) {
    position_ = 0;
    rows_ = positives_;
    if (order_ == Order::shuffled) {
      random::rng g(random::derive_seed(random::derive_seed(seed_, "batch_order"), epoch));
      for (std::size_t k = rows_.size(); k > 1; --k) std::swap(rows_[k - 1], rows_[g.uniform_index(k)]);
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
    out.reserve((stop - position_) * (k_ + 1));
    const auto users = data_->users();
    const auto items = data_->items();
    const auto labels = data_->labels();
    const auto instances = data_->instances();
    for (std::size_t p = position_; p < stop; ++p) {
      const std::size_t r = rows_[p];
      out.push(users[r], items[r], labels[r], instances[r]);
      for (std::size_t k = 0; k < k_; ++k) out.push(users[r], sampler_->sample(users[r], rng_), 0.0f, -1);
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
    const auto users = data_->users();
    const auto items = data_->items();
    const auto instances = data_->instances();
    for (std::size_t p = position_; p < stop; ++p) {
      const std::size_t r = rows_[p];
      for (std::size_t k = 0; k < k_; ++k) {
        out.user_buffer.push_back(users[r]);
        out.positive_buffer.push_back(items[r]);
        out.negative_buffer.push_back(sampler_->sample(users[r], rng_));
        out.instance_buffer.push_back(instances[r]);
      }
    }
    position_ = stop;
    return true;
  }

 private:
  const Interactions* data_;
  const Sampler* sampler_;
  std::size_t batch_, k_;
  Order order_;
  std::uint64_t seed_;
  std::vector<std::size_t> positives_, rows_;
  std::size_t position_ = 0;
  random::rng rng_;
};

}  // namespace data
}  // namespace denoise
