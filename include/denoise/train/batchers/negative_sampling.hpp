// NegativeSampling<Sampler>: the Batcher of implicit-feedback training. Each mini-batch holds
// options.positives_per_batch() positives of the training data (label > 0; batch_size of them, or
// batch_size samples in all with options.unit = batch_unit::samples), shuffled per epoch, each
// followed by options.negatives items drawn from `sampler` (label 0): the layout ADT, NCF and
// SGDL train on.
// The sampler is any class with `index_t sample(index_t user, random::rng&) const`
// (data::UniformNegativeSampler, data::PopularityNegativeSampler, or your own).
//
//   train::batchers::NegativeSampling<data::UniformNegativeSampler> batcher(train, sampler);
//   trainer.fit(batcher, &validation);
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/span.hpp"
#include "../../data/batch.hpp"
#include "../../data/interactions.hpp"
#include "../../data/negative_batcher.hpp"
#include "../../data/pair_batch.hpp"
#include "../batch.hpp"
#include "../options.hpp"
#include "instance_flags.hpp"
#include "upload_pairs.hpp"

namespace denoise {
namespace train {
namespace batchers {

template <class Sampler>
class NegativeSampling {
 public:
  using input_kind = data::pairs_tag;
  static constexpr const char* name() { return "negative-sampling"; }

  /// `train` and `sampler` must outlive every fit() that uses this batcher.
  NegativeSampling(const data::Interactions& train, const Sampler& sampler) : train_(&train), sampler_(&sampler) {}

  const data::Interactions& data() const noexcept { return *train_; }

  template <class B>
  class State {
   public:
    using input_type = data::pair_batch<B>;

    State(const NegativeSampling& policy, const trainer_options& options, std::uint64_t seed)
        : train_(policy.train_),
          group_(options.negatives + 1),
          batcher_(*policy.train_, *policy.sampler_, options.positives_per_batch(), options.negatives,
                   data::Order::shuffled, seed),
          flags_(detail::positive_noise_flags(*policy.train_)) {
      if (batcher_.positives() == 0) throw config_error("the training data has no positives", location::of_field("train"));
    }

    void start_epoch(std::size_t epoch) { batcher_.start_epoch(epoch); }

    /// The next batch, uploaded to the backend; false at the end of the epoch.
    bool next(batch<B, input_type>& out) {
      if (!batcher_.next(host_)) return false;
      detail::upload_pairs<B>(host_, group_, host_labels_, out);
      return true;
    }

    /// Instance ids run over [0, instances()).
    std::size_t instances() const noexcept { return static_cast<std::size_t>(train_->instance_capacity()); }
    /// Ground-truth flag per instance id (0 clean, 1 noisy, detail::no_flag otherwise): reporting only.
    span<const std::uint8_t> noise_flags() const noexcept { return flags_; }
    /// Users and items the model must cover.
    index_t users() const noexcept { return train_->n_users(); }
    index_t items() const noexcept { return train_->n_items(); }

   private:
    const data::Interactions* train_;
    std::size_t group_;
    data::NegativeBatcher<Sampler> batcher_;
    data::Batch host_;
    std::vector<typename B::scalar> host_labels_;
    std::vector<std::uint8_t> flags_;
  };

 private:
  const data::Interactions* train_;
  const Sampler* sampler_;
};

}  // namespace batchers
}  // namespace train
}  // namespace denoise
