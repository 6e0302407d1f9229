// libFuzzer target: the three-file split loader on arbitrary bytes. The first byte picks the
// options (separator, flag column, unseen-id policy, id layout); the rest holds the three files,
// separated by the byte 0x1E (a record separator that real split files do not contain). Any input
// must either load or throw a denoise::error — never crash, hang or trip a sanitizer.
#include <denoise/data/split_files.hpp>
#include <denoise/metrics/holdout_target.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dd = denoise::data;
  if (size == 0) return 0;
  const unsigned mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view part[3];
  for (int p = 0; p < 2; ++p) {
    const std::size_t cut = rest.find('\x1e');
    if (cut == std::string_view::npos) {
      part[p] = rest;
      rest = {};
    } else {
      part[p] = rest.substr(0, cut);
      rest.remove_prefix(cut + 1);
    }
  }
  part[2] = rest;

  dd::SplitFileOptions opt;
  opt.blanks = (mode & 1u) != 0;
  if (!opt.blanks) opt.delimiter = (mode & 2u) ? "," : "\t";
  static const dd::FlagColumn flags[] = {dd::FlagColumn::optional, dd::FlagColumn::required,
                                         dd::FlagColumn::absent, dd::FlagColumn::optional};
  opt.flag = flags[(mode >> 2) & 3u];
  static const dd::UnseenIds unseen[] = {dd::UnseenIds::keep, dd::UnseenIds::drop, dd::UnseenIds::error,
                                         dd::UnseenIds::keep};
  opt.unseen = unseen[(mode >> 4) & 3u];
  opt.ids = (mode & 64u) ? dd::IdLayout::raw : dd::IdLayout::dense;
  opt.raw_id_limit = 100000;  // keeps the raw layout's tables small under the fuzzer's memory limit
  try {
    dd::SplitFileReport report;
    const dd::Split s = dd::load_split_text(part[0], part[1], part[2], opt, &report);
    // Invariants of a successful load.
    if (s.train.size() == 0 || s.train.size() != report.train.records) std::abort();
    if (s.validation.size() + s.test.size() + s.report.dropped.size() !=
        report.validation.records + report.test.records)
      std::abort();
    if (s.train.shared_user_ids() != s.test.shared_user_ids() ||
        s.train.shared_item_ids() != s.validation.shared_item_ids())
      std::abort();
    for (const dd::Interactions* d : {&s.train, &s.validation, &s.test})
      for (std::size_t k = 0; k < d->size(); ++k) {
        if (d->users()[k] < 0 || d->users()[k] >= d->n_users()) std::abort();
        if (d->items()[k] < 0 || d->items()[k] >= d->n_items()) std::abort();
        if (d->noisy()[k] > 1 || d->labels()[k] != 1.0f) std::abort();
      }
    const auto t = denoise::metrics::holdout_target::test(s);
    if (t.exclude().nnz() > s.train.size() + s.validation.size()) std::abort();
    if (t.relevant().nnz() > s.test.size()) std::abort();
  } catch (const denoise::error&) {
    // Bad input is reported as an error: that is the expected outcome for most inputs.
  }
  return 0;
}
