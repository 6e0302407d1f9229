// libFuzzer target: the generic delimited reader on arbitrary bytes. The first byte picks the
// options (separator, header, skipping, optional columns); the rest is the file content. Any input
// must either load or throw a denoise::error — never crash, hang or trip a sanitizer.
#include <denoise/data/delimited_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dd = denoise::data;
  if (size == 0) return 0;
  const unsigned mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  dd::ReadOptions opt;
  static const char* const separators[] = {",", "\t", "::", "|"};
  if ((mode & 7u) >= 4u)
    opt.blanks = (mode & 7u) == 4u;
  if (!opt.blanks) opt.delimiter = separators[mode & 3u];
  opt.header = (mode & 8u) != 0;
  opt.skip_bad_lines = (mode & 16u) != 0;
  opt.comment = (mode & 32u) ? '#' : '\0';
  dd::ColumnMapping map;
  if (opt.header) {
    map.user = dd::Column::named("u");
    map.item = dd::Column::named("i");
    if (mode & 64u) map.rating = dd::Column::named("r");
    if (mode & 128u) map.features.emplace_back("f", dd::Column::named("f"));
  } else {
    if (mode & 64u) map.rating = dd::Column::at(2);
    if (mode & 128u) {
      map.timestamp = dd::Column::at(3);
      map.features.emplace_back("f", dd::Column::at(4));
    }
  }
  try {
    dd::LoadReport report;
    const dd::Interactions d = dd::read_delimited_text(text, "fuzz-input", map, opt, &report);
    // Invariants of a successful load.
    if (d.size() != report.records || d.size() == 0) std::abort();
    if (static_cast<std::size_t>(d.n_users()) > d.size() || static_cast<std::size_t>(d.n_items()) > d.size()) std::abort();
    for (std::size_t k = 0; k < d.size(); ++k) {
      if (d.users()[k] < 0 || d.users()[k] >= d.n_users()) std::abort();
      if (d.items()[k] < 0 || d.items()[k] >= d.n_items()) std::abort();
      if (d.ratings()[k] != d.ratings()[k]) std::abort();  // NaN must never get through
    }
    for (std::size_t f = 0; f < d.n_fields(); ++f)
      for (auto c : d.field(f))
        if (c < 0 || c >= d.field_cardinality(f)) std::abort();
    const auto index = d.by_user();
    if (index.nnz() > d.size()) std::abort();
  } catch (const denoise::error&) {
    // Bad input is reported as an error: that is the expected outcome for most inputs.
  }
  return 0;
}
