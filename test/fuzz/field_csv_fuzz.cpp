// libFuzzer target: the CTR field readers (AutoDenoise CSV, generic CSV with a header) on arbitrary
// bytes. The first byte picks the reader and its options; the rest is the file, written to a
// per-process temporary path because the readers take paths. Any input must either load or throw
// a denoise::error — never crash, hang or trip a sanitizer — and a load must hold its invariants.
#include <denoise/data/ctr_csv.hpp>
#include <denoise/data/field_batch.hpp>

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

const std::string& temp_path() {
  static const std::string path = "/tmp/denoise_field_csv_fuzz_" + std::to_string(::getpid()) + ".csv";
  return path;
}

void check(const denoise::data::FieldDataset& d) {
  if (d.empty() || d.labels().size() != d.size()) std::abort();
  long long total = 0;
  for (std::size_t f = 0; f < d.n_fields(); ++f) {
    if (d.cardinality(f) <= 0) std::abort();
    total += d.cardinality(f);
  }
  if (total != d.total_cardinality()) std::abort();
  for (std::size_t r = 0; r < d.size(); ++r) {
    if (d.labels()[r] != 0.0f && d.labels()[r] != 1.0f) std::abort();
    for (std::size_t f = 0; f < d.n_fields(); ++f)
      if (d.code(r, f) < 0 || d.code(r, f) >= d.cardinality(f)) std::abort();
  }
  const auto offsets = denoise::data::field_offsets(d.cardinalities());
  if (offsets.size() != d.n_fields() || offsets[0] != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dd = denoise::data;
  if (size == 0) return 0;
  const unsigned mode = data[0];
  {
    std::ofstream out(temp_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  try {
    if ((mode & 1u) == 0) {
      const std::size_t fields = 1 + ((mode >> 1) & 7u);  // 1..8 field columns, then the label
      const auto parts = dd::read_autodenoise_csv({temp_path()}, fields);
      if (parts.size() != 1 || parts[0].n_fields() != fields) std::abort();
      check(parts[0]);
    } else {
      dd::field_csv_options o;
      o.fields = (mode & 2u) ? std::vector<std::string>{"user", "item"} : std::vector<std::string>{"item"};
      o.label = "click";
      o.delimiter = (mode & 4u) ? "\t" : ",";
      const dd::FieldDataset d = dd::read_field_csv(temp_path(), o);
      if (d.n_fields() != o.fields.size()) std::abort();
      check(d);
    }
  } catch (const denoise::error&) {
    // a named error is a correct answer to a bad file
  }
  return 0;
}
