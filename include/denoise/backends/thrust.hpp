// backends::Thrust<System, Scalar>: the same primitives as backends::Eigen, written with Thrust
// algorithms on an explicitly named execution policy, so one test binary can hold the CPP and
// OMP systems and nvcc builds the CUDA one from the same source.
//
//   thrust_system::cpp   thrust::cpp::par   std::vector storage      (g++, clang++, nvcc)
//   thrust_system::omp   thrust::omp::par   std::vector storage      (needs OpenMP)
//   thrust_system::cuda  thrust::cuda::par  thrust::device_vector    (nvcc only)
//
// No Eigen here: nvcc translation units include this header.
#pragma once

// A host compiler without THRUST_DEVICE_SYSTEM would make Thrust default to CUDA and look for
// the CUDA runtime; denoise::thrust defines it, and plain host builds get the CPP system.
#if !defined(__CUDACC__) && !defined(THRUST_DEVICE_SYSTEM)
#define THRUST_DEVICE_SYSTEM 4  // THRUST_DEVICE_SYSTEM_CPP
#endif

#include <thrust/binary_search.h>
#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/execution_policy.h>
#include <thrust/fill.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/constant_iterator.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/reduce.h>
#include <thrust/scan.h>
#include <thrust/sequence.h>
#include <thrust/set_operations.h>
#include <thrust/sort.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/transform.h>

#if !defined(__CUDACC__) || defined(_OPENMP)
#define DENOISE_THRUST_HAS_OMP 1
#include <thrust/system/omp/execution_policy.h>
#else
#define DENOISE_THRUST_HAS_OMP 0
#endif

#if defined(__CUDACC__)
#include <thrust/device_vector.h>
#include <thrust/system/cuda/execution_policy.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/threads.hpp"
#include "../core/types.hpp"
#include "detail/common.hpp"
#include "detail/std_vector.hpp"

namespace denoise {
namespace backends {

namespace thrust_system {

/// Sequential host system: thrust::cpp::par over std::vector.
struct cpp {
  static constexpr const char* name() { return "thrust-cpp"; }
  static constexpr bool host_memory = true;
  static auto policy() { return thrust::cpp::par; }
  static auto linear_policy() { return thrust::cpp::par; }
  template <class T>
  using vector = std::vector<T>;
};

#if DENOISE_THRUST_HAS_OMP
/// OpenMP host system: thrust::omp::par over std::vector.
struct omp {
  static constexpr const char* name() { return "thrust-omp"; }
  static constexpr bool host_memory = true;
  static auto policy() { return thrust::omp::par; }
  /// Linear-time compactions (reduce_by_key, scans, set_union) run sequentially on the host
  /// memory: cheap next to the sorts, and it keeps g++'s -Wnull-dereference quiet about the
  /// OMP system's reduction internals.
  static auto linear_policy() { return thrust::cpp::par; }
  template <class T>
  using vector = std::vector<T>;
};
#endif

#if defined(__CUDACC__)
/// CUDA device: thrust::cuda::par over thrust::device_vector (nvcc only).
struct cuda {
  static constexpr const char* name() { return "thrust-cuda"; }
  static constexpr bool host_memory = false;
  static auto policy() { return thrust::cuda::par; }
  static auto linear_policy() { return thrust::cuda::par; }
  template <class T>
  using vector = thrust::device_vector<T>;
};
#endif

}  // namespace thrust_system

namespace detail {

template <class F>
struct index_adapter {
  F f;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { f(i); }
};

template <class T>
struct greater_nan_lowest {
  DENOISE_HOST_DEVICE bool operator()(T x, T y) const {
    return kernels::nan_to_lowest<T>{}(x) > kernels::nan_to_lowest<T>{}(y);
  }
};
template <class T>
struct less_nan_lowest {
  DENOISE_HOST_DEVICE bool operator()(T x, T y) const {
    return kernels::nan_to_lowest<T>{}(x) < kernels::nan_to_lowest<T>{}(y);
  }
};

/// seg[i] = the segment that global position pos[i] falls in (offsets ascending).
struct segment_of {
  const offset_t* offsets;
  std::size_t segments;
  const index_t* pos;
  index_t* seg;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    const offset_t p = pos[i];
    std::size_t lo = 0, hi = segments;  // find s with offsets[s] <= p < offsets[s+1]
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (offsets[mid] <= p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    seg[i] = static_cast<index_t>(lo);
  }
};

/// Stable sort of (keys, values) by keys with comp, on host memory, through std::stable_sort.
/// Thrust 1.17's host sorts bind references through a null system pointer inside
/// thrust/detail/reference.h (UBSan: "reference binding to null pointer"), so the CPP and OMP
/// systems sort with the standard library; the CUDA system uses Thrust's sorts.
template <class K, class V, class Compare>
void host_stable_sort_by_key(std::vector<K>& keys, std::vector<V>& values, Compare comp) {
  std::vector<std::size_t> perm(keys.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::stable_sort(perm.begin(), perm.end(), [&](std::size_t a, std::size_t b) { return comp(keys[a], keys[b]); });
  std::vector<K> k2(keys.size());
  std::vector<V> v2(values.size());
  for (std::size_t i = 0; i < perm.size(); ++i) {
    k2[i] = keys[perm[i]];
    v2[i] = values[perm[i]];
  }
  keys.swap(k2);
  values.swap(v2);
}

}  // namespace detail

template <class System, class Scalar = float>
struct Thrust : detail::common_primitives<Thrust<System, Scalar>, Scalar, System::template vector> {
  using base = detail::common_primitives<Thrust<System, Scalar>, Scalar, System::template vector>;
  using system = System;
  using typename base::const_view;
  using typename base::index_vector;
  using typename base::matrix;
  using typename base::offset_vector;
  using typename base::vector;
  using typename base::view;
  using base::gemm;
  template <class T>
  using flat = typename System::template vector<T>;

  static constexpr const char* name() { return System::name(); }

  template <class T>
  static T* raw(flat<T>& v) {
    return thrust::raw_pointer_cast(v.data());
  }
  template <class T>
  static const T* raw(const flat<T>& v) {
    return thrust::raw_pointer_cast(v.data());
  }
  template <class T>
  static void copy_to_host(const flat<T>& v, std::vector<T>& out) {
    if constexpr (System::host_memory) {
      detail::host_copy(v, out);
    } else {
      out.resize(v.size());
      thrust::copy(v.begin(), v.end(), out.begin());
    }
  }
  template <class T>
  static void copy_from_host(const std::vector<T>& in, flat<T>& v) {
    if constexpr (System::host_memory) {
      detail::host_copy(in, v);
    } else {
      v.resize(in.size());
      thrust::copy(in.begin(), in.end(), v.begin());
    }
  }

  /// f(i) for i in [0, n) with thrust::for_each_n on the system's policy. On the host systems a
  /// loop below threads::grain() per thread runs on the calling thread: the OMP system would open a
  /// parallel region for it (see core/threads.hpp).
  template <class F>
  static void launch(std::size_t n, const F& f, std::size_t work = 1) {
    if (n == 0) return;
    if constexpr (System::host_memory) {
      if (threads::for_work(n * work) == 1) {
        for (std::size_t i = 0; i < n; ++i) f(i);
        return;
      }
    }
    thrust::for_each_n(System::policy(), thrust::counting_iterator<std::size_t>(0), n,
                       detail::index_adapter<F>{f});
  }

  /// Portable gemm: one thread per element of C, summing over k in order. Adequate for tests and
  /// CPU runs at recommender widths; a cuBLAS path for CUDA is out of scope (see backend.md).
  static void gemm(bool trans_a, bool trans_b, Scalar alpha, const_view a, const_view b, Scalar beta,
                   view c) {
    base::check_gemm(trans_a, trans_b, a, b, c);
    const auto k = static_cast<std::size_t>(trans_a ? a.rows : a.cols);
    launch(c.size(),
           kernels::gemm_element<Scalar>{a.data, b.data, c.data, static_cast<std::size_t>(c.cols), k,
                                         static_cast<std::size_t>(a.cols), static_cast<std::size_t>(b.cols),
                                         trans_a, trans_b, alpha, beta},
           k);
  }

  static void sort_keys(flat<std::uint64_t>& keys) {
    if constexpr (System::host_memory) {
      std::sort(keys.begin(), keys.end());  // distinct keys: stability is irrelevant
    } else {
      thrust::sort(System::policy(), keys.begin(), keys.end());
    }
  }

  static void unique_segments(const index_vector& sorted_rows, index_vector& unique, index_vector& counts,
                              offset_vector& offsets) {
    const std::size_t n = sorted_rows.size();
    unique.resize(n);
    counts.resize(n);
    const auto ends = thrust::reduce_by_key(System::linear_policy(), sorted_rows.begin(), sorted_rows.end(),
                                            thrust::constant_iterator<index_t>(1), unique.begin(),
                                            counts.begin());
    const auto u = static_cast<std::size_t>(ends.first - unique.begin());
    unique.resize(u);
    counts.resize(u);
    offsets.resize(u + 1);
    thrust::fill_n(System::linear_policy(), offsets.begin(), 1, offset_t(0));
    thrust::inclusive_scan(System::linear_policy(), counts.begin(), counts.end(), offsets.begin() + 1);
  }

  /// Counted in fixed chunks (a kernel, then a host sum) rather than with thrust::count_if.
  static std::size_t count_out_of_range(const index_vector& idx, index_t limit) {
    constexpr std::size_t chunk = 4096;
    const std::size_t parts = (idx.size() + chunk - 1) / chunk;
    if (parts == 0) return 0;
    index_vector partial(parts);
    launch(parts, kernels::count_outside{base::ptr(idx), base::ptr(partial), idx.size(), chunk, limit}, chunk);
    std::vector<index_t> host;
    copy_to_host(partial, host);
    std::size_t bad = 0;
    for (index_t c : host) bad += static_cast<std::size_t>(c);
    return bad;
  }

  static void merge_rows(index_vector& a, const index_vector& b, index_vector& scratch) {
    if (b.empty()) return;
    if (a.empty()) {  // Thrust 1.17's set_union dereferences the begin of an empty range
      base::copy(b, a);
      return;
    }
    scratch.resize(a.size() + b.size());
    const auto end =
        thrust::set_union(System::linear_policy(), a.begin(), a.end(), b.begin(), b.end(), scratch.begin());
    scratch.resize(static_cast<std::size_t>(end - scratch.begin()));
    a.swap(scratch);
  }

  static void sort(vector& v) {
    if constexpr (System::host_memory) {
      std::sort(v.begin(), v.end(), detail::less_nan_lowest<Scalar>{});
    } else {
      thrust::sort(System::policy(), v.begin(), v.end(), detail::less_nan_lowest<Scalar>{});
    }
  }
  static void sort_by_key(vector& keys, index_vector& values, bool descending = false) {
    base::require_same_size(keys.size(), values.size(), "sort_by_key");
    if (descending) {
      stable_sort_by_key(keys, values, detail::greater_nan_lowest<Scalar>{});
    } else {
      stable_sort_by_key(keys, values, detail::less_nan_lowest<Scalar>{});
    }
  }
  /// Thrust has no nth_element: this sorts a copy (O(n log n)).
  static Scalar nth_element(const vector& v, std::size_t n) {
    if (n >= v.size()) throw config_error("nth_element: position out of range");
    vector tmp(v);
    sort(tmp);
    std::vector<Scalar> host;
    copy_to_host(tmp, host);
    return host[n];
  }

  template <class K, class V, class Compare>
  static void stable_sort_by_key(flat<K>& keys, flat<V>& values, Compare comp) {
    if constexpr (System::host_memory) {
      detail::host_stable_sort_by_key(keys, values, comp);
    } else {
      thrust::stable_sort_by_key(System::policy(), keys.begin(), keys.end(), values.begin(), comp);
    }
  }

  /// Per-segment top-k (see Eigen::segmented_topk for the contract): a stable sort of all
  /// positions by value, then a stable sort by segment, then the first k of each segment.
  static void segmented_topk(const vector& values, const offset_vector& offsets, index_t k,
                             index_vector& out, bool /*ordered: always ordered here*/ = true) {
    if (k < 0) throw config_error("segmented_topk: k must be >= 0");
    const std::size_t segments = offsets.empty() ? 0 : offsets.size() - 1;
    const auto kk = static_cast<std::size_t>(k);
    out.resize(segments * kk);
    if (segments == 0 || kk == 0) return;
    const std::size_t n = values.size();
    vector keys(values);
    index_vector pos(n), seg(n);
    thrust::sequence(System::policy(), pos.begin(), pos.end(), index_t(0));
    stable_sort_by_key(keys, pos, detail::greater_nan_lowest<Scalar>{});
    launch(n, detail::segment_of{base::ptr(offsets), segments, base::ptr(pos), base::ptr(seg)});
    stable_sort_by_key(seg, pos, thrust::less<index_t>{});
    launch(out.size(), kernels::topk_output{base::ptr(pos), base::ptr(offsets), base::ptr(out), kk});
  }
};

}  // namespace backends
}  // namespace denoise
