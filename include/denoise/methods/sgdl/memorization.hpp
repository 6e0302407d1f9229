// Memorization<B>: SGDL's phase-I memorization test and its history (Gao et al., SIGIR'22, §3.1).
// After each phase-I epoch t, every training positive (u, i) gets a state m_t(u, i):
//   paper  1 if i is in u's top N_u of the ranking over ALL items, N_u = the number of u's
//          (distinct) training positives [paper];
//   code   1 if i is in the top N_u of a candidate list of u's N_u positives plus N_u uniform
//          negatives drawn outside them, duplicates allowed [code].
// and an interaction is memorized from its last h states:
//   paper  the mean of the available states among the last h is > 0.5 (after t < h epochs,
//          the t states there are) [paper];
//   code   a zero-initialised ring of h states whose sum is >= h/2, so nothing is memorized
//          before the ⌈h/2⌉-th test [code].
//
// The test is batched: users are scored in blocks by the model's own full-ranking scoring
// (model.score(users, scores), one gemm for the factorisation models, as the ranking evaluator
// does), the top N_u of every user's segment is found by B::segmented_topk, and each positive
// reads its flag with one kernel. Ties rank the lower position first: the lower item id in the
// paper profile (as metrics::top_k), the positive before a negative in the code profile [ours].
// The model is in eval mode during the test; its training flag is restored afterwards.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/span.hpp"
#include "../../core/static_checks.hpp"
#include "../../core/types.hpp"
#include "../../data/interactions.hpp"
#include "../../models/static_checks.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

/// Which definition of the memorization test and history to use (see the file comment).
enum class memorization_profile { paper, code };

namespace detail {

// values[c] = scores[rows[c], items[c]]: the code profile's candidate scores.
template <class T>
struct gather_candidates {
  const T* scores;
  const index_t* rows;
  const index_t* items;
  T* values;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t c) const {
    values[c] = scores[static_cast<std::size_t>(rows[c]) * cols + static_cast<std::size_t>(items[c])];
  }
};

// flags[offsets[s] + top[s * k + p]] = 1 for p < take[s]: segment s's top take[s] positions.
template <class T>
struct mark_top {
  const index_t* top;
  const offset_t* offsets;
  const index_t* take;
  T* flags;
  std::size_t k;
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
    const auto n = static_cast<std::size_t>(take[s]);
    for (std::size_t p = 0; p < n && p < k; ++p) {
      const index_t pos = top[s * k + p];
      if (pos >= 0) flags[static_cast<std::size_t>(offsets[s]) + static_cast<std::size_t>(pos)] = T(1);
    }
  }
};

// out[q] = flags[probe[q]]
template <class T>
struct read_flags {
  const T* flags;
  const offset_t* probe;
  T* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t q) const { out[q] = flags[static_cast<std::size_t>(probe[q])]; }
};

// The j-th item (0-based, ascending) that is not in `sorted_positives`: j plus the number of
// positives p[m] with p[m] - m <= j (that difference counts the non-positives below p[m]).
inline index_t nth_non_positive(span<const index_t> sorted_positives, index_t j) {
  std::size_t lo = 0, hi = sorted_positives.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (sorted_positives[mid] - static_cast<index_t>(mid) <= j) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return j + static_cast<index_t>(lo);
}

}  // namespace detail

/// True when Model can be scored by the memorization test; otherwise a static_assert names the
/// first missing member (docs/policies/model.md).
template <class Model, class B>
constexpr bool check_memorization_model() {
  using traits::is_detected_v;
  namespace p = models::detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::backend_t, Model>),
                       "denoise: sgdl::Memorization needs a Model with 'using backend = B'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::items_t, Model>),
                       "denoise: sgdl::Memorization needs 'index_t items() const' of the Model; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::users_t, Model>),
                       "denoise: sgdl::Memorization needs 'index_t users() const' of the Model; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::score_t, Model>),
                       "denoise: sgdl::Memorization needs 'void score(const index_vector& users, matrix& scores)' of "
                       "the Model; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::train_t, Model> && is_detected_v<p::eval_t, Model> &&
                        is_detected_v<p::training_t, Model>),
                       "denoise: sgdl::Memorization needs 'train(bool)', 'eval()' and 'bool training() const' of the "
                       "Model; see docs/policies/model.md");
  if constexpr (is_detected_v<p::backend_t, Model>) {
    DENOISE_STATIC_CHECK((std::is_same<typename Model::backend, B>::value),
                         "denoise: sgdl::Memorization<B> was given a Model of another backend");
  }
  return true;
}

template <class B>
class Memorization {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;

  /// instances = |D| (instance ids of the training rows are below it), history = h >= 1,
  /// block_users = users scored per model.score() call. Bad values: config_error naming the field.
  Memorization(std::size_t instances, std::size_t history,
               memorization_profile profile = memorization_profile::paper, index_t block_users = 256)
      : instances_(instances), history_(history), profile_(profile), block_users_(block_users) {
    if (instances == 0) throw config_error("must be positive", location::of_field("instances"));
    if (history == 0) throw config_error("must be at least 1", location::of_field("history"));
    if (history > 0xFFFF) throw config_error("must be at most 65535", location::of_field("history"));
    if (block_users <= 0) throw config_error("must be positive", location::of_field("block_users"));
    reset();
  }

  /// Forgets every state (a fresh phase I).
  void reset() {
    ring_.assign(instances_ * history_, 0);
    sums_.assign(instances_, 0);
    memorized_.assign(instances_, 0);
    last_test_.assign(instances_, 0);
    tested_.assign(instances_, 0);
    memorized_count_ = 0;
    tests_run_ = 0;
    last_epoch_ = 0;
  }

  /// Runs the memorization test of epoch `epoch` on every positive row (label > 0) of `train`
  /// and updates the history. One call per epoch, epochs increasing (else config_error "epoch").
  /// `seed` drives the code profile's negatives (a stream per epoch and user). A training
  /// instance id >= instances is an input_error; a train set with more users or items than the
  /// model is a config_error; a NaN or infinite score is a divergence_error naming "scores".
  template <class Model>
  void update(Model& model, const data::Interactions& train, std::size_t epoch, std::uint64_t seed) {
    static_assert(check_memorization_model<Model, B>(), "");
    if (tests_run_ > 0 && epoch <= last_epoch_) {
      throw config_error("must increase from call to call (got " + std::to_string(epoch) + " after " +
                             std::to_string(last_epoch_) + ")",
                         location::of_field("epoch"));
    }
    if (train.n_users() > model.users() || train.n_items() > model.items()) {
      throw config_error("has " + std::to_string(train.n_users()) + " users and " + std::to_string(train.n_items()) +
                             " items; the model scores " + std::to_string(model.users()) + " and " +
                             std::to_string(model.items()),
                         location::of_field("train"));
    }
    group_positive_rows(train);

    std::fill(last_test_.begin(), last_test_.end(), std::uint8_t(0));
    {
      const training_restorer<Model> restore{model, model.training()};
      model.eval();
      const std::uint64_t epoch_seed =
          random::derive_seed(random::derive_seed(seed, "sgdl.memorization"), static_cast<std::uint64_t>(epoch));
      std::size_t next = 0;
      while (next < active_users_.size()) {
        const std::size_t count =
            std::min(active_users_.size() - next, static_cast<std::size_t>(block_users_));
        test_block(model, train, span<const index_t>(active_users_.data() + next, count), epoch_seed);
        next += count;
      }
    }
    record_history();
    last_epoch_ = epoch;
  }

  /// 1 for a memorized instance, indexed by instance id (instances() entries).
  const std::vector<std::uint8_t>& memorized() const noexcept { return memorized_; }
  /// The states m_t of the last test, indexed by instance id (0 for an instance not tested).
  const std::vector<std::uint8_t>& last_test() const noexcept { return last_test_; }
  /// 1 for an instance the last test saw as a training positive.
  const std::vector<std::uint8_t>& tested() const noexcept { return tested_; }
  std::size_t memorized_count() const noexcept { return memorized_count_; }
  /// |M_t| / |D|, what SGDL's switch compares with 1 - σ̂.
  double share() const noexcept { return static_cast<double>(memorized_count_) / static_cast<double>(instances_); }

  /// (precision, recall) of the memorized set against ground-truth noise flags indexed by instance
  /// id: precision = share of memorized instances that are clean, recall = share of the tested
  /// clean instances that are memorized; 0 where the denominator is 0 [ours]. A flags array of the
  /// wrong size is an input_error naming "noisy_flags".
  std::pair<double, double> precision_recall(span<const std::uint8_t> noisy_flags) const {
    if (noisy_flags.size() != instances_) {
      throw input_error("has " + std::to_string(noisy_flags.size()) + " entries for " + std::to_string(instances_) +
                            " instances",
                        location::of_field("noisy_flags"));
    }
    std::size_t memorized_clean = 0, clean = 0;
    for (std::size_t k = 0; k < instances_; ++k) {
      if (noisy_flags[k] != 0 || tested_[k] == 0) continue;
      ++clean;
      memorized_clean += memorized_[k] != 0 ? 1u : 0u;
    }
    const double precision =
        memorized_count_ > 0 ? static_cast<double>(memorized_clean) / static_cast<double>(memorized_count_) : 0.0;
    const double recall = clean > 0 ? static_cast<double>(memorized_clean) / static_cast<double>(clean) : 0.0;
    return {precision, recall};
  }

  std::size_t instances() const noexcept { return instances_; }
  std::size_t history() const noexcept { return history_; }
  memorization_profile profile() const noexcept { return profile_; }
  /// Number of tests run since construction or reset().
  std::size_t tests_run() const noexcept { return tests_run_; }

 private:
  template <class Model>
  struct training_restorer {
    Model& model;
    bool was_training;
    ~training_restorer() { model.train(was_training); }
  };

  // Positive rows grouped by user (counting sort, row order kept within a user), each user's
  // distinct positive items (sorted), and the users that have any.
  void group_positive_rows(const data::Interactions& train) {
    const auto n_users = static_cast<std::size_t>(train.n_users());
    const auto users = train.users();
    const auto items = train.items();
    const auto labels = train.labels();
    const auto ids = train.instances();
    std::fill(tested_.begin(), tested_.end(), std::uint8_t(0));
    row_start_.assign(n_users + 1, 0);
    for (std::size_t k = 0; k < train.size(); ++k) {
      if (!(labels[k] > 0.0f)) continue;
      if (ids[k] < 0 || static_cast<std::size_t>(ids[k]) >= instances_) {
        throw input_error("instance id " + std::to_string(ids[k]) + " of row " + std::to_string(k) +
                              " is outside [0, " + std::to_string(instances_) + ")",
                          location::of_field("instance"));
      }
      tested_[static_cast<std::size_t>(ids[k])] = 1;
      ++row_start_[static_cast<std::size_t>(users[k]) + 1];
    }
    for (std::size_t u = 0; u < n_users; ++u) row_start_[u + 1] += row_start_[u];
    rows_.resize(row_start_[n_users]);
    fill_.assign(row_start_.begin(), row_start_.end() - 1);
    for (std::size_t k = 0; k < train.size(); ++k) {
      if (labels[k] > 0.0f) rows_[fill_[static_cast<std::size_t>(users[k])]++] = k;
    }
    // Distinct sorted items per user, in the same layout.
    item_start_.assign(n_users + 1, 0);
    positives_.resize(rows_.size());
    active_users_.clear();
    std::size_t write = 0;
    for (std::size_t u = 0; u < n_users; ++u) {
      const std::size_t begin = write;
      for (std::size_t r = row_start_[u]; r < row_start_[u + 1]; ++r) positives_[write++] = items[rows_[r]];
      std::sort(positives_.begin() + static_cast<std::ptrdiff_t>(begin), positives_.begin() + static_cast<std::ptrdiff_t>(write));
      write = begin + static_cast<std::size_t>(
                          std::unique(positives_.begin() + static_cast<std::ptrdiff_t>(begin),
                                      positives_.begin() + static_cast<std::ptrdiff_t>(write)) -
                          (positives_.begin() + static_cast<std::ptrdiff_t>(begin)));
      item_start_[u + 1] = write;
      if (write > begin) active_users_.push_back(static_cast<index_t>(u));
    }
  }

  span<const index_t> positives_of(index_t u) const {
    const auto uu = static_cast<std::size_t>(u);
    return span<const index_t>(positives_.data() + item_start_[uu], item_start_[uu + 1] - item_start_[uu]);
  }

  template <class Model>
  void test_block(Model& model, const data::Interactions& train, span<const index_t> users, std::uint64_t epoch_seed) {
    const std::size_t count = users.size();
    const index_t n_items = model.items();
    const auto cols = static_cast<std::size_t>(n_items);
    host_users_.assign(users.begin(), users.end());
    B::from_host(host_users_, users_);
    model.score(users_, scores_);
    if (scores_.rows() != static_cast<index_t>(count) || scores_.cols() != n_items) {
      throw config_error("model.score() returned a " + std::to_string(scores_.rows()) + "x" +
                             std::to_string(scores_.cols()) + " matrix for " + std::to_string(count) + " users and " +
                             std::to_string(n_items) + " items",
                         location::of_field("scores"));
    }
    // A NaN score would silently rank last; a diverged model is an error, as in the evaluators.
    if (!std::isfinite(static_cast<double>(B::sum(scores_)))) {
      throw divergence_error("model.score() gave a score that is not finite", location::of_field("scores"));
    }
    const bool paper = profile_ == memorization_profile::paper;
    const auto items = train.items();

    // Segments: paper, the user's score row; code, the user's positives then its negatives.
    host_offsets_.assign(1, 0);
    host_take_.clear();
    host_probe_.clear();
    host_probe_rows_.clear();
    host_cand_items_.clear();
    host_cand_rows_.clear();
    index_t k_max = 0;
    for (std::size_t r = 0; r < count; ++r) {
      const index_t u = users[r];
      const span<const index_t> pos = positives_of(u);
      const auto n_u = static_cast<index_t>(pos.size());
      k_max = std::max(k_max, n_u);
      host_take_.push_back(n_u);
      const offset_t seg = host_offsets_.back();
      const auto uu = static_cast<std::size_t>(u);
      for (std::size_t q = row_start_[uu]; q < row_start_[uu + 1]; ++q) {
        const index_t item = items[rows_[q]];
        const offset_t where =
            paper ? static_cast<offset_t>(item)
                  : static_cast<offset_t>(std::lower_bound(pos.begin(), pos.end(), item) - pos.begin());
        host_probe_.push_back(seg + where);
        host_probe_rows_.push_back(rows_[q]);
      }
      if (paper) {
        host_offsets_.push_back(seg + static_cast<offset_t>(cols));
        continue;
      }
      for (const index_t item : pos) {
        host_cand_items_.push_back(item);
        host_cand_rows_.push_back(static_cast<index_t>(r));
      }
      // N_u uniform negatives outside the positives, duplicates allowed [code]; none when the user
      // has every item (then all N_u candidates are in the top N_u) [ours].
      const index_t outside = n_items - n_u;
      const index_t negatives = outside > 0 ? n_u : 0;
      random::rng gen(random::derive_seed(epoch_seed, static_cast<std::uint64_t>(u)));
      for (index_t j = 0; j < negatives; ++j) {
        const auto pick = static_cast<index_t>(gen.uniform_index(static_cast<std::uint64_t>(outside)));
        host_cand_items_.push_back(detail::nth_non_positive(pos, pick));
        host_cand_rows_.push_back(static_cast<index_t>(r));
      }
      host_offsets_.push_back(seg + static_cast<offset_t>(n_u + negatives));
    }
    B::from_host(host_offsets_, offsets_);
    B::from_host(host_take_, take_);
    B::from_host(host_probe_, probe_);

    const typename B::vector* values = &scores_.values();
    if (!paper) {
      B::from_host(host_cand_items_, cand_items_);
      B::from_host(host_cand_rows_, cand_rows_);
      candidates_.resize(host_cand_items_.size());
      B::launch(host_cand_items_.size(), detail::gather_candidates<scalar>{B::ptr(scores_), B::ptr(cand_rows_),
                                                                           B::ptr(cand_items_), B::ptr(candidates_),
                                                                           cols});
      values = &candidates_;
    }
    B::segmented_topk(*values, offsets_, k_max, top_);
    flags_.resize(values->size());
    B::fill(flags_, scalar(0));
    B::launch(count,
              detail::mark_top<scalar>{B::ptr(top_), B::ptr(offsets_), B::ptr(take_), B::ptr(flags_),
                                       static_cast<std::size_t>(k_max)},
              static_cast<std::size_t>(k_max));
    result_.resize(host_probe_.size());
    B::launch(host_probe_.size(), detail::read_flags<scalar>{B::ptr(flags_), B::ptr(probe_), B::ptr(result_)});
    B::to_host(result_, host_result_);
    const auto ids = train.instances();
    for (std::size_t q = 0; q < host_probe_rows_.size(); ++q) {
      if (host_result_[q] > scalar(0.5)) last_test_[static_cast<std::size_t>(ids[host_probe_rows_[q]])] = 1;
    }
  }

  // Pushes last_test_ into every instance's ring (an instance not tested records 0) and
  // re-derives the memorized set.
  void record_history() {
    const std::size_t slot = tests_run_ % history_;
    ++tests_run_;
    const std::size_t available = std::min(tests_run_, history_);
    memorized_count_ = 0;
    for (std::size_t k = 0; k < instances_; ++k) {
      std::uint8_t& cell = ring_[k * history_ + slot];
      sums_[k] = static_cast<std::uint16_t>(sums_[k] - cell + last_test_[k]);
      cell = last_test_[k];
      const std::size_t twice = 2 * static_cast<std::size_t>(sums_[k]);
      const bool memorized = profile_ == memorization_profile::paper ? twice > available  // mean > 0.5
                                                                     : twice >= history_;  // sum >= h/2
      memorized_[k] = memorized ? 1 : 0;
      memorized_count_ += memorized ? 1u : 0u;
    }
  }

  std::size_t instances_;
  std::size_t history_;
  memorization_profile profile_;
  index_t block_users_;

  std::vector<std::uint8_t> ring_;      // instances x history states
  std::vector<std::uint16_t> sums_;     // per instance, sum of its ring
  std::vector<std::uint8_t> memorized_, last_test_, tested_;
  std::size_t memorized_count_ = 0;
  std::size_t tests_run_ = 0;
  std::size_t last_epoch_ = 0;

  // host-side grouping (reused from epoch to epoch)
  std::vector<std::size_t> row_start_, fill_, rows_, item_start_;
  std::vector<index_t> positives_, active_users_;
  std::vector<index_t> host_users_, host_take_, host_cand_items_, host_cand_rows_;
  std::vector<offset_t> host_offsets_, host_probe_;
  std::vector<std::size_t> host_probe_rows_;
  std::vector<scalar> host_result_;

  // backend buffers
  typename B::index_vector users_, take_, cand_items_, cand_rows_, top_;
  typename B::offset_vector offsets_, probe_;
  typename B::matrix scores_;
  typename B::vector candidates_, flags_, result_;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
