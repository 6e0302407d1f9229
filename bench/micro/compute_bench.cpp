// Compute core: backend primitives against the obvious scalar loop, at recommender shapes.
//   gather / scatter-add rows (embedding lookup and its gradient), batch 4096, width 16..256
//   gemm (batch x width) * (width x width), batch 1024..4096, width 16..256
//   per-segment top-k (top-50 of 1,682 items for 512 users)
//   a dense Adam step over GMF's ml-100k parameters (2,625 x 32 embedding rows), the update every
//   training step of the speed table makes: one sqrt and one division per element
// Run: denoise_bench --benchmark_filter='gather|scatter|gemm|topk|adam'
#include <denoise/backends/eigen.hpp>
#include <denoise/backends/thrust.hpp>
#include <denoise/nn/optim/update_kernels.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace {

using E = denoise::backends::Eigen<float>;
using TO = denoise::backends::Thrust<denoise::backends::thrust_system::omp, float>;
using denoise::index_t;
using denoise::offset_t;

constexpr index_t table_rows = 50000;

std::vector<index_t> random_ids(std::size_t n, index_t limit) {
  denoise::random::rng gen(1);
  std::vector<index_t> ids(n);
  for (auto& i : ids) i = static_cast<index_t>(gen.uniform_index(static_cast<std::uint64_t>(limit)));
  return ids;
}

// ---- gather -------------------------------------------------------------------------------
template <class B>
void BM_gather(benchmark::State& state) {
  const auto batch = static_cast<index_t>(state.range(0)), dim = static_cast<index_t>(state.range(1));
  typename B::matrix table(table_rows, dim), out;
  B::fill_uniform(table, 1);
  typename B::index_vector idx;
  B::from_host(random_ids(static_cast<std::size_t>(batch), table_rows), idx);
  for (auto _ : state) {
    B::gather_rows(table, idx, out);
    benchmark::DoNotOptimize(B::ptr(out));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_gather_scalar_loop(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0)), dim = static_cast<std::size_t>(state.range(1));
  std::vector<float> table(static_cast<std::size_t>(table_rows) * dim, 0.5f), out(batch * dim);
  const auto ids = random_ids(batch, table_rows);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      for (std::size_t c = 0; c < dim; ++c) out[i * dim + c] = table[static_cast<std::size_t>(ids[i]) * dim + c];
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

// ---- scatter-add --------------------------------------------------------------------------
template <class B>
void BM_scatter_add(benchmark::State& state) {
  const auto batch = static_cast<index_t>(state.range(0)), dim = static_cast<index_t>(state.range(1));
  typename B::matrix grad(table_rows, dim), src(batch, dim);
  B::fill(grad, 0.0f);
  B::fill_uniform(src, 2);
  typename B::index_vector idx, touched;
  typename B::scatter_workspace ws;
  B::from_host(random_ids(static_cast<std::size_t>(batch), table_rows), idx);
  for (auto _ : state) {
    B::scatter_add_rows(grad, idx, src, touched, ws);
    benchmark::DoNotOptimize(B::ptr(grad));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_scatter_add_scalar_loop(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0)), dim = static_cast<std::size_t>(state.range(1));
  std::vector<float> grad(static_cast<std::size_t>(table_rows) * dim, 0.0f), src(batch * dim, 0.25f);
  const auto ids = random_ids(batch, table_rows);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      for (std::size_t c = 0; c < dim; ++c) grad[static_cast<std::size_t>(ids[i]) * dim + c] += src[i * dim + c];
    }
    benchmark::DoNotOptimize(grad.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

// ---- gemm ---------------------------------------------------------------------------------
template <class B>
void BM_gemm(benchmark::State& state) {
  const auto batch = static_cast<index_t>(state.range(0)), width = static_cast<index_t>(state.range(1));
  typename B::matrix x(batch, width), w(width, width), y;
  B::fill_uniform(x, 1);
  B::fill_uniform(w, 2);
  for (auto _ : state) {
    B::gemm(false, false, 1.0f, x, w, 0.0f, y);
    benchmark::DoNotOptimize(B::ptr(y));
  }
  state.SetItemsProcessed(state.iterations() * batch * width * width);  // multiply-adds
}

void BM_gemm_scalar_loop(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0)), width = static_cast<std::size_t>(state.range(1));
  std::vector<float> x(batch * width, 0.5f), w(width * width, 0.25f), y(batch * width);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      for (std::size_t j = 0; j < width; ++j) {
        float acc = 0.0f;
        for (std::size_t p = 0; p < width; ++p) acc += x[i * width + p] * w[p * width + j];
        y[i * width + j] = acc;
      }
    }
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch * width * width));
}

// ---- per-segment top-k --------------------------------------------------------------------
constexpr index_t topk_users = 512, topk_items = 1682, topk_k = 50;

template <class B>
void BM_segmented_topk(benchmark::State& state) {
  typename B::matrix scores(topk_users, topk_items);
  B::fill_uniform(scores, 3);
  std::vector<offset_t> off(static_cast<std::size_t>(topk_users) + 1);
  for (std::size_t s = 0; s < off.size(); ++s) off[s] = static_cast<offset_t>(s) * topk_items;
  typename B::offset_vector offsets;
  B::from_host(off, offsets);
  typename B::index_vector out;
  for (auto _ : state) {
    B::segmented_topk(scores.values(), offsets, topk_k, out);
    benchmark::DoNotOptimize(B::ptr(out));
  }
  state.SetItemsProcessed(state.iterations() * topk_users);
}

// The obvious loop: sort each segment's positions by score, keep the first k.
void BM_segmented_topk_scalar_loop(benchmark::State& state) {
  std::vector<float> scores(static_cast<std::size_t>(topk_users) * topk_items);
  denoise::random::rng gen(3);
  for (auto& s : scores) s = gen.uniform<float>();
  std::vector<index_t> out(static_cast<std::size_t>(topk_users) * topk_k), pos(topk_items);
  for (auto _ : state) {
    for (std::size_t u = 0; u < static_cast<std::size_t>(topk_users); ++u) {
      const float* v = scores.data() + u * topk_items;
      std::iota(pos.begin(), pos.end(), 0);
      std::stable_sort(pos.begin(), pos.end(), [v](index_t a, index_t b) { return v[a] > v[b]; });
      std::copy(pos.begin(), pos.begin() + topk_k, out.begin() + static_cast<std::ptrdiff_t>(u * topk_k));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * topk_users);
}

// ---- dense Adam ----------------------------------------------------------------------------
// Every element's update needs a sqrt and a division, so the step is bound by their vector
// throughput, not by memory (the four 336 KB arrays sit in L2): the floor of dense Adam per epoch.
void BM_adam_dense(benchmark::State& state) {
  const auto rows = static_cast<index_t>(state.range(0)), cols = static_cast<index_t>(state.range(1));
  E::matrix theta(rows, cols), grad(rows, cols), m(rows, cols), v(rows, cols);
  E::fill_uniform(theta, 1);
  E::fill_uniform(grad, 2);
  E::fill(m, 0.0f);
  E::fill(v, 0.0f);
  const denoise::nn::kernels::adam_update<float> step{
      E::ptr(theta), E::ptr(grad), E::ptr(m), E::ptr(v), nullptr, static_cast<std::size_t>(cols),
      1e-3f, 1.0f, 0.9f, 0.999f, 1e-8f, 0.0f};
  for (auto _ : state) {
    E::launch(static_cast<std::size_t>(rows), step, static_cast<std::size_t>(cols));
    benchmark::DoNotOptimize(E::ptr(theta));
  }
  state.SetItemsProcessed(state.iterations() * rows * cols);
}

void shapes_rows(benchmark::internal::Benchmark* b) {
  for (int dim : {16, 64, 256}) b->Args({4096, dim});
}
void shapes_gemm(benchmark::internal::Benchmark* b) {
  for (int batch : {1024, 4096}) {
    for (int width : {16, 64, 256}) b->Args({batch, width});
  }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_gather, E)->Apply(shapes_rows)->UseRealTime();
BENCHMARK_TEMPLATE(BM_gather, TO)->Apply(shapes_rows)->UseRealTime();
BENCHMARK(BM_gather_scalar_loop)->Apply(shapes_rows)->UseRealTime();
BENCHMARK_TEMPLATE(BM_scatter_add, E)->Apply(shapes_rows)->UseRealTime();
BENCHMARK_TEMPLATE(BM_scatter_add, TO)->Apply(shapes_rows)->UseRealTime();
BENCHMARK(BM_scatter_add_scalar_loop)->Apply(shapes_rows)->UseRealTime();
BENCHMARK_TEMPLATE(BM_gemm, E)->Apply(shapes_gemm)->UseRealTime();
BENCHMARK_TEMPLATE(BM_gemm, TO)->Apply(shapes_gemm)->UseRealTime();
BENCHMARK(BM_gemm_scalar_loop)->Apply(shapes_gemm)->UseRealTime();
BENCHMARK_TEMPLATE(BM_segmented_topk, E)->UseRealTime();
BENCHMARK_TEMPLATE(BM_segmented_topk, TO)->UseRealTime();
BENCHMARK(BM_segmented_topk_scalar_loop)->UseRealTime();
BENCHMARK(BM_adam_dense)->Args({2625, 32})->UseRealTime();
