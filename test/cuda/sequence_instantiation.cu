// Compile check of the sequential task on CUDA: instantiates GRU4Rec, SASRec, the full softmax
// cross-entropy and the sequence batch on backends::Thrust<thrust_system::cuda>, then runs one
// forward/backward of each model (full and sampled softmax). Compile with
//   /usr/local/cuda/bin/nvcc -std=c++17 -I include -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CUDA \
//     -DDENOISE_THRUST_SYSTEM_CUDA=1 -c test/cuda/sequence_instantiation.cu -o /tmp/seq.o
// On a machine with a GPU, test/cuda/CMakeLists.txt builds and runs it (label gpu): it fails when
// a loss or a gradient is not finite.
#include <denoise/backends/thrust.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/losses/sampled_softmax.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/parameter.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

using B = denoise::backends::Thrust<denoise::backends::thrust_system::cuda, float>;
static_assert(denoise::backends::check_backend<B>(), "");

constexpr denoise::index_t kItems = 50, kSteps = 10, kBatch = 32;

template <class Model>
bool step(Model& m, const denoise::data::sequence_batch<B>& batch, const B::vector& labels, bool full) {
  using namespace denoise;
  typename Model::workspace ws;
  B::vector logits, loss, pred, pos, w, dlogits;
  m.forward(batch, ws, logits);
  const losses::layout l{batch.size(), full ? static_cast<std::size_t>(kItems) : batch.group_size()};
  w.resize(batch.size());
  B::fill(w, 1.0f);
  if (full) {
    losses::SoftmaxCrossEntropy::forward<B>(logits, labels, l, loss, pred, pos);
    losses::SoftmaxCrossEntropy::backward<B>(logits, labels, l, w, 1.0f, dlogits);
  } else {
    losses::SampledSoftmax::forward<B>(logits, labels, l, loss, pred, pos);
    losses::SampledSoftmax::backward<B>(logits, labels, l, w, 1.0f, dlogits);
  }
  nn::zero_grad<B>(m);
  m.backward(ws, dlogits);
  const double total = static_cast<double>(B::sum(loss));
  double grad = 0;
  m.visit_parameters([&](nn::param_ref<B> p) { grad += static_cast<double>(B::dot(p.grad, p.grad)); });
  std::printf("%s %s: loss %f, |grad|^2 %g\n", Model::name(), full ? "full" : "sampled", total, grad);
  return std::isfinite(total) && std::isfinite(grad) && grad > 0;
}

int run() {
  using namespace denoise;
  data::sequence_host_batch host;
  host.steps = kSteps;
  for (index_t b = 0; b < kBatch; ++b) {
    for (index_t t = 0; t < kSteps; ++t) host.items.push_back(t < b % kSteps ? kItems : (b * 7 + t * 3) % kItems);
    host.targets.push_back((b * 5 + 1) % kItems);
    host.users.push_back(b);
    for (index_t k = 0; k < 5; ++k) host.candidates.push_back(k == 0 ? host.targets.back() : (b + 11 * k) % kItems);
  }
  data::sequence_batch<B> sampled, full;
  data::SequenceWindows::upload(host, sampled);
  host.candidates.clear();
  data::SequenceWindows::upload(host, full);
  std::vector<float> y(host.targets.begin(), host.targets.end());
  B::vector labels;
  B::from_host(y, labels);
  models::GRU4Rec<B> gru(kBatch, kItems, {}, 1);
  models::SASRec<B> sas(kBatch, kItems, {}, 2);
  bool ok = step(gru, full, labels, true) && step(gru, sampled, labels, false);
  ok = ok && step(sas, full, labels, true) && step(sas, sampled, labels, false);
  B::matrix scores;
  sas.eval();
  sas.score(full, scores);
  std::printf("thrust-cuda sequence models %s: scores %d x %d\n", ok ? "ok" : "FAILED", static_cast<int>(scores.rows()),
              static_cast<int>(scores.cols()));
  return ok ? 0 : 1;
}

}  // namespace

int main() { return run(); }
