// Shared checks and reshapes of the CTR models.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "../../../backends/detail/kernels.hpp"
#include "../../../core/error.hpp"
#include "../../../core/types.hpp"
#include "../../../data/field_batch.hpp"
#include "kernels.hpp"

namespace denoise {
namespace models {
namespace ctr_detail {

/// The field cardinalities, checked (at least one field, each positive); returns their sum.
inline index_t total_cardinality(const std::vector<index_t>& field_dims, const char* model) {
  if (field_dims.empty()) throw config_error(std::string(model) + ": needs at least one field");
  index_t total = 0;
  for (std::size_t f = 0; f < field_dims.size(); ++f) {
    if (field_dims[f] <= 0) {
      throw config_error(std::string(model) + ": field " + std::to_string(f) + " has cardinality " +
                         std::to_string(field_dims[f]));
    }
    if (field_dims[f] > std::numeric_limits<index_t>::max() - total) {
      throw config_error(std::string(model) + ": the field cardinalities add up to more than " +
                         std::to_string(std::numeric_limits<index_t>::max()) + " (one shared embedding table)");
    }
    total += field_dims[f];
  }
  return total;
}

/// Throws config_error unless the batch has the model's number of fields and whole rows.
template <class B>
void require_fields(const data::field_batch<B>& batch, std::size_t fields, const char* model) {
  if (batch.fields != static_cast<index_t>(fields) || batch.index.size() % fields != 0) {
    throw config_error(std::string(model) + "::forward: a batch of " + std::to_string(batch.fields) +
                       " fields and " + std::to_string(batch.index.size()) + " ids, the model has " +
                       std::to_string(fields) + " fields");
  }
}

/// dst = src seen as rows x cols (the same row-major elements).
template <class B>
void reshape(const typename B::matrix& src, index_t rows, index_t cols, typename B::matrix& dst) {
  if (static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) != src.size()) {
    throw config_error("reshape: " + std::to_string(src.size()) + " elements into " + std::to_string(rows) + "x" +
                       std::to_string(cols));
  }
  dst.resize(rows, cols);
  B::launch(src.size(), backends::kernels::copy<typename B::scalar>{B::ptr(src), B::ptr(dst)});
}

/// out[:, offset .. offset + in.cols()) = in: one row per index, a contiguous copy each (the
/// concatenation of a model's blocks; models/detail/ops.hpp's put_cols is per element).
template <class B>
void put_block(const typename B::matrix& in, typename B::matrix& out, index_t offset) {
  if (in.rows() != out.rows() || offset < 0 || offset + in.cols() > out.cols()) {
    throw config_error("put_block: a " + std::to_string(in.rows()) + "x" + std::to_string(in.cols()) +
                       " block does not fit a " + std::to_string(out.rows()) + "x" + std::to_string(out.cols()) +
                       " matrix at column " + std::to_string(offset));
  }
  const auto cols = static_cast<std::size_t>(in.cols());
  B::launch(static_cast<std::size_t>(in.rows()),
            ctr_kernels::put_row_block<typename B::scalar>{B::ptr(in), B::ptr(out), cols,
                                                           static_cast<std::size_t>(out.cols()),
                                                           static_cast<std::size_t>(offset)},
            cols);
}

/// out = in[:, offset .. offset + cols), one row per index.
template <class B>
void take_block(const typename B::matrix& in, index_t offset, index_t cols, typename B::matrix& out) {
  if (offset < 0 || cols < 0 || offset + cols > in.cols()) throw config_error("take_block: columns out of range");
  out.resize(in.rows(), cols);
  B::launch(static_cast<std::size_t>(in.rows()),
            ctr_kernels::take_row_block<typename B::scalar>{B::ptr(in), B::ptr(out),
                                                            static_cast<std::size_t>(in.cols()),
                                                            static_cast<std::size_t>(cols),
                                                            static_cast<std::size_t>(offset)},
            static_cast<std::size_t>(cols));
}

/// Throws config_error unless dlogits has one entry per row of the last forward.
inline void require_dlogits(std::size_t dlogits, std::size_t rows, bool forwarded, const char* model) {
  if (!forwarded) throw config_error(std::string(model) + "::backward called before forward");
  if (dlogits != rows) {
    throw config_error(std::string(model) + "::backward: " + std::to_string(dlogits) +
                       " logit gradients for a forward of " + std::to_string(rows) + " rows");
  }
}

}  // namespace ctr_detail
}  // namespace models
}  // namespace denoise
