// How a batch's logits are laid out for a loss: `groups` groups of `group_size` logits, each group
// one positive interaction followed by its sampled negatives (group_size = 1 + negatives), or, for
// a plain labelled (CTR) batch, groups of size 1. A loss turns the logits into per-sample values;
// what a "sample" is depends on the loss (see each loss's sample_count).
#pragma once

#include <cstddef>
#include <string>

#include "../core/error.hpp"

namespace denoise {
namespace losses {

struct layout {
  std::size_t groups = 0;
  std::size_t group_size = 1;

  std::size_t logits() const noexcept { return groups * group_size; }
  std::size_t negatives() const noexcept { return group_size - 1; }

  void require(std::size_t logit_count, const char* loss) const {
    if (group_size == 0 || logit_count != logits()) {
      throw config_error(std::string(loss) + ": " + std::to_string(logit_count) + " logits do not form " +
                         std::to_string(groups) + " groups of " + std::to_string(group_size));
    }
  }
};

}  // namespace losses
}  // namespace denoise
