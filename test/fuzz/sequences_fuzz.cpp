// libFuzzer target: the sequential task's input path on arbitrary bytes: the delimited reader
// (user, item, rating, timestamp), chronological Sequences, the iterated k-core filter and both
// evaluation protocols. The first byte picks k, the protocol and the separator. Any input must
// load or throw a denoise::error; a result must keep every index in range and every holdout's
// history inside its user's sequence.
#include <denoise/data/core_filter.hpp>
#include <denoise/data/delimited_reader.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequences.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

void check_holdout(const denoise::data::sequence_holdout& h, const denoise::data::Sequences& s) {
  if (h.offsets.size() != h.users.size() + 1 || h.history.size() != h.users.size()) std::abort();
  for (std::size_t k = 0; k < h.size(); ++k) {
    const auto u = h.users[k];
    if (u < 0 || u >= s.n_users()) std::abort();
    if (h.history[k] < 0 || static_cast<std::size_t>(h.history[k]) >= s.length(u)) std::abort();
    if (h.offsets[k + 1] <= h.offsets[k]) std::abort();  // a held-out user has a target
  }
  for (auto i : h.targets)
    if (i < 0 || i >= s.n_items()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dd = denoise::data;
  if (size == 0) return 0;
  const unsigned mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  dd::ReadOptions opt;
  opt.delimiter = (mode & 1u) ? "\t" : ",";
  dd::ColumnMapping map;
  map.rating = dd::Column::at(2);
  map.timestamp = dd::Column::at(3);
  const std::size_t k = (mode >> 1) & 7u;  // 0..7; 0 and 1 keep everything
  dd::sequence_protocol_options po;
  po.protocol = (mode & 16u) ? dd::sequence_protocol::leave_one_out : dd::sequence_protocol::chronological;
  try {
    const dd::Interactions in = dd::read_delimited_text(text, "fuzz-input", map, opt);
    const dd::Sequences all = dd::Sequences::from(in);
    if (all.size() != in.size()) std::abort();
    dd::core_filter_report report;
    const dd::Sequences s = dd::core_filter(all, k, &report);
    if (s.size() > all.size()) std::abort();
    std::vector<std::size_t> item_count(static_cast<std::size_t>(s.n_items()), 0);
    for (denoise::index_t u = 0; u < s.n_users(); ++u) {
      if (s.length(u) < k) std::abort();  // the k-core holds after filtering, for users...
      for (auto i : s.items_of(u)) {
        if (i < 0 || i >= s.n_items()) std::abort();
        ++item_count[static_cast<std::size_t>(i)];
      }
    }
    for (std::size_t c : item_count)
      if (c < k) std::abort();  // ...and for items
    const dd::sequence_split split = dd::split_sequences(s, po);
    if (split.train_size() > s.size()) std::abort();
    for (denoise::index_t u = 0; u < s.n_users(); ++u)
      if (static_cast<std::size_t>(split.train_length[static_cast<std::size_t>(u)]) > s.length(u)) std::abort();
    check_holdout(split.valid, s);
    check_holdout(split.test, s);
  } catch (const denoise::error&) {
    // Bad input is reported as an error.
  }
  return 0;
}
