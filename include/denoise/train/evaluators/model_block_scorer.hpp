// model_block_scorer<B>: the scorer metrics::ranking_evaluator calls, for a model of backend B.
// It scores a block of users with model.score and hands the scores over as host floats: on a
// backend whose matrices are host std::vector<float> (backends::Eigen<float>) the model's own
// block, without a copy; elsewhere a host copy converted to float.
#pragma once

#include <algorithm>
#include <type_traits>
#include <vector>

#include "../../core/span.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace train {
namespace evaluators {

template <class B>
class model_block_scorer {
 public:
  /// True when the model's score matrix is already the host float block the evaluator reads.
  static constexpr bool scores_in_place =
      std::is_same<typename B::matrix::storage_type, std::vector<float>>::value;

  /// users.size() x model.items() scores, row-major, valid until the next call.
  template <class Model>
  span<float> operator()(Model& model, span<const index_t> users) {
    host_users_.assign(users.begin(), users.end());
    B::from_host(host_users_, users_);
    model.score(users_, scores_);
    if constexpr (scores_in_place) {
      return span<float>(scores_.values().data(), scores_.values().size());
    } else {
      B::to_host(scores_, host_scores_);
      floats_.resize(host_scores_.size());
      std::transform(host_scores_.begin(), host_scores_.end(), floats_.begin(),
                     [](typename B::scalar s) { return static_cast<float>(s); });
      return span<float>(floats_.data(), floats_.size());
    }
  }

 private:
  std::vector<index_t> host_users_;
  typename B::index_vector users_;
  typename B::matrix scores_;
  std::vector<typename B::scalar> host_scores_;  // only off the in-place path
  std::vector<float> floats_;
};

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
