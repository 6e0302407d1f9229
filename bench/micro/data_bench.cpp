// Data layer: load throughput (MB/s) of the streaming reader on MovieLens 100K (from
// $DENOISE_DATA_DIR/ml-100k/u.data, skipped when unset) and on a generated synthetic file, and
// negative-sampling rates (samples/s) of the uniform and popularity samplers, on ordinary and on
// very dense users.
#include <denoise/data/data.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

namespace dd = denoise::data;

std::size_t file_size(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<std::size_t>(info.st_size) : 0;
}

/// A synthetic u.data-style file (user \t item \t rating \t timestamp), written once per run.
const std::string& synthetic_file() {
  static const std::string path = [] {
    dd::SyntheticConfig c;
    c.n_users = 6000;
    c.n_items = 4000;
    c.mean_positives = 80;  // about 480k rows, ~10 MB
    const auto syn = dd::make_synthetic(c);
    const auto& d = syn.interactions;
    const std::string p = "/tmp/denoise_bench_synthetic_" + std::to_string(::getpid()) + ".tsv";
    denoise::atomic_write(p, [&](std::FILE* f) {
      for (std::size_t k = 0; k < d.size(); ++k)
        std::fprintf(f, "%d\t%d\t%d\t%lld\n", d.users()[k] + 1, d.items()[k] + 1, static_cast<int>(d.ratings()[k]),
                     static_cast<long long>(d.timestamps()[k]));
    });
    std::atexit([] { std::remove(("/tmp/denoise_bench_synthetic_" + std::to_string(::getpid()) + ".tsv").c_str()); });
    return p;
  }();
  return path;
}

void load(benchmark::State& state, const std::string& path) {
  const std::size_t bytes = file_size(path);
  std::size_t rows = 0;
  for (auto _ : state) {
    const auto d = dd::load_movielens_100k(path);
    rows = d.size();
    benchmark::DoNotOptimize(d.users().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
}

void BM_load_ml100k(benchmark::State& state) {
  const char* dir = std::getenv("DENOISE_DATA_DIR");
  const std::string path = dir ? std::string(dir) + "/ml-100k/u.data" : std::string();
  if (path.empty() || file_size(path) == 0) {
    state.SkipWithError("set DENOISE_DATA_DIR to the directory holding ml-100k/u.data");
    for (auto _ : state) {
    }
    return;
  }
  load(state, path);
}
BENCHMARK(BM_load_ml100k)->Unit(benchmark::kMillisecond);

void BM_load_synthetic(benchmark::State& state) { load(state, synthetic_file()); }
BENCHMARK(BM_load_synthetic)->Unit(benchmark::kMillisecond);

/// Synthetic data; Arg(0): ordinary users (~100 of 5000 items), Arg(1): dense users (~60% of items).
const dd::Interactions& sampling_data(bool dense) {
  static const auto make = [](double mean) {
    dd::SyntheticConfig c;
    c.n_users = 1000;
    c.n_items = 5000;
    c.mean_positives = mean;
    c.activity_skew = 0.0;
    c.like_share = 0.45;
    c.dislike_share = 0.55;
    c.held_out_per_user = 0;
    return dd::make_synthetic(c).interactions;
  };
  static const dd::Interactions sparse = make(100), heavy = make(3000);
  return dense ? heavy : sparse;
}

template <class Sampler>
void sample(benchmark::State& state, const Sampler& sampler, const dd::Interactions& d) {
  denoise::random::rng g(1, "bench");
  std::vector<denoise::index_t> users(4096), out(4096);
  for (auto& u : users) u = static_cast<denoise::index_t>(g.uniform_index(static_cast<std::uint64_t>(d.n_users())));
  for (auto _ : state) {
    sampler.sample(denoise::span<const denoise::index_t>(users), denoise::span<denoise::index_t>(out), g);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 4096);
}

void BM_uniform_negatives(benchmark::State& state) {
  const auto& d = sampling_data(state.range(0) != 0);
  const dd::UniformNegativeSampler s(d);
  sample(state, s, d);
}
BENCHMARK(BM_uniform_negatives)->Arg(0)->Arg(1);

// The same draws one sample() call at a time: what NegativeBatcher did before the bulk form
// (one binary search at a time, each waiting on its own dependent loads).
void BM_uniform_negatives_one_by_one(benchmark::State& state) {
  const auto& d = sampling_data(state.range(0) != 0);
  const dd::UniformNegativeSampler s(d);
  denoise::random::rng g(1, "bench");
  std::vector<denoise::index_t> users(4096), out(4096);
  for (auto& u : users) u = static_cast<denoise::index_t>(g.uniform_index(static_cast<std::uint64_t>(d.n_users())));
  for (auto _ : state) {
    for (std::size_t k = 0; k < users.size(); ++k) out[k] = s.sample(users[k], g);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 4096);
}
BENCHMARK(BM_uniform_negatives_one_by_one)->Arg(0)->Arg(1);

void BM_popularity_negatives(benchmark::State& state) {
  const auto& d = sampling_data(state.range(0) != 0);
  const dd::PopularityNegativeSampler s(d);
  sample(state, s, d);
}
BENCHMARK(BM_popularity_negatives)->Arg(0)->Arg(1);

void BM_bpr_triples(benchmark::State& state) {
  const auto& d = sampling_data(false);
  const dd::UniformNegativeSampler s(d);
  dd::NegativeBatcher<dd::UniformNegativeSampler> batcher(d, s, 1024, 1, dd::Order::shuffled, 1);
  dd::TripleBatch batch;
  std::int64_t triples = 0;
  std::uint64_t epoch = 0;
  for (auto _ : state) {
    if (!batcher.next(batch)) {
      batcher.start_epoch(++epoch);
      batcher.next(batch);
    }
    triples += static_cast<std::int64_t>(batch.size());
    benchmark::DoNotOptimize(batch.negatives().data());
  }
  state.SetItemsProcessed(triples);
}
BENCHMARK(BM_bpr_triples);

}  // namespace
