// The seq family's data (--task seq): the interactions --data names as per-user chronological
// sequences (timestamps; ties keep the file order), the iterated k-core filter (--core, 10 by
// default), and one of the two protocols of data/sequence_protocol.hpp: chronological 4:1:1
// (--ratios) or leave-one-out next item. Train keeps every interaction; validation and test
// targets are true positives only (rating >= --noisy-below). One preparation serves every method
// and seed: the protocols are deterministic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <denoise/core/types.hpp>
#include <denoise/data/core_filter.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequences.hpp>

#include "../harness/experiment_config.hpp"
#include "../registry/task_registry.hpp"

namespace denoise_cli {

/// The family's own data settings (--protocol, --window, --core, --keep-history).
struct seq_protocol_settings {
  denoise::data::sequence_protocol_options protocol;  ///< chronological (default) or leave-one-out
  denoise::index_t window = 10;                       ///< W: the most previous items an example sees
  std::size_t core = 10;                              ///< k of the k-core filter on users and items
  bool keep_history = false;                          ///< rank the user's history items too
};

struct seq_data final : task_data {
  const std::string& description() const override { return description_text; }

  denoise::data::sequence_split split;  ///< the filtered sequences and the protocol's parts
  denoise::data::core_filter_report filtered;
  /// Per training window (the batcher's instances): its id (the target's position in the flattened
  /// sequences), the target item, label 1, and the noise flag (target rated below --noisy-below).
  std::vector<denoise::offset_t> instances;
  std::vector<denoise::index_t> targets;
  std::vector<float> labels;
  std::vector<std::uint8_t> noisy;
  std::vector<denoise::index_t> users, positions;  ///< per training window, for the exports
  std::string description_text;

  denoise::index_t n_users() const { return split.sequences.n_users(); }
  denoise::index_t n_items() const { return split.sequences.n_items(); }
};

/// Loads, filters and cuts the data; an evaluation part without a user is an error naming the flag.
seq_data prepare_seq_data(const experiment_config& config, const seq_protocol_settings& settings);

}  // namespace denoise_cli
