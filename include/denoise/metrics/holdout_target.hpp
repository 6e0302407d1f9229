// The ranking targets of a train / validation / test split under SGDL's evaluation protocol:
//   validation: exclude = the user's training items,              relevant = validation items;
//   test:       exclude = the user's training ∪ validation items, relevant = test items.
// Ranking is over every item index (the full id space of the split's shared IdMap), so the
// evaluator gets n_items() candidates per user minus the excluded ones. Validation relevance ignores
// the noise flags by default (SGDL validates on its noisy valid split); relevance::clean_only keeps
// the rows whose ground-truth `noisy` flag is 0.
//
// The metrics themselves are ranking_evaluator's. Its definitions were checked against SGDL's
// reference code (utils.py: RecallPrecision_ATk, NDCGatK_r; training.py: test) and agree:
// precision = hits / K, recall = hits / |relevant|, NDCG with binary gains, discount
// 1 / log2(rank + 2) and IDCG over the first min(K, |relevant|) ranks, averaged over the users with
// at least one relevant item. (The reference counts a duplicated relevant row twice in |relevant|;
// a CSR row here holds distinct items, and SGDL's files have no duplicates.) So no option is needed.
//
// holdout_target owns its CSR rows; target() hands out views (train::ranking_target), which stay
// valid while the holdout_target lives.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "../data/csr_index.hpp"
#include "../data/interactions.hpp"
#include "../data/split.hpp"
#include "../train/options.hpp"

namespace denoise {
namespace metrics {

/// Which rows of the evaluated part count as relevant.
enum class relevance {
  all,        ///< every positive row (label > 0), noisy or not
  clean_only  ///< positive rows whose ground-truth noisy flag is 0
};

class holdout_target {
 public:
  /// Validation target: exclude the training items, relevant = validation rows.
  static holdout_target validation(const data::Split& split, relevance which = relevance::all) {
    return build({&split.train}, split.validation, which, "validation");
  }

  /// Test target: exclude the training and the validation items, relevant = test rows.
  static holdout_target test(const data::Split& split, relevance which = relevance::all) {
    return build({&split.train, &split.validation}, split.test, which, "test");
  }

  /// General form: exclude every item of `excluded` parts, relevant = rows of `evaluated`. All
  /// parts must share one pair of id maps (as splits and loaders make them); otherwise config_error.
  static holdout_target build(const std::vector<const data::Interactions*>& excluded,
                              const data::Interactions& evaluated, relevance which = relevance::all,
                              const std::string& name = "evaluated") {
    holdout_target out;
    out.n_users_ = evaluated.n_users();
    out.n_items_ = evaluated.n_items();
    std::vector<index_t> users, items;
    for (const data::Interactions* part : excluded) {
      if (part == nullptr) throw config_error("null part", location::of_field("excluded"));
      if (part->shared_user_ids() != evaluated.shared_user_ids() ||
          part->shared_item_ids() != evaluated.shared_item_ids())
        throw config_error("does not share the id maps of the excluded parts", location::of_field(name));
      users.insert(users.end(), part->users().begin(), part->users().end());
      items.insert(items.end(), part->items().begin(), part->items().end());
    }
    const auto n = static_cast<std::size_t>(out.n_users_);
    out.exclude_ = data::CsrIndex::build(users, items, n);
    users.clear();
    items.clear();
    const auto labels = evaluated.labels();
    const auto noisy = evaluated.noisy();
    for (std::size_t k = 0; k < evaluated.size(); ++k) {
      if (!(labels[k] > 0.0f)) continue;
      if (which == relevance::clean_only && noisy[k] != 0) continue;
      users.push_back(evaluated.users()[k]);
      items.push_back(evaluated.items()[k]);
    }
    out.relevant_ = data::CsrIndex::build(users, items, n);
    return out;
  }

  /// Items left out of each user's ranking (one row per user).
  csr_view exclude() const noexcept { return exclude_.view(); }
  /// Relevant items of each user (sorted, distinct; empty rows are not evaluated).
  csr_view relevant() const noexcept { return relevant_.view(); }
  /// Both, as the trainer's evaluator takes them.
  train::ranking_target target() const noexcept { return train::ranking_target{exclude(), relevant()}; }

  index_t n_users() const noexcept { return n_users_; }
  /// Number of ranked candidates before exclusion (the split's whole item id space).
  index_t n_items() const noexcept { return n_items_; }
  /// Users with at least one relevant item: the users an evaluation averages over.
  std::size_t users_evaluated() const noexcept {
    std::size_t count = 0;
    for (std::size_t u = 0; u < relevant_.rows(); ++u) count += relevant_.row_size(u) > 0 ? 1u : 0u;
    return count;
  }

 private:
  data::CsrIndex exclude_, relevant_;
  index_t n_users_ = 0, n_items_ = 0;
};

}  // namespace metrics
}  // namespace denoise
