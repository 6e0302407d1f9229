// denoise::threads (core/threads.hpp): the thread-count setting, the work threshold of the
// backends' parallel loops, and the same bits whether a loop runs serially or on several threads;
// and the two scatter-add plans (counting sort for tables near the batch size, key sort beyond).
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <denoise/core/threads.hpp>
#include <denoise/train/options.hpp>

#include "helpers.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using denoise::test::host;
using denoise::test::host_vec;
using denoise::test::make_matrix;

namespace {

bool names_threads(const config_error& e) { return std::string(e.what()).find("threads") != std::string::npos; }

/// Restores the process's grain and thread count when a test ends, whatever it set. Meanwhile the
/// busy-machine guard is off, so that a loop above the grain always opens its region (on a loaded
/// test machine the guard would otherwise run some of them serially: same bits, other paths).
struct restore_settings {
  int previous = threads::count();
  restore_settings() { threads::set_adaptive(false); }
  ~restore_settings() {
    threads::set_grain(0);
    threads::set(previous);
    threads::set_adaptive(true);
  }
};

/// gemm (several row blocks, and one block above Eigen's own threading threshold), scatter-add,
/// gather, column sums and a chunked sum: every primitive whose loops the grain decides.
template <class B>
std::vector<typename B::scalar> primitives(int thread_count) {
  threads::set(thread_count);
  auto a = make_matrix<B>(700, 48, 1), w = make_matrix<B>(48, 96, 2);
  typename B::matrix c, d, one_block;
  B::gemm(false, false, 1.0f, a, w, 0.0f, c);
  B::gemm(true, false, 1.0f, a, c, 0.0f, d);  // inner dimension 700
  auto tall = make_matrix<B>(100, 400, 3), wide = make_matrix<B>(400, 300, 4);
  B::gemm(false, false, 1.0f, tall, wide, 0.0f, one_block);  // one 128-row task, 12M multiply-adds
  std::vector<index_t> rows(700);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<index_t>((i * 37) % 61);
  typename B::index_vector idx, touched;
  B::from_host(rows, idx);
  typename B::matrix table(61, 96), gathered;
  B::fill(table, 0.0f);
  typename B::scatter_workspace ws;
  B::scatter_add_rows(table, idx, c, touched, ws);
  B::gather_rows(table, idx, gathered);
  typename B::vector cs;
  B::col_sum(gathered, cs);
  std::vector<typename B::scalar> out = host<B>(d);
  for (auto v : host<B>(one_block)) out.push_back(v);
  for (auto v : host<B>(table)) out.push_back(v);
  for (auto v : host_vec<B>(cs)) out.push_back(v);
  out.push_back(B::sum(c));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backends_threads)

BOOST_AUTO_TEST_CASE(negative_thread_counts_are_rejected_naming_the_field) {
  const restore_settings restore;
  BOOST_CHECK_EXCEPTION(threads::set(-1), config_error, names_threads);
  BOOST_CHECK_EXCEPTION(threads::scoped(-2), config_error, names_threads);
  train::trainer_options options;
  options.threads = -1;
  BOOST_CHECK_EXCEPTION(options.validate(), config_error, names_threads);
  options.threads = 1;
  BOOST_CHECK_NO_THROW(options.validate());
}

#if defined(_OPENMP)
BOOST_AUTO_TEST_CASE(scoped_sets_the_count_and_restores_it) {
  const restore_settings restore;
  threads::set(2);
  {
    const threads::scoped one(1);
    BOOST_TEST(threads::count() == 1);
    {
      const threads::scoped keep(0);  // 0 keeps the current setting
      BOOST_TEST(threads::count() == 1);
    }
    BOOST_TEST(threads::count() == 1);
  }
  BOOST_TEST(threads::count() == 2);
  threads::set(3);
  BOOST_TEST(threads::count() == 3);
}
#endif

BOOST_AUTO_TEST_CASE(loops_below_two_grains_stay_on_the_calling_thread) {
  const restore_settings restore;
  threads::set(2);
  const std::size_t g = threads::default_grain;
  BOOST_TEST(threads::grain() == g);
  BOOST_TEST(threads::for_work(0) == 1);
  BOOST_TEST(threads::for_work(2 * g - 1) == 1);
  BOOST_TEST(threads::for_work(2 * g) == threads::count());
  BOOST_TEST(threads::for_work(std::size_t(1) << 40) == threads::count());
  threads::set(8);
  BOOST_TEST(threads::for_work(3 * g) == (threads::count() >= 3 ? 3 : threads::count()));  // one grain each
  threads::set_grain(10);
  BOOST_TEST(threads::grain() == 10u);
  BOOST_TEST(threads::for_work(20) == (threads::count() >= 2 ? 2 : 1));
  threads::set_grain(0);
  BOOST_TEST(threads::grain() == g);
}

// The busy-machine guard: a region whose threads start late (here: a probe whose only arrival
// comes 2 ms after it opened) sends the next loops that would open a region to the calling
// thread, exactly detail::serial_after_late of them, then the next one may open a region again.
// Off, nothing changes. Only the thread count depends on it (the bits: the test above).
BOOST_AUTO_TEST_CASE(a_late_region_runs_the_next_loops_serially_then_probes_again) {
#if defined(_OPENMP)
  const restore_settings restore;
  threads::set(2);
  threads::set_adaptive(true);
  const std::size_t big = std::size_t(1) << 40;
  BOOST_TEST(threads::for_work(big) == 2);
  const long spells = threads::serial_spells();
  {
    threads::region_probe probe;
    probe.arrive();  // on time
  }
  BOOST_TEST(threads::serial_spells() == spells);
  BOOST_TEST(threads::for_work(big) == 2);
  {
    threads::region_probe probe;
    const double until = omp_get_wtime() + 2e-3;
    while (omp_get_wtime() < until) {
    }
    probe.arrive();  // a thread scheduled 2 ms late
  }
  BOOST_TEST(threads::serial_spells() == spells + 1);
  BOOST_TEST(threads::for_work(10) == 1);  // below the grain: not counted
  for (long k = 0; k < threads::detail::serial_after_late; ++k) BOOST_TEST_REQUIRE(threads::for_work(big) == 1);
  BOOST_TEST(threads::for_work(big) == 2);
  // Off: a late region changes nothing.
  threads::set_adaptive(false);
  {
    threads::region_probe probe;
    const double until = omp_get_wtime() + 2e-3;
    while (omp_get_wtime() < until) {
    }
    probe.arrive();
  }
  BOOST_TEST(threads::for_work(big) == 2);
#else
  BOOST_TEST(threads::for_work(std::size_t(1) << 40) == 1);
#endif
}

// With grain 1 every loop and gemm of primitives() runs in a parallel region; with the default
// grain most run serially. All four give the same bits.
DENOISE_TYPED_TEST(same_bits_serial_and_parallel_at_any_thread_count, denoise::test::backend_list_float) {
  using B = TestType;
  const restore_settings restore;
  const auto serial_one = primitives<B>(1);
  const auto serial_two = primitives<B>(2);
  threads::set_grain(1);
  const auto parallel_one = primitives<B>(1);
  const auto parallel_two = primitives<B>(2);
  BOOST_TEST(serial_one == serial_two, boost::test_tools::per_element());
  BOOST_TEST(serial_one == parallel_one, boost::test_tools::per_element());
  BOOST_TEST(serial_one == parallel_two, boost::test_tools::per_element());
}

// A 16-row table takes the direct loop on one thread (or below the grain) and the counting plan
// in a parallel region, a 100,000-row one the key sort: the same touched rows and the same sums in
// source order.
DENOISE_TYPED_TEST(scatter_add_plans_agree, denoise::test::backend_list_double) {
  using B = TestType;
  const restore_settings restore;
  std::vector<index_t> rows(500);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<index_t>((i * 7 + i / 3) % 13 + 2);
  typename B::index_vector idx;
  B::from_host(rows, idx);
  const auto src = make_matrix<B>(500, 5, 1);
  typename B::matrix small(16, 5), large(100000, 5);
  B::fill(small, 0.5);
  B::fill(large, 0.5);
  typename B::index_vector touched_small, touched_large;
  typename B::scatter_workspace ws;
  B::scatter_add_rows(small, idx, src, touched_small, ws);
  B::scatter_add_rows(large, idx, src, touched_large, ws);  // the same workspace, reused
  typename B::matrix counted(16, 5);
  B::fill(counted, 0.5);
  typename B::index_vector touched_counted;
  threads::set(2);
  threads::set_grain(1);
  B::scatter_add_rows(counted, idx, src, touched_counted, ws);
  threads::set_grain(0);
  const auto ts = host_vec<B>(touched_small), tl = host_vec<B>(touched_large);
  BOOST_TEST(ts == tl, boost::test_tools::per_element());
  BOOST_TEST(ts == host_vec<B>(touched_counted), boost::test_tools::per_element());
  BOOST_TEST(host<B>(small) == host<B>(counted), boost::test_tools::per_element());
  BOOST_TEST(ts.size() == 13u);
  BOOST_TEST(ts.front() == 2);
  const auto hs = host<B>(small), hl = host<B>(large), hsrc = host<B>(src);
  const std::vector<double> head(hl.begin(), hl.begin() + 16 * 5);
  BOOST_TEST(hs == head, boost::test_tools::per_element());
  std::vector<double> expect(16 * 5, 0.5);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < 5; ++c) expect[std::size_t(rows[i]) * 5 + c] += hsrc[i * 5 + c];
  BOOST_TEST(hs == expect, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
