// TopK: per mini-batch, keep the k = round(ratio x rows) instances most likely to be selected
// (the validation phase of AutoDenoise, Lin et al.: ratio 0.98, so 2007 of a 2048-row batch and
// 1418 of a last partial batch of 1447). The rest get action 0; kept instances keep their order.
//
//   probs: rows x 1 (the select probability) or rows x 2 (column 1 = select)
//   actions[r] = 1 for a kept row, 0 otherwise
//
// select() treats its rows as one batch; select_batches() splits them into consecutive batches
// of `batch_rows` (the last one partial) and ranks them all with one segmented top-k. Ties go to
// the lower row (the backend's segmented_topk contract); NaN probabilities rank lowest.
// The ratio must lie in (0, 1]; otherwise config_error with the field 'ratio'.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace rl {

namespace detail {

/// scores[r] = probs[r, col]
template <class S>
struct take_column {
  const S* probs;
  S* scores;
  std::size_t cols;
  std::size_t col;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const { scores[r] = probs[r * cols + col]; }
};

template <class T>
struct fill_value {
  T* out;
  T value;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = value; }
};

/// Entry j of the segmented top-k (segment j / k, rank j % k): marks its row as kept when the
/// rank is below the segment's own k (the last segment may keep fewer).
struct mark_kept {
  const index_t* top;         // segments x k positions relative to the segment start (-1 pads)
  const offset_t* offsets;    // segments + 1
  index_t* actions;
  std::size_t k;
  std::size_t segments;
  std::size_t last_k;         // k of the last segment
  DENOISE_HOST_DEVICE void operator()(std::size_t j) const {
    const std::size_t segment = j / k;
    const std::size_t rank = j - segment * k;
    const std::size_t keep = segment + 1 == segments ? last_k : k;
    const index_t position = top[j];
    if (rank < keep && position >= 0) actions[offsets[segment] + position] = index_t(1);
  }
};

}  // namespace detail

class TopK {
 public:
  static constexpr const char* name() { return "top_k"; }

  /// Throws config_error (field 'ratio') unless 0 < ratio <= 1.
  explicit TopK(double ratio = 0.98) : ratio_(ratio) {
    if (!(ratio > 0.0 && ratio <= 1.0)) {
      throw config_error("TopK ratio must lie in (0, 1], got " + std::to_string(ratio), location::of_field("ratio"));
    }
  }

  double ratio() const noexcept { return ratio_; }
  /// round(ratio x rows): the instances a batch of `rows` keeps.
  std::size_t keep_count(std::size_t rows) const noexcept { return keep_count(ratio_, rows); }
  static std::size_t keep_count(double ratio, std::size_t rows) noexcept {
    const auto k = static_cast<std::size_t>(std::llround(ratio * static_cast<double>(rows)));
    return k < rows ? k : rows;
  }

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using matrix = typename B::matrix;
    using index_vector = typename B::index_vector;

    State(const TopK& policy, std::uint64_t /*seed*/) : ratio_(policy.ratio_) {}

    /// One batch: keeps its round(ratio x rows) most probable rows. ids (one per row) are only
    /// checked for size; the selection does not depend on them.
    void select(const matrix& probs, const index_vector& ids, index_vector& actions) {
      if (ids.size() != static_cast<std::size_t>(probs.rows())) {
        throw config_error("TopK: " + std::to_string(ids.size()) + " instance ids for " +
                               std::to_string(probs.rows()) + " rows of probabilities",
                           location::of_field("ids"));
      }
      select_batches(probs, static_cast<std::size_t>(probs.rows()), actions);
    }

    /// Consecutive batches of `batch_rows` rows (the last one may be shorter), each keeping its
    /// own round(ratio x its rows) most probable rows.
    void select_batches(const matrix& probs, std::size_t batch_rows, index_vector& actions) {
      const auto rows = static_cast<std::size_t>(probs.rows());
      const auto cols = static_cast<std::size_t>(probs.cols());
      if (cols != 1 && cols != 2) {
        throw config_error("TopK needs 1 (select probability) or 2 (deselect, select) probability columns, got " +
                               std::to_string(cols),
                           location::of_field("probs"));
      }
      if (actions.size() != rows) actions.resize(rows);
      if (rows == 0) return;
      if (batch_rows == 0) throw config_error("TopK: batch size must be positive", location::of_field("batch_rows"));
      B::launch(rows, detail::fill_value<index_t>{B::ptr(actions), index_t(0)});

      const std::size_t segments = (rows + batch_rows - 1) / batch_rows;
      const std::size_t last_rows = rows - (segments - 1) * batch_rows;
      const std::size_t k = TopK::keep_count(ratio_, segments == 1 ? rows : batch_rows);
      const std::size_t last_k = TopK::keep_count(ratio_, last_rows);
      if (k == 0) return;

      scores_.resize(rows);
      B::launch(rows, detail::take_column<scalar>{B::ptr(probs), B::ptr(scores_), cols, cols - 1});
      if (host_offsets_.size() != segments + 1 || batch_rows_ != batch_rows || rows_ != rows) {
        host_offsets_.resize(segments + 1);
        for (std::size_t s = 0; s < segments; ++s) host_offsets_[s] = static_cast<offset_t>(s * batch_rows);
        host_offsets_[segments] = static_cast<offset_t>(rows);
        B::from_host(host_offsets_, offsets_);
        batch_rows_ = batch_rows;
        rows_ = rows;
      }
      B::segmented_topk(scores_, offsets_, static_cast<index_t>(k), top_);
      B::launch(segments * k,
                detail::mark_kept{B::ptr(top_), B::ptr(offsets_), B::ptr(actions), k, segments, last_k});
    }

   private:
    double ratio_;
    typename B::vector scores_;
    typename B::offset_vector offsets_;
    typename B::index_vector top_;
    std::vector<offset_t> host_offsets_;
    std::size_t batch_rows_ = 0;
    std::size_t rows_ = 0;
  };

 private:
  double ratio_;
};

}  // namespace rl
}  // namespace denoise
