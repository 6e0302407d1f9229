// denoise::threads: how many OpenMP threads the library's CPU loops use, and when a loop is worth
// a parallel region at all (docs/threads.md).
//
// A parallel region costs little on an idle machine, but on a shared one (other processes on the
// cores) every region waits until all its threads have been scheduled, and by default OpenMP
// threads spin at the barrier while they wait. Many small regions per batch then turn a 4 s run
// into a 40 s one. So the backends open a region only for loops of at least grain() units of
// work per thread, and `set` / `scoped` give a library user the thread count without touching OpenMP.
// Every loop of the library gives each output to one thread and sums in a fixed order, so none of
// this changes a result: only where the time goes.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "error.hpp"

namespace denoise {
namespace threads {

/// Default of grain(): ~0.1 ms of work per thread, well above what a region costs when its
/// threads have to wait for a busy core.
constexpr std::size_t default_grain = std::size_t(1) << 18;

namespace detail {
/// The OpenMP default of the process, read once before any set() (restored by set(0)).
inline int initial_default() {
#if defined(_OPENMP)
  static const int n = omp_get_max_threads();
  return n;
#else
  return 1;
#endif
}
inline std::atomic<std::size_t>& grain_setting() {
  static std::atomic<std::size_t> g{default_grain};
  return g;
}
}  // namespace detail

/// Work units (about one flop or one element moved) a thread must get for a loop to run in a
/// parallel region; below it the loop stays on the calling thread.
inline std::size_t grain() { return detail::grain_setting().load(std::memory_order_relaxed); }

/// Changes grain() for the whole process (>= 1; 0 restores default_grain). Lower it on a machine
/// that runs nothing else, or in tests that must exercise the parallel loops at small sizes.
inline void set_grain(std::size_t units) {
  detail::grain_setting().store(units == 0 ? default_grain : units, std::memory_order_relaxed);
}

/// Threads a parallel loop started by the calling thread may use now (1 without OpenMP).
inline int count() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

/// Whether the caller already runs inside an active parallel region (a nested loop stays serial).
inline bool in_parallel() {
#if defined(_OPENMP)
  return omp_in_parallel() != 0;
#else
  return false;
#endif
}

/// Sets the threads of the calling thread's parallel loops: n >= 1, or 0 for the process's
/// OpenMP default (OMP_NUM_THREADS, else every core). Through omp_set_num_threads, so Eigen and
/// every OpenMP loop started from this thread follow it. Throws config_error for n < 0.
inline void set(int n) {
  if (n < 0) {
    throw config_error("must be >= 0 (0: the OpenMP default), got " + std::to_string(n),
                       location::of_field("threads"));
  }
  const int initial = detail::initial_default();
#if defined(_OPENMP)
  omp_set_num_threads(n == 0 ? initial : n);
#else
  static_cast<void>(initial);
#endif
}

namespace detail {
/// The busy-machine guard's state (see region_probe): while `serial_left` > 0 the loops that would
/// open a region run on the calling thread instead, one count each.
struct contention_state {
  std::atomic<bool> adaptive{true};
  std::atomic<long> serial_left{0};
  std::atomic<long> serial_spells{0};  ///< times a late region switched to serial (for tests and logs)
};
inline contention_state& contention() {
  static contention_state state;
  return state;
}
/// A region whose threads start later than this after the region opened found its cores busy.
constexpr double late_start_seconds = 200e-6;
/// Loops run serially after a late region, before the next region probes the machine again.
constexpr long serial_after_late = 256;
}  // namespace detail

/// Whether parallel loops watch for a busy machine and fall back to the calling thread while it
/// lasts (the default). Off: every loop above grain() opens its region whatever the wait.
inline void set_adaptive(bool on) {
  detail::contention().adaptive.store(on, std::memory_order_relaxed);
  if (!on) detail::contention().serial_left.store(0, std::memory_order_relaxed);
}
inline bool adaptive() { return detail::contention().adaptive.load(std::memory_order_relaxed); }
/// How many times a late region has switched the loops to serial so far.
inline long serial_spells() { return detail::contention().serial_spells.load(std::memory_order_relaxed); }

/// Measures how late the threads of one parallel region start. Create it just before the region,
/// call arrive() first thing inside it on every thread; when it goes out of scope after the region,
/// a start later than detail::late_start_seconds means another process held the cores (each region
/// then waits a scheduler slice for its threads, which turns many small regions into a 10x slower
/// run), and the next detail::serial_after_late loops run on the calling thread, after which one
/// region probes again. Only where the time goes changes, never a result: every loop gives each
/// output to one thread and sums in a fixed order.
class region_probe {
 public:
  region_probe() noexcept : opened_(now()) {}
  ~region_probe() {
    if (!adaptive()) return;
    if (latest_.load(std::memory_order_relaxed) - opened_ > detail::late_start_seconds) {
      detail::contention().serial_left.store(detail::serial_after_late, std::memory_order_relaxed);
      detail::contention().serial_spells.fetch_add(1, std::memory_order_relaxed);
    }
  }
  void arrive() noexcept {
    const double t = now();
    double seen = latest_.load(std::memory_order_relaxed);
    while (t > seen && !latest_.compare_exchange_weak(seen, t, std::memory_order_relaxed)) {
    }
  }
  region_probe(const region_probe&) = delete;
  region_probe& operator=(const region_probe&) = delete;

 private:
  static double now() noexcept {
#if defined(_OPENMP)
    return omp_get_wtime();
#else
    return 0.0;
#endif
  }
  double opened_;
  std::atomic<double> latest_{0.0};
};

/// Threads for one loop of `work` units: 1 below 2 * grain(), else at most work / grain() and at
/// most count(); 1 also while a busy machine was detected (region_probe). Only the time depends
/// on it, never the result.
inline int for_work(std::size_t work) {
  const std::size_t g = grain();
  if (work / 2 < g) return 1;
  auto& busy = detail::contention();
  if (busy.serial_left.load(std::memory_order_relaxed) > 0) {
    busy.serial_left.fetch_sub(1, std::memory_order_relaxed);
    return 1;
  }
  const int available = count();
  const std::size_t by_work = work / g;
  return by_work < static_cast<std::size_t>(available) ? static_cast<int>(by_work) : available;
}

/// Sets the thread count for a scope and restores the previous one at its end. 0 keeps the
/// current setting (so an option left at its default changes nothing).
class scoped {
 public:
  explicit scoped(int n) : previous_(count()) {
    if (n < 0) set(n);  // throws
    if (n > 0) set(n);
  }
  ~scoped() {
#if defined(_OPENMP)
    omp_set_num_threads(previous_);
#endif
  }
  scoped(const scoped&) = delete;
  scoped& operator=(const scoped&) = delete;

 private:
  int previous_;
};

}  // namespace threads
}  // namespace denoise
