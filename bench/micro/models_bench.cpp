// Models: forward + backward of GMF and NeuMF at batch 1024 / 2048 (factor 32, NeuMF's default
// tower 256 -> 128 -> 64 -> 32), and full-catalogue score() of 943 users x 1682 items (the
// ML-100K shape) for every model, on backends::Eigen<float>.
#include <denoise/backends/eigen.hpp>
#include <denoise/models/models.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

using B = denoise::backends::Eigen<float>;
using denoise::index_t;
using denoise::offset_t;
constexpr index_t kUsers = 943, kItems = 1682;

void random_batch(std::size_t n, B::index_vector& u, B::index_vector& i, B::vector& d) {
  denoise::random::counter_stream s(7);
  std::vector<index_t> hu(n), hi(n);
  std::vector<float> hd(n);
  for (std::size_t k = 0; k < n; ++k) {
    hu[k] = static_cast<index_t>(s.bits(3 * k) % kUsers);
    hi[k] = static_cast<index_t>(s.bits(3 * k + 1) % kItems);
    hd[k] = s.uniform<float>(3 * k + 2) - 0.5f;
  }
  B::from_host(hu, u);
  B::from_host(hi, i);
  B::from_host(hd, d);
}

/// About 100 items per user (ML-100K density) for CDAE.
struct user_items {
  std::vector<offset_t> offsets{0};
  std::vector<index_t> items;
  user_items() {
    denoise::random::counter_stream s(3);
    for (index_t u = 0; u < kUsers; ++u) {
      for (index_t j = 0; j < kItems; ++j) {
        if (s.uniform<double>(static_cast<std::uint64_t>(u) * kItems + static_cast<std::uint64_t>(j)) < 0.063) items.push_back(j);
      }
      offsets.push_back(static_cast<offset_t>(items.size()));
    }
  }
  denoise::csr_view view() const { return {{offsets.data(), offsets.size()}, {items.data(), items.size()}}; }
};

template <class Model>
void run_train_step(benchmark::State& state, Model& model) {
  B::index_vector u, i;
  B::vector d, logits;
  random_batch(static_cast<std::size_t>(state.range(0)), u, i, d);
  for (auto _ : state) {
    model.forward(u, i, logits);
    model.backward(d);
    benchmark::DoNotOptimize(B::ptr(logits));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

template <class Model>
void run_score(benchmark::State& state, Model& model) {
  std::vector<index_t> all(kUsers);
  for (index_t u = 0; u < kUsers; ++u) all[static_cast<std::size_t>(u)] = u;
  B::index_vector users;
  B::from_host(all, users);
  B::matrix scores;
  model.eval();
  for (auto _ : state) {
    model.score(users, scores);
    benchmark::DoNotOptimize(B::ptr(scores));
  }
  state.SetItemsProcessed(state.iterations() * kUsers * kItems);
}

void BM_GMF_ForwardBackward(benchmark::State& state) {
  denoise::models::GMF<B> m(kUsers, kItems);
  run_train_step(state, m);
}
void BM_NeuMF_ForwardBackward(benchmark::State& state) {
  denoise::models::NeuMF<B> m(kUsers, kItems);
  run_train_step(state, m);
}
void BM_CDAE_ForwardBackward(benchmark::State& state) {
  static const user_items data;
  denoise::models::CDAE<B> m(kUsers, kItems, data.view());
  run_train_step(state, m);
}
void BM_MF_Score(benchmark::State& state) {
  denoise::models::MF<B> m(kUsers, kItems);
  run_score(state, m);
}
void BM_GMF_Score(benchmark::State& state) {
  denoise::models::GMF<B> m(kUsers, kItems);
  run_score(state, m);
}
void BM_NeuMF_Score(benchmark::State& state) {
  denoise::models::NeuMF<B> m(kUsers, kItems);
  run_score(state, m);
}
void BM_CDAE_Score(benchmark::State& state) {
  static const user_items data;
  denoise::models::CDAE<B> m(kUsers, kItems, data.view());
  run_score(state, m);
}

BENCHMARK(BM_GMF_ForwardBackward)->Arg(1024)->Arg(2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NeuMF_ForwardBackward)->Arg(1024)->Arg(2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CDAE_ForwardBackward)->Arg(1024)->Arg(2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MF_Score)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GMF_Score)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NeuMF_Score)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CDAE_Score)->Unit(benchmark::kMillisecond);

}  // namespace
