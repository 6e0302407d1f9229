// libFuzzer target: data/duplicates.hpp (the CLI's --duplicates) on whatever the delimited reader
// makes of arbitrary bytes. The first byte picks the policy and the optional columns; the rest is
// the file. Any input must load and resolve, or throw a denoise::error; a resolved result must
// hold no repeated (user, item) pair and account for every removed row.
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/duplicates.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dd = denoise::data;
  if (size == 0) return 0;
  const unsigned mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  static const dd::DuplicatePolicy policies[] = {dd::DuplicatePolicy::error, dd::DuplicatePolicy::keep_first,
                                                 dd::DuplicatePolicy::keep_last, dd::DuplicatePolicy::sum};
  const dd::DuplicatePolicy policy = policies[mode & 3u];
  dd::ReadOptions opt;
  opt.delimiter = (mode & 4u) ? "\t" : ",";
  opt.skip_bad_lines = (mode & 8u) != 0;
  dd::ColumnMapping map;
  if (mode & 16u) map.rating = dd::Column::at(2);
  if (mode & 32u) map.timestamp = dd::Column::at(3);
  try {
    const dd::Interactions in = dd::read_delimited_text(text, "fuzz-input", map, opt);
    dd::DuplicateReport report;
    const dd::Interactions out = dd::resolve_duplicates(in, policy, &report, "fuzz-input");
    // Invariants of a resolved result.
    if (out.size() + report.removed != in.size()) std::abort();
    if ((report.pairs == 0) != (report.removed == 0)) std::abort();
    std::vector<std::pair<denoise::index_t, denoise::index_t>> pairs;
    pairs.reserve(out.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (out.users()[k] < 0 || out.users()[k] >= out.n_users()) std::abort();
      if (out.items()[k] < 0 || out.items()[k] >= out.n_items()) std::abort();
      if (out.ratings()[k] != out.ratings()[k]) std::abort();
      pairs.emplace_back(out.users()[k], out.items()[k]);
    }
    std::sort(pairs.begin(), pairs.end());
    if (std::adjacent_find(pairs.begin(), pairs.end()) != pairs.end()) std::abort();
  } catch (const denoise::error&) {
    // Bad input (or DuplicatePolicy::error on repeated pairs) is reported as an error.
  }
  return 0;
}
