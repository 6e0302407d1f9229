// Metrics: full-ranking evaluation (ML-100K and ML-1M shapes, K = 20) with partial top-K
// selection against the full-sort baseline, the scorer alone (the floor), and exact AUC.
#include <denoise/metrics/metrics.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

using denoise::index_t;
using denoise::offset_t;
using denoise::span;

// A cheap deterministic scorer: a hash of (user, item) mapped to [0, 1).
struct hash_scorer {
  std::size_t items;
  void operator()(span<const index_t> users, span<float> block) const {
    for (std::size_t j = 0; j < users.size(); ++j) {
      constexpr std::uint64_t golden = 0x9E3779B97F4A7C15u, mix1 = 0xBF58476D1CE4E5B9u, mix2 = 0x94D049BB133111EBu;
      const std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::uint32_t>(users[j])) * golden;
      float* row = block.data() + j * items;
      for (std::size_t i = 0; i < items; ++i) {
        std::uint64_t x = h ^ (static_cast<std::uint64_t>(i) * mix1);
        x ^= x >> 31;
        x *= mix2;
        x ^= x >> 29;
        row[i] = static_cast<float>(x >> 40) * (1.0f / 16777216.0f);
      }
    }
  }
};

struct ranking_problem {
  index_t users, items;
  std::vector<offset_t> train_off{0}, test_off{0};
  std::vector<index_t> train_idx, test_idx;
};

// Train density ~ that of MovieLens (about 5 %), test 20 % of that.
const ranking_problem& problem(int shape) {
  static ranking_problem p[2];
  ranking_problem& q = p[shape];
  if (q.users == 0) {
    q.users = shape == 0 ? 943 : 6040;
    q.items = shape == 0 ? 1682 : 3706;
    std::mt19937 gen(static_cast<unsigned>(42 + shape));
    std::uniform_real_distribution<float> u01(0.0f, 1.0f);
    for (index_t u = 0; u < q.users; ++u) {
      for (index_t i = 0; i < q.items; ++i) {
        const float r = u01(gen);
        if (r < 0.05f) q.train_idx.push_back(i);
        else if (r < 0.06f) q.test_idx.push_back(i);
      }
      q.train_off.push_back(static_cast<offset_t>(q.train_idx.size()));
      q.test_off.push_back(static_cast<offset_t>(q.test_idx.size()));
    }
  }
  return q;
}

void run_ranking(benchmark::State& state, denoise::metrics::top_k_method method) {
  const auto& p = problem(static_cast<int>(state.range(0)));
  const denoise::csr_view train{p.train_off, p.train_idx}, test{p.test_off, p.test_idx};
  denoise::metrics::ranking_evaluator evaluator(
      denoise::metrics::ranking_options{{20}, 256, static_cast<int>(state.range(1)), method});
  const hash_scorer scorer{static_cast<std::size_t>(p.items)};
  double sink = 0.0;
  for (auto _ : state) {
    const auto r = evaluator.evaluate(scorer, p.items, train, test);
    sink += r.at[0].ndcg;
    benchmark::DoNotOptimize(sink);
  }
  state.counters["users_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * p.users, benchmark::Counter::kIsRate);
}

void BM_ranking_partial(benchmark::State& state) { run_ranking(state, denoise::metrics::top_k_method::partial); }
void BM_ranking_full_sort(benchmark::State& state) { run_ranking(state, denoise::metrics::top_k_method::full_sort); }

// The scorer alone over the same blocks: what no selection method can go below.
void BM_ranking_scorer_only(benchmark::State& state) {
  const auto& p = problem(static_cast<int>(state.range(0)));
  const hash_scorer scorer{static_cast<std::size_t>(p.items)};
  std::vector<index_t> users(256);
  std::vector<float> block(256 * static_cast<std::size_t>(p.items));
  for (auto _ : state) {
    for (index_t first = 0; first < p.users; first += 256) {
      const index_t n = std::min<index_t>(256, p.users - first);
      for (index_t j = 0; j < n; ++j) users[static_cast<std::size_t>(j)] = first + j;
      scorer(span<const index_t>(users.data(), static_cast<std::size_t>(n)),
             span<float>(block.data(), static_cast<std::size_t>(n) * static_cast<std::size_t>(p.items)));
      benchmark::DoNotOptimize(block.data());
    }
  }
}

// Args: {shape (0 = 943 x 1682, 1 = 6040 x 3706), threads}
BENCHMARK(BM_ranking_partial)->Args({0, 1})->Args({1, 1})->Args({1, 2})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ranking_full_sort)->Args({0, 1})->Args({1, 1})->Args({1, 2})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ranking_scorer_only)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_auc(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<float> scores(n), labels(n);
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u01(0.0f, 1.0f);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = u01(gen) < 0.3f ? 1.0f : 0.0f;
    scores[i] = 0.5f * u01(gen) + 0.3f * labels[i];
  }
  double sink = 0.0;
  for (auto _ : state) {
    sink += denoise::metrics::auc(scores, labels);
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_auc)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
