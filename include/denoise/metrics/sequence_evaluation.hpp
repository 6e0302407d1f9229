// evaluate_sequences(model, sequences, holdout, ranking): scores every user of a holdout from the
// window of its input history (the prefix before its held-out part; sequence_protocol.hpp) with
// the model in evaluation mode (the mode it was in is restored), and feeds SequenceRanking.
// Users go through model.score() in batches of `batch_size` windows; buffers are reused.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "../core/span.hpp"
#include "../data/sequence_batch.hpp"
#include "../data/sequence_protocol.hpp"
#include "../data/sequence_windows.hpp"
#include "../data/sequences.hpp"
#include "sequence_ranking.hpp"

namespace denoise {
namespace metrics {

template <class Model>
sequence_ranking_result evaluate_sequences(Model& model, const data::Sequences& sequences,
                                           const data::sequence_holdout& holdout, SequenceRanking& ranking,
                                           index_t window = 10, std::size_t batch_size = 256) {
  using B = typename Model::backend;
  const bool was_training = model.training();
  model.eval();
  ranking.reset();
  const data::SequenceWindows windows(sequences, std::vector<offset_t>(static_cast<std::size_t>(sequences.n_users()), 0),
                                      window);
  data::sequence_host_batch host;
  data::sequence_batch<B> batch;
  typename B::matrix scores;
  std::vector<typename B::scalar> h;
  for (std::size_t first = 0; first < holdout.size(); first += batch_size) {
    const std::size_t n = std::min(batch_size, holdout.size() - first);
    windows.fill_histories(span<const index_t>(holdout.users.data() + first, n),
                           span<const offset_t>(holdout.history.data() + first, n), host);
    data::SequenceWindows::upload(host, batch);
    model.score(batch, scores);
    B::to_host(scores, h);
    const auto items = static_cast<std::size_t>(scores.cols());
    for (std::size_t b = 0; b < n; ++b) {
      const std::size_t k = first + b;
      const index_t u = holdout.users[k];
      const auto t0 = static_cast<std::size_t>(holdout.offsets[k]), t1 = static_cast<std::size_t>(holdout.offsets[k + 1]);
      ranking.add_user(span<const typename B::scalar>(h.data() + b * items, items),
                       span<const index_t>(holdout.targets.data() + t0, t1 - t0),
                       sequences.items_of(u).subspan(0, static_cast<std::size_t>(holdout.history[k])));
    }
  }
  model.train(was_training);
  return ranking.result();
}

}  // namespace metrics
}  // namespace denoise
