// field_batch<B>: the device-side input of a CTR (feature-field) model. Row n is `fields` feature
// values; index[n * fields + f] is the value of field f shifted by that field's offset (the sum
// of the cardinalities of the fields before it), so one embedding table of
// FieldDataset::total_cardinality() rows serves every field (pytorch-fm's layout). A batcher fills
// it in place; labels, loss layout and instance ids travel beside it in a train::batch.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace data {

/// The batch tag of models that read rows of categorical feature fields.
struct fields_tag {
  static constexpr const char* name() { return "feature-field rows"; }
};

template <class B>
struct field_batch {
  using backend = B;
  using kind = fields_tag;
  typename B::index_vector index;  ///< rows x fields global feature ids, row-major
  index_t fields = 0;

  std::size_t size() const noexcept { return fields > 0 ? index.size() / static_cast<std::size_t>(fields) : 0; }
};

/// Offsets of each field in the shared feature table: offsets[f] = sum of cardinalities[0, f).
template <class Cards>
std::vector<index_t> field_offsets(const Cards& cardinalities) {
  std::vector<index_t> offsets;
  long long total = 0;  // wider than index_t: a sum that overflows is an error, not a wrap
  for (index_t c : cardinalities) {
    offsets.push_back(static_cast<index_t>(total));
    total += c;
    if (total > static_cast<long long>(std::numeric_limits<index_t>::max())) {
      throw config_error("field_offsets: the field cardinalities add up to more than " +
                         std::to_string(std::numeric_limits<index_t>::max()) + " (one shared embedding table)");
    }
  }
  return offsets;
}

}  // namespace data
}  // namespace denoise
