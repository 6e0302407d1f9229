// instance_tracker<B>: the mean weight and loss each training instance got during an epoch, kept
// on the backend and copied to the host once per epoch (never per batch). Per batch the host finds
// the runs of consecutive samples anchored at the same instance (a group's samples are adjacent),
// and one kernel adds each run into its instance's accumulators (weight, loss and count interleaved:
// batches visit instances in random order, so one cache line per sample instead of three). An
// instance that appears in two runs of one batch would race, so such a batch is accumulated by a
// single serial launch instead: the sums are the same and so is their order, whatever the thread
// count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace train {
namespace detail {

/// Accumulators per instance: weight sum, loss sum, sample count.
constexpr std::size_t sums_per_instance = 3;

// Kernels are namespace-scope types: nvcc cannot launch a functor that is a private member.
template <class S>
struct accumulate_runs {  // run r covers samples [offsets[2r], offsets[2r+1])
  const offset_t* offsets;
  const offset_t* run_instance;
  const S* weight;
  const S* loss;
  S* sums;  // sums_per_instance per instance
  std::size_t runs;
  // Runs visit instances in random order: on the host, the accumulators of the run `ahead` runs
  // later are prefetched, so their cache misses overlap.
  static constexpr std::size_t ahead = 8;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    if (r + ahead < runs) DENOISE_PREFETCH(sums + sums_per_instance * static_cast<std::size_t>(run_instance[r + ahead]));
    S w = S(0), l = S(0);
    for (offset_t s = offsets[2 * r]; s < offsets[2 * r + 1]; ++s) {
      w += weight[s];
      l += loss[s];
    }
    S* at = sums + sums_per_instance * static_cast<std::size_t>(run_instance[r]);
    at[0] += w;
    at[1] += l;
    at[2] += static_cast<S>(offsets[2 * r + 1] - offsets[2 * r]);
  }
};

template <class S>
struct accumulate_runs_serially {
  accumulate_runs<S> run;
  std::size_t runs;
  DENOISE_HOST_DEVICE void operator()(std::size_t) const {
    for (std::size_t r = 0; r < runs; ++r) run(r);
  }
};

template <class B>
class instance_tracker {
 public:
  using scalar = typename B::scalar;

  void begin_epoch(std::size_t instances) {
    instances_ = instances;
    sums_.resize(sums_per_instance * instances);
    B::fill(sums_, scalar(0));
    stamp_.assign(instances, 0);
    batch_ = 0;
  }

  /// Adds the batch's per-sample weights and losses; `sample_instance[s]` is the instance of
  /// sample s (host), negative for samples about no training instance.
  void add(const std::vector<offset_t>& sample_instance, const typename B::vector& weight,
           const typename B::vector& loss) {
    ++batch_;
    host_offsets_.clear();
    host_instance_.clear();
    bool repeated = false;
    const std::size_t n = sample_instance.size();
    constexpr std::size_t ahead = 16;  // prefetch distance of the random stamp_ accesses
    for (std::size_t s = 0; s < n;) {
      if (s + ahead < n) {
        const offset_t later = sample_instance[s + ahead];
        if (later >= 0 && static_cast<std::size_t>(later) < instances_) DENOISE_PREFETCH(&stamp_[static_cast<std::size_t>(later)]);
      }
      const offset_t id = sample_instance[s];
      std::size_t e = s + 1;
      while (e < n && sample_instance[e] == id) ++e;
      if (id >= 0 && static_cast<std::size_t>(id) < instances_) {
        auto& seen = stamp_[static_cast<std::size_t>(id)];
        repeated |= seen == batch_;  // no branch: the loads of consecutive runs overlap
        seen = batch_;
        host_offsets_.push_back(static_cast<offset_t>(s));
        host_offsets_.push_back(static_cast<offset_t>(e));
        host_instance_.push_back(id);
      }
      s = e;
    }
    if (host_instance_.empty()) return;
    B::from_host(host_offsets_, offsets_);  // run r covers samples [offsets[2r], offsets[2r+1])
    B::from_host(host_instance_, run_instance_);
    const std::size_t runs = host_instance_.size();
    accumulate_runs<scalar> k{B::ptr(offsets_), B::ptr(run_instance_), B::ptr(weight), B::ptr(loss),
                          B::ptr(sums_), runs};
    if (repeated) {
      B::launch(1, accumulate_runs_serially<scalar>{k, runs});
    } else {
      B::launch(runs, k, 8);
    }
  }

  /// Mean weight and loss per instance over the epoch (NaN where the instance got no sample).
  void finish(std::vector<float>& mean_weight, std::vector<float>& mean_loss) {
    B::to_host(sums_, host_sums_);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    mean_weight.assign(instances_, nan);
    mean_loss.assign(instances_, nan);
    for (std::size_t i = 0; i < instances_; ++i) {
      const scalar* at = host_sums_.data() + sums_per_instance * i;
      if (at[2] > scalar(0)) {
        mean_weight[i] = static_cast<float>(at[0] / at[2]);
        mean_loss[i] = static_cast<float>(at[1] / at[2]);
      }
    }
  }

 private:
  std::size_t instances_ = 0;
  std::uint32_t batch_ = 0;
  typename B::vector sums_;  // sums_per_instance per instance
  typename B::offset_vector offsets_, run_instance_;
  std::vector<std::uint32_t> stamp_;  // the last batch (1-based) that saw the instance
  std::vector<offset_t> host_offsets_, host_instance_;
  std::vector<scalar> host_sums_;
};

}  // namespace detail
}  // namespace train
}  // namespace denoise
