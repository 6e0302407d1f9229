// The seq family's data (seq_data.hpp), compiled once (no model, no backend).
#include "seq_data.hpp"

#include <utility>

#include <denoise/core/error.hpp>

#include "../harness/load_interactions.hpp"

namespace denoise_cli {

seq_data prepare_seq_data(const experiment_config& config, const seq_protocol_settings& s) {
  namespace data = denoise::data;
  loaded_interactions loaded = load_interactions(config.data);
  // Rows with label 0 (a file's explicit negatives) are not interactions of a sequence.
  const auto& all = loaded.all;
  const data::Interactions observed = all.filter([&](std::size_t r) { return all.labels()[r] > 0.0f; });
  if (!observed.has_ratings())
    throw denoise::config_error("the sequential protocols need ratings to tell true positives (rating >= "
                                "--noisy-below) from noisy ones; map a rating column",
                                denoise::location::of_field("--data"));
  seq_data out;
  const auto sequences = data::core_filter(data::Sequences::from(observed), s.core, &out.filtered);
  if (sequences.size() == 0)
    throw denoise::config_error("the " + std::to_string(s.core) + "-core filter leaves no interaction",
                                denoise::location::of_field("--core"));
  out.split = data::split_sequences(sequences, s.protocol);
  const auto& seq = out.split.sequences;
  const auto offsets = seq.offsets();
  const auto ratings = seq.ratings();
  // The training windows as batchers::SequenceWindows enumerates them: positions 1..train_length-1.
  for (denoise::index_t u = 0; u < seq.n_users(); ++u) {
    const auto length = out.split.train_length[static_cast<std::size_t>(u)];
    for (denoise::offset_t p = 1; p < length; ++p) {
      const auto id = offsets[static_cast<std::size_t>(u)] + p;
      out.instances.push_back(id);
      out.targets.push_back(seq.items_of(u)[static_cast<std::size_t>(p)]);
      out.labels.push_back(1.0f);
      out.noisy.push_back(ratings[static_cast<std::size_t>(id)] < s.protocol.positive_threshold ? 1 : 0);
      out.users.push_back(u);
      out.positions.push_back(static_cast<denoise::index_t>(p));
    }
  }
  if (out.instances.empty())
    throw denoise::config_error("no training window: every user's training prefix is shorter than 2",
                                denoise::location::of_field("--protocol"));
  const char* flag = s.protocol.protocol == data::sequence_protocol::leave_one_out ? "--protocol" : "--ratios";
  if (out.split.valid.size() == 0)
    throw denoise::config_error("no user has a true positive in the validation part; nothing to evaluate",
                                denoise::location::of_field(flag));
  if (out.split.test.size() == 0)
    throw denoise::config_error("no user has a true positive in the test part; nothing to evaluate",
                                denoise::location::of_field(flag));
  for (int k : config.ks) {
    if (static_cast<denoise::index_t>(k) > out.n_items())
      throw denoise::config_error("cut-off " + std::to_string(k) + " exceeds the " + std::to_string(out.n_items()) +
                                      " items left by the filter",
                                  denoise::location::of_field("--k"));
  }
  std::size_t noisy = 0;
  for (auto f : out.noisy) noisy += f;
  const auto& r = out.filtered;
  const bool loo = s.protocol.protocol == data::sequence_protocol::leave_one_out;
  out.description_text =
      std::move(loaded.description) + ": " + std::to_string(s.core) + "-core filter (" + std::to_string(r.rounds) +
      " rounds): users " + std::to_string(r.users_before) + " -> " + std::to_string(r.users_after) + ", items " +
      std::to_string(r.items_before) + " -> " + std::to_string(r.items_after) + ", interactions " +
      std::to_string(r.interactions_before) + " -> " + std::to_string(r.interactions_after) + "; " +
      (loo ? std::string("leave-one-out") : "chronological " + std::to_string(s.protocol.train_parts) + ":" +
                                                std::to_string(s.protocol.valid_parts) + ":" +
                                                std::to_string(s.protocol.test_parts)) +
      ": " + std::to_string(out.instances.size()) + " training windows (" + std::to_string(noisy) +
      " noisy targets), validation users " + std::to_string(out.split.valid.size()) + ", test users " +
      std::to_string(out.split.test.size());
  return out;
}

}  // namespace denoise_cli
