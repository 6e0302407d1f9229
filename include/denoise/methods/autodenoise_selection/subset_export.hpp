// The denoised subset of a CTR training set, saved in the input's format: write_subset_rows_csv
// writes the rows of the kept instances (in dataset order) as an AutoDenoise CSV file, F integer
// field codes then the 0/1 label, no header, which data::read_autodenoise_csv reads back; read it
// together with the validation and test files so the cardinalities agree. The instance ids
// themselves go through data::write_subset_csv / write_subset_npy, and apply to any copy of the
// training data with train::rows_of_instances (the transfer experiment: train FM, Wide&Deep,
// DCN or IPNN on DeepFM's subset). Written atomically.
#pragma once

#include <cinttypes>
#include <cstdio>
#include <string>

#include "../../core/atomic_file.hpp"
#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../data/field_dataset.hpp"
#include "../../train/selection_context.hpp"

namespace denoise {
namespace methods {

/// Writes the rows of `rows` whose instance ids are in `ids` as AutoDenoise CSV at `path`.
inline void write_subset_rows_csv(const data::FieldDataset& rows, span<const offset_t> ids, const std::string& path) {
  const data::FieldDataset kept = train::rows_of_instances(rows, ids);
  const std::size_t nf = kept.n_fields();
  const auto labels = kept.labels();
  atomic_write(path, [&](std::FILE* f) {
    char buf[32];
    for (std::size_t r = 0; r < kept.size(); ++r) {
      const auto codes = kept.row(r);
      for (std::size_t k = 0; k < nf; ++k) {
        const int n = std::snprintf(buf, sizeof buf, "%" PRId64 ",", static_cast<std::int64_t>(codes[k]));
        if (std::fwrite(buf, 1, static_cast<std::size_t>(n), f) != static_cast<std::size_t>(n)) {
          throw io_error("write failed", location::in_file(path));
        }
      }
      const char* label = labels[r] > 0.5f ? "1\n" : "0\n";
      if (std::fwrite(label, 1, 2, f) != 2) throw io_error("write failed", location::in_file(path));
    }
  });
}

}  // namespace methods
}  // namespace denoise
