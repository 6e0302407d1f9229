// Full-ranking evaluation over all items: for every user with at least one test item, score all
// items, leave out the user's training positives, take the top max(K) by partial selection and
// compare it with the user's test items. Users are scored in blocks (one scorer call per block)
// and ranked in parallel with OpenMP; per-user values are summed in user order, so the result is
// bit-identical whatever the thread count.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "ranking_result.hpp"
#include "top_k.hpp"

namespace denoise {
namespace metrics {

/// How each user's top K is found. `partial` is the library's method; `full_sort` (sort every
/// candidate) exists as the baseline of the benchmark and the tests. Both give the same lists.
enum class top_k_method { partial, full_sort };

struct ranking_options {
  std::vector<int> ks{20};                   ///< cut-offs, each > 0
  index_t block_users = 256;                 ///< users per scorer call
  int threads = 0;                           ///< OpenMP threads; 0 = the OpenMP default
  top_k_method method = top_k_method::partial;
};

/// Evaluates ranking metrics. Keeps its work buffers between calls (one per thread and one score
/// block), so evaluating every epoch allocates only on the first call.
///
/// The scorer is called from the calling thread, once per block of users, in one of two forms:
///  - `void(span<const index_t> users, span<float> scores)` writes users.size() x n_items scores,
///    row-major, higher = better, into the evaluator's block;
///  - `span<float>(span<const index_t> users)` returns those scores in storage of its own, which
///    the evaluator may overwrite until the next call (it writes NaN over excluded items). A model
///    that scores into host float memory hands its block over without a copy.
class ranking_evaluator {
 public:
  explicit ranking_evaluator(ranking_options options = {}) : options_(std::move(options)) {
    detail::check_ks(options_.ks);
    if (options_.block_users <= 0) {
      throw config_error("must be positive (got " + std::to_string(options_.block_users) + ")",
                         location::of_field("block_users"));
    }
    if (options_.threads < 0) {
      throw config_error("must be >= 0 (got " + std::to_string(options_.threads) + ")",
                         location::of_field("threads"));
    }
    for (const int k : options_.ks) max_k_ = std::max(max_k_, static_cast<std::size_t>(k));
    discount_ = detail::rank_discounts(max_k_);
  }

  const ranking_options& options() const noexcept { return options_; }

  /// `train` and `test` have one row per user (the same number of rows); `train` rows are the
  /// items left out of each user's ranking, `test` rows (sorted, as csr_view promises) are the
  /// relevant items. Throws input_error on malformed views, ids outside [0, n_items) or a NaN score.
  template <class Scorer>
  ranking_result evaluate(Scorer&& scorer, index_t n_items, csr_view train, csr_view test) {
    if (n_items <= 0) {
      throw config_error("must be positive (got " + std::to_string(n_items) + ")", location::of_field("n_items"));
    }
    check_csr(train, n_items, "train", false);
    check_csr(test, n_items, "test", true);
    if (train.rows() != test.rows()) {
      throw input_error("has " + std::to_string(train.rows()) + " users but the test set has " +
                            std::to_string(test.rows()),
                        location::of_field("train"));
    }
    const auto items = static_cast<std::size_t>(n_items);
    const std::size_t nk = options_.ks.size();
    const auto block = static_cast<std::size_t>(options_.block_users);
    const int threads = thread_count();
    constexpr bool owns_scores = is_owning_scorer<Scorer>::value;
    prepare(static_cast<std::size_t>(threads), items, block, nk, !owns_scores);

    ranking_result result;
    result.at.resize(nk);
    std::vector<double> sums(nk * 5, 0.0);
    const std::size_t n_users = test.rows();
    std::size_t next = 0;
    while (next < n_users) {
      users_.clear();
      for (; next < n_users && users_.size() < block; ++next) {
        if (test.row_size(next) > 0) users_.push_back(static_cast<index_t>(next));
      }
      if (users_.empty()) break;
      const std::size_t count = users_.size();
      float* scores = score_block(scorer, count, items);
      rank_block(scores, count, items, train, test, threads);
      for (std::size_t j = 0; j < count; ++j) {
        if (nan_item_[j] >= 0) {
          throw input_error("score of user " + std::to_string(users_[j]) + ", item " +
                                std::to_string(nan_item_[j]) + " is NaN",
                            location::of_field("scores"));
        }
      }
      // Fixed-order sum: user by user, whatever thread ranked them.
      for (std::size_t j = 0; j < count; ++j) {
        const ranking_at_k* m = per_user_.data() + j * nk;
        for (std::size_t q = 0; q < nk; ++q) {
          sums[q * 5 + 0] += m[q].recall;
          sums[q * 5 + 1] += m[q].precision;
          sums[q * 5 + 2] += m[q].f1;
          sums[q * 5 + 3] += m[q].ndcg;
          sums[q * 5 + 4] += m[q].hit_rate;
        }
      }
      result.users_evaluated += count;
    }
    const double n = result.users_evaluated > 0 ? static_cast<double>(result.users_evaluated) : 1.0;
    for (std::size_t q = 0; q < nk; ++q) {
      ranking_at_k& a = result.at[q];
      a.k = options_.ks[q];
      a.recall = sums[q * 5 + 0] / n;
      a.precision = sums[q * 5 + 1] / n;
      a.f1 = sums[q * 5 + 2] / n;
      a.ndcg = sums[q * 5 + 3] / n;
      a.hit_rate = sums[q * 5 + 4] / n;
    }
    return result;
  }

 private:
  struct thread_buffers {
    std::vector<scored_item> top;     // candidate_capacity(max K) entries (partial) or n_items (full sort)
    std::vector<unsigned char> hit;  // max(K) flags
    std::vector<unsigned char> relevant;  // n_items flags, all 0 between users
  };

  // True for the scorer form that returns its own scores (see the class comment).
  template <class Scorer, class = void>
  struct is_owning_scorer : std::false_type {};
  template <class Scorer>
  struct is_owning_scorer<Scorer, std::enable_if_t<std::is_convertible<
                                      decltype(std::declval<Scorer&>()(std::declval<span<const index_t>>())),
                                      span<float>>::value>> : std::true_type {};

  // The scores of the `count` users in users_: the scorer's own block or the evaluator's.
  template <class Scorer>
  float* score_block(Scorer& scorer, std::size_t count, std::size_t items) {
    const span<const index_t> users(users_.data(), count);
    if constexpr (is_owning_scorer<Scorer>::value) {
      const span<float> scores = scorer(users);
      if (scores.size() != count * items) {
        throw input_error("the scorer returned " + std::to_string(scores.size()) + " scores for " +
                              std::to_string(count) + " users x " + std::to_string(items) + " items",
                          location::of_field("scores"));
      }
      return scores.data();
    } else {
      scorer(users, span<float>(scores_.data(), count * items));
      return scores_.data();
    }
  }

  int thread_count() const noexcept {
#if defined(_OPENMP)
    return options_.threads > 0 ? options_.threads : omp_get_max_threads();
#else
    return 1;
#endif
  }

  void prepare(std::size_t threads, std::size_t items, std::size_t block, std::size_t nk, bool score_block) {
    const std::size_t top_size =
        options_.method == top_k_method::partial ? detail::candidate_capacity(max_k_) : items;
    if (buffers_.size() < threads) buffers_.resize(threads);
    for (auto& b : buffers_) {
      if (b.top.size() < top_size) b.top.resize(top_size);
      if (b.hit.size() < max_k_) b.hit.resize(max_k_);
      if (b.relevant.size() < items) b.relevant.resize(items, 0);
    }
    if (score_block && scores_.size() < block * items) scores_.resize(block * items);
    if (per_user_.size() < block * nk) per_user_.resize(block * nk);
    if (nan_item_.size() < block) nan_item_.resize(block);
    users_.reserve(block);
  }

  static void check_csr(const csr_view& v, index_t n_items, const char* name, bool sorted) {
    if (v.offsets.empty()) {
      throw input_error("offsets must hold rows + 1 entries (got none)", location::of_field(name));
    }
    if (v.offsets[0] != 0) throw input_error("offsets[0] must be 0", location::of_field(name));
    const std::size_t rows = v.rows();
    for (std::size_t r = 0; r < rows; ++r) {
      if (v.offsets[r + 1] < v.offsets[r]) {
        throw input_error("offsets decrease at user " + std::to_string(r), location::of_field(name));
      }
    }
    if (static_cast<std::size_t>(v.offsets[rows]) != v.indices.size()) {
      throw input_error("last offset " + std::to_string(v.offsets[rows]) + " differs from the " +
                            std::to_string(v.indices.size()) + " stored items",
                        location::of_field(name));
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const auto row = v.row(r);
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] < 0 || row[i] >= n_items) {
          throw input_error("item " + std::to_string(row[i]) + " of user " + std::to_string(r) +
                                " is outside [0, " + std::to_string(n_items) + ")",
                            location::of_field(name));
        }
        if (sorted && i > 0 && row[i] < row[i - 1]) {
          throw input_error("items of user " + std::to_string(r) + " are not sorted", location::of_field(name));
        }
      }
    }
  }

  // Ranks the `count` users of the current block; never throws (a NaN is recorded in nan_item_).
  void rank_block(float* scores, std::size_t count, std::size_t items, const csr_view& train,
                  const csr_view& test, int threads) {
    const auto n = static_cast<std::ptrdiff_t>(count);
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 4) num_threads(threads)
#endif
    for (std::ptrdiff_t jj = 0; jj < n; ++jj) {
      const auto j = static_cast<std::size_t>(jj);
#if defined(_OPENMP)
      thread_buffers& buf = buffers_[static_cast<std::size_t>(omp_get_thread_num())];
#else
      thread_buffers& buf = buffers_[0];
#endif
      rank_user(scores + j * items, j, train, test, items, buf);
    }
    (void)threads;
  }

  void rank_user(float* row, std::size_t j, const csr_view& train, const csr_view& test, std::size_t items,
                 thread_buffers& buf) noexcept {
    const auto user = static_cast<std::size_t>(users_[j]);
    nan_item_[j] = -1;
    if (detail::any_nan(row, items)) {
      for (std::size_t i = 0; i < items; ++i) {
        if (std::isnan(row[i])) {
          nan_item_[j] = static_cast<index_t>(i);
          break;
        }
      }
      return;
    }
    // Training positives become NaN, which the selection skips.
    for (const index_t item : train.row(user)) row[static_cast<std::size_t>(item)] = std::nanf("");
    std::size_t got = 0;
    if (options_.method == top_k_method::partial) {
      got = detail::select_top_k(row, items, max_k_, buf.top.data(), buf.top.size());
    } else {
      got = detail::full_sort_top_k(row, items, max_k_, buf.top.data());
    }
    const auto relevant = test.row(user);
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < relevant.size(); ++i) distinct += (i == 0 || relevant[i] != relevant[i - 1]) ? 1u : 0u;
    // Hits by flags, set and cleared per user: a binary search per ranked item mispredicts.
    for (const index_t item : relevant) buf.relevant[static_cast<std::size_t>(item)] = 1;
    for (std::size_t r = 0; r < got; ++r) buf.hit[r] = buf.relevant[static_cast<std::size_t>(buf.top[r].item)];
    for (const index_t item : relevant) buf.relevant[static_cast<std::size_t>(item)] = 0;
    detail::user_metrics(buf.hit.data(), got, distinct, span<const int>(options_.ks), discount_.data(),
                         per_user_.data() + j * options_.ks.size());
  }

  ranking_options options_;
  std::size_t max_k_ = 0;
  std::vector<double> discount_;
  std::vector<thread_buffers> buffers_;
  std::vector<float> scores_;
  std::vector<ranking_at_k> per_user_;
  std::vector<index_t> nan_item_;
  std::vector<index_t> users_;
};

/// One-shot evaluation; see ranking_evaluator::evaluate.
template <class Scorer>
ranking_result evaluate_ranking(Scorer&& scorer, index_t n_items, csr_view train, csr_view test,
                                ranking_options options = {}) {
  ranking_evaluator evaluator(std::move(options));
  return evaluator.evaluate(std::forward<Scorer>(scorer), n_items, train, test);
}

}  // namespace metrics
}  // namespace denoise
