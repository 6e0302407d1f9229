// The machine's single-precision GEMM rate at NeuMF's layer shapes (issue 16): the yardstick for
// NeuMF's training throughput. NeuMF (factor 32, 3 tower layers) trains a tower 256 -> 128 -> 64
// -> 32 on batches of 2048 rows (1024 positives, 1 negative each); every layer costs three GEMMs
// per step: forward Y = X W, input gradient dX = dY W^T, weight gradient dW += X^T dY.
//   BM_neumf_tower_eigen:   the nine GEMMs of one step through plain Eigen (row-major maps, one thread)
//   BM_neumf_tower_backend: the same nine through backends::Eigen<float>::gemm
//   BM_neumf_tower_split:   what training computes since the first layer is split by input halves
//                           (models/neumf.hpp): that layer's three GEMMs per half over the batch's
//                           distinct users (506) and items (1,076), the mean of ml-100k batches of
//                           1,024 positives and their uniform negatives; the other layers as above
// All report "flops" per second (2 * m * n * k per GEMM, of the GEMMs each one runs). Compare with a NeuMF epoch:
// GEMM flops per epoch / epoch seconds (bench/README.md, "Speed table": "NeuMF at >= 50% of the GEMM rate").
// Run: denoise_bench --benchmark_filter=neumf_tower
#include <denoise/backends/eigen.hpp>
#include <denoise/core/threads.hpp>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

namespace {

using E = denoise::backends::Eigen<float>;
using denoise::index_t;

constexpr index_t tower_batch = 2048;
constexpr std::array<index_t, 4> tower_widths{256, 128, 64, 32};

// Multiply-adds of one step's nine GEMMs, times two.
constexpr std::int64_t tower_step_flops() {
  std::int64_t f = 0;
  for (std::size_t l = 0; l + 1 < tower_widths.size(); ++l) f += 3 * 2 * std::int64_t{tower_batch} * tower_widths[l] * tower_widths[l + 1];
  return f;
}

void report(benchmark::State& state) {
  state.counters["flops"] = benchmark::Counter(static_cast<double>(state.iterations()) * tower_step_flops(),
                                               benchmark::Counter::kIsRate);
}

void BM_neumf_tower_eigen(benchmark::State& state) {
  using matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::setNbThreads(1);
  std::array<matrix, 3> w, dw;
  std::array<matrix, 4> x, dx;
  for (std::size_t l = 0; l < 4; ++l) {
    x[l] = matrix::Random(tower_batch, tower_widths[l]);
    dx[l] = matrix::Random(tower_batch, tower_widths[l]);
  }
  for (std::size_t l = 0; l < 3; ++l) {
    w[l] = matrix::Random(tower_widths[l], tower_widths[l + 1]);
    dw[l] = matrix::Zero(tower_widths[l], tower_widths[l + 1]);
  }
  for (auto _ : state) {
    for (std::size_t l = 0; l < 3; ++l) x[l + 1].noalias() = x[l] * w[l];
    for (std::size_t l = 3; l-- > 0;) {
      dw[l].noalias() += x[l].transpose() * dx[l + 1];
      dx[l].noalias() = dx[l + 1] * w[l].transpose();
    }
    benchmark::DoNotOptimize(dx[0].data());
    benchmark::DoNotOptimize(dw[0].data());
  }
  report(state);
}

void BM_neumf_tower_backend(benchmark::State& state) {
  const denoise::threads::scoped team(1);
  std::array<E::matrix, 3> w, dw;
  std::array<E::matrix, 4> x, dx;
  for (std::size_t l = 0; l < 4; ++l) {
    x[l] = E::matrix(tower_batch, tower_widths[l]);
    dx[l] = E::matrix(tower_batch, tower_widths[l]);
    E::fill_uniform(x[l], 1 + l);
    E::fill_uniform(dx[l], 5 + l);
  }
  for (std::size_t l = 0; l < 3; ++l) {
    w[l] = E::matrix(tower_widths[l], tower_widths[l + 1]);
    dw[l] = E::matrix(tower_widths[l], tower_widths[l + 1]);
    E::fill_uniform(w[l], 9 + l);
    E::fill(dw[l], 0.0f);
  }
  for (auto _ : state) {
    for (std::size_t l = 0; l < 3; ++l) E::gemm(false, false, 1.0f, x[l], w[l], 0.0f, x[l + 1]);
    for (std::size_t l = 3; l-- > 0;) {
      E::gemm(true, false, 1.0f, x[l], dx[l + 1], 1.0f, dw[l]);
      E::gemm(false, true, 1.0f, dx[l + 1], w[l], 0.0f, dx[l]);
    }
    benchmark::DoNotOptimize(E::ptr(dx[0]));
    benchmark::DoNotOptimize(E::ptr(dw[0]));
  }
  report(state);
}

// The first layer's halves: e = 128 embedding columns each, h1 = 128 outputs.
constexpr index_t split_users = 506, split_items = 1076;

constexpr std::int64_t split_step_flops() {
  std::int64_t f = 3 * 2 * std::int64_t{split_users + split_items} * (tower_widths[0] / 2) * tower_widths[1];
  for (std::size_t l = 1; l + 1 < tower_widths.size(); ++l) f += 3 * 2 * std::int64_t{tower_batch} * tower_widths[l] * tower_widths[l + 1];
  return f;
}

void BM_neumf_tower_split(benchmark::State& state) {
  const denoise::threads::scoped team(static_cast<int>(state.range(0)));  // the threads (OpenMP)
  const index_t e = tower_widths[0] / 2, h1 = tower_widths[1];
  const auto random = [](index_t rows, index_t cols, std::uint64_t seed) {
    E::matrix m(rows, cols);
    E::fill_uniform(m, seed);
    return m;
  };
  // per half: the distinct rows' embeddings, their part of the output and its gradient, the
  // weight half, its gradient, and the rows' input gradient
  std::array<index_t, 2> rows{split_users, split_items};
  std::array<E::matrix, 2> emb, part, d_part, w_half, dw_half, d_emb;
  for (std::size_t h = 0; h < 2; ++h) {
    emb[h] = random(rows[h], e, 1 + h);
    d_part[h] = random(rows[h], h1, 3 + h);
    w_half[h] = random(e, h1, 5 + h);
    dw_half[h] = random(e, h1, 7 + h);
  }
  std::array<E::matrix, 2> w, dw;
  std::array<E::matrix, 3> x, dx;  // layers 1 and 2: inputs 128 and 64 wide, output 32
  for (std::size_t l = 0; l < 3; ++l) {
    x[l] = random(tower_batch, tower_widths[l + 1], 9 + l);
    dx[l] = random(tower_batch, tower_widths[l + 1], 12 + l);
  }
  for (std::size_t l = 0; l < 2; ++l) {
    w[l] = random(tower_widths[l + 1], tower_widths[l + 2], 15 + l);
    dw[l] = random(tower_widths[l + 1], tower_widths[l + 2], 17 + l);
  }
  for (auto _ : state) {
    for (std::size_t h = 0; h < 2; ++h) E::gemm(false, false, 1.0f, emb[h], w_half[h], 0.0f, part[h]);
    for (std::size_t l = 0; l < 2; ++l) E::gemm(false, false, 1.0f, x[l], w[l], 0.0f, x[l + 1]);
    for (std::size_t l = 2; l-- > 0;) {
      E::gemm(true, false, 1.0f, x[l], dx[l + 1], 1.0f, dw[l]);
      E::gemm(false, true, 1.0f, dx[l + 1], w[l], 0.0f, dx[l]);
    }
    for (std::size_t h = 0; h < 2; ++h) {
      E::gemm(true, false, 1.0f, emb[h], d_part[h], 1.0f, dw_half[h]);
      E::gemm(false, true, 1.0f, d_part[h], w_half[h], 0.0f, d_emb[h]);
    }
    benchmark::DoNotOptimize(E::ptr(d_emb[0]));
    benchmark::DoNotOptimize(E::ptr(dw_half[0]));
  }
  state.counters["flops"] = benchmark::Counter(static_cast<double>(state.iterations()) * split_step_flops(),
                                               benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_neumf_tower_eigen)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_neumf_tower_backend)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_neumf_tower_split)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
