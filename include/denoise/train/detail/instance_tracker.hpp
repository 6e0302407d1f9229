// instance_tracker<B>: the mean weight and loss each training instance got during an epoch. Per
// batch the host finds the runs of consecutive samples anchored at the same instance (a group's
// samples are adjacent), and one kernel writes each run's weight sum, loss sum and length to the
// next free entries of an epoch-long log on the backend: sequential writes, no two runs on one
// entry, so any thread count gives the same bits. The log is copied to the host once per epoch
// (never per batch), where each entry is added to its instance in log order. Adding the runs to
// per-instance sums during the step instead meant a random read-modify-write per run into an
// array as large as the model's tables (and a check for instances repeated within a batch), which
// evicted those tables from the cache between the steps that need them.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace train {
namespace detail {

/// Entries per run and per instance: weight sum, loss sum, sample count.
constexpr std::size_t sums_per_instance = 3;

// Kernels are namespace-scope types: nvcc cannot launch a functor that is a private member.
template <class S>
struct sum_runs {  // run r covers samples [offsets[2r], offsets[2r+1]); its entry: log[3r..3r+2]
  const offset_t* offsets;
  const S* weight;
  const S* loss;
  S* log;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    S w = S(0), l = S(0);
    for (offset_t s = offsets[2 * r]; s < offsets[2 * r + 1]; ++s) {
      w += weight[s];
      l += loss[s];
    }
    S* at = log + sums_per_instance * r;
    at[0] = w;
    at[1] = l;
    at[2] = static_cast<S>(offsets[2 * r + 1] - offsets[2 * r]);
  }
};

template <class B>
class instance_tracker {
 public:
  using scalar = typename B::scalar;

  void begin_epoch(std::size_t instances) {
    instances_ = instances;
    run_instance_.clear();
  }

  /// Logs the batch's per-sample weights and losses; `sample_instance[s]` is the instance of
  /// sample s (host), negative for samples about no training instance.
  void add(const std::vector<offset_t>& sample_instance, const typename B::vector& weight,
           const typename B::vector& loss) {
    host_offsets_.clear();
    const std::size_t logged = run_instance_.size();
    const std::size_t n = sample_instance.size();
    for (std::size_t s = 0; s < n;) {
      const offset_t id = sample_instance[s];
      std::size_t e = s + 1;
      while (e < n && sample_instance[e] == id) ++e;
      if (id >= 0 && static_cast<std::size_t>(id) < instances_) {
        host_offsets_.push_back(static_cast<offset_t>(s));
        host_offsets_.push_back(static_cast<offset_t>(e));
        run_instance_.push_back(id);
      }
      s = e;
    }
    const std::size_t runs = run_instance_.size() - logged;
    if (runs == 0) return;
    B::from_host(host_offsets_, offsets_);  // run r covers samples [offsets[2r], offsets[2r+1])
    // The log keeps its entries as it grows (a batch's runs are appended); the container's
    // capacity grows geometrically, and after an epoch as long as this one it never regrows.
    const std::size_t needed = sums_per_instance * (logged + runs);
    if (log_.size() < needed) log_.resize(needed);
    B::launch(runs, sum_runs<scalar>{B::ptr(offsets_), B::ptr(weight), B::ptr(loss),
                                     B::ptr(log_) + sums_per_instance * logged}, 8);
  }

  /// Mean weight and loss per instance over the epoch (NaN where the instance got no sample).
  void finish(std::vector<float>& mean_weight, std::vector<float>& mean_loss) {
    log_.resize(sums_per_instance * run_instance_.size());  // this epoch's entries only: copy no more
    if (!run_instance_.empty()) B::to_host(log_, host_log_);
    host_sums_.assign(sums_per_instance * instances_, scalar(0));
    constexpr std::size_t ahead = 16;  // the instances come in random order: prefetch their sums
    const std::size_t runs = run_instance_.size();
    for (std::size_t r = 0; r < runs; ++r) {
      if (r + ahead < runs) DENOISE_PREFETCH(host_sums_.data() + sums_per_instance * static_cast<std::size_t>(run_instance_[r + ahead]));
      scalar* at = host_sums_.data() + sums_per_instance * static_cast<std::size_t>(run_instance_[r]);
      const scalar* entry = host_log_.data() + sums_per_instance * r;
      at[0] += entry[0];
      at[1] += entry[1];
      at[2] += entry[2];
    }
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
  typename B::vector log_;  // sums_per_instance per run of this epoch, in the order the runs came
  typename B::offset_vector offsets_;
  std::vector<offset_t> host_offsets_;
  std::vector<offset_t> run_instance_;  // the instance of each logged run (host)
  std::vector<scalar> host_log_, host_sums_;
};

}  // namespace detail
}  // namespace train
}  // namespace denoise
