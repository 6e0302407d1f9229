// Random streams: the counter-based stream (parallel/device fills) against std::mt19937_64.
#include <denoise/core/random.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

static void BM_counter_stream_uniform(benchmark::State& state) {
  const denoise::random::counter_stream s(1);
  std::vector<float> out(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = s.uniform<float>(i);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_counter_stream_uniform)->Arg(1 << 16);

static void BM_mt19937_uniform(benchmark::State& state) {
  std::mt19937_64 engine(1);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> out(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    for (auto& x : out) x = dist(engine);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_mt19937_uniform)->Arg(1 << 16);

static void BM_rng_uniform_index(benchmark::State& state) {
  denoise::random::rng r(1);
  std::uint64_t acc = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1024; ++i) acc += r.uniform_index(1682);
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_rng_uniform_index);
