// train_sequence_epoch(model, optimizer, windows, ...): one epoch of a sequence model (GRU4Rec,
// SASRec, MFSoftmax) on the training windows with the full softmax cross-entropy over all items,
// the mean over each batch. The examples are shuffled with `rng`; host and device buffers live in
// a sequence_epoch_state and keep their capacity from batch to batch and epoch to epoch.
// A minimal loop for the sequential task and its tests; the denoising methods run through the
// Trainer (train/trainer.hpp), which does not know sequence batches yet (docs/sequential.md).
#pragma once

#include <cstddef>
#include <numeric>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/span.hpp"
#include "../data/sequence_batch.hpp"
#include "../data/sequence_windows.hpp"
#include "../losses/layout.hpp"
#include "../losses/softmax_cross_entropy.hpp"
#include "../nn/parameter.hpp"

namespace denoise {
namespace train {

template <class B>
struct sequence_epoch_state {
  std::vector<std::size_t> order;
  std::vector<typename B::scalar> host_labels;
  data::sequence_host_batch host;
  data::sequence_batch<B> batch;
  typename B::vector logits, labels, loss, prediction, positive, weights, dlogits;
};

/// Returns the mean training loss of the epoch.
template <class Model, class Optimizer>
double train_sequence_epoch(Model& model, Optimizer& optimizer, const data::SequenceWindows& windows,
                            std::size_t batch_size, random::rng& rng,
                            sequence_epoch_state<typename Model::backend>& st, typename Model::workspace& ws) {
  using B = typename Model::backend;
  using S = typename B::scalar;
  if (batch_size == 0) throw config_error("train_sequence_epoch: batch_size must be positive", location::of_field("batch_size"));
  const std::size_t n = windows.size();
  st.order.resize(n);
  std::iota(st.order.begin(), st.order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(st.order[i - 1], st.order[rng.uniform_index(i)]);
  model.train(true);
  ws.replay = false;
  double total = 0;
  for (std::size_t first = 0; first < n; first += batch_size) {
    const std::size_t m = std::min(batch_size, n - first);
    windows.fill(span<const std::size_t>(st.order.data() + first, m), st.host);
    data::SequenceWindows::upload(st.host, st.batch);
    st.host_labels.assign(st.host.targets.begin(), st.host.targets.end());
    B::from_host(st.host_labels, st.labels);
    model.forward(st.batch, ws, st.logits);
    const losses::layout l{m, static_cast<std::size_t>(model.items())};
    losses::SoftmaxCrossEntropy::forward<B>(st.logits, st.labels, l, st.loss, st.prediction, st.positive);
    total += static_cast<double>(B::sum(st.loss));
    if (st.weights.size() != m) st.weights.resize(m);
    B::fill(st.weights, S(1));
    losses::SoftmaxCrossEntropy::backward<B>(st.logits, st.labels, l, st.weights, static_cast<S>(1.0 / static_cast<double>(m)),
                                             st.dlogits);
    nn::zero_grad<B>(model);
    model.backward(ws, st.dlogits);
    optimizer.step(model);
  }
  return n == 0 ? 0.0 : total / static_cast<double>(n);
}

}  // namespace train
}  // namespace denoise
