// check_backend<B>(): one readable static_assert per missing member of a Backend policy, each
// naming the member and docs/policies/backend.md. Every nn layer and optimizer calls it, so a
// user-written backend that lacks a primitive fails with that line, not a template backtrace.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "../core/static_checks.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace backends {
namespace detail {
namespace probe {

template <class B> using scalar_t = typename B::scalar;
template <class B> using matrix_t = typename B::matrix;
template <class B> using vector_t = typename B::vector;
template <class B> using index_vector_t = typename B::index_vector;
template <class B> using offset_vector_t = typename B::offset_vector;
template <class B> using scatter_workspace_t = typename B::scatter_workspace;

template <class B> using gemm_t = decltype(B::gemm(
    false, false, std::declval<typename B::scalar>(), std::declval<const typename B::matrix&>(),
    std::declval<const typename B::matrix&>(), std::declval<typename B::scalar>(),
    std::declval<typename B::matrix&>()));
template <class B> using gather_rows_t = decltype(B::gather_rows(
    std::declval<const typename B::matrix&>(), std::declval<const typename B::index_vector&>(),
    std::declval<typename B::matrix&>()));
template <class B> using scatter_add_rows_t = decltype(B::scatter_add_rows(
    std::declval<typename B::matrix&>(), std::declval<const typename B::index_vector&>(),
    std::declval<const typename B::matrix&>(), std::declval<typename B::index_vector&>(),
    std::declval<typename B::scatter_workspace&>()));
template <class B> using launch_t = decltype(B::launch(std::size_t{}, std::declval<void (*)(std::size_t)>()));
template <class B> using ptr_t = decltype(B::ptr(std::declval<typename B::matrix&>()));
template <class B> using col_sum_t = decltype(B::col_sum(
    std::declval<const typename B::matrix&>(), std::declval<typename B::vector&>()));
template <class B> using row_sum_t = decltype(B::row_sum(
    std::declval<const typename B::matrix&>(), std::declval<typename B::vector&>()));
template <class B> using sort_t = decltype(B::sort(std::declval<typename B::vector&>()));
template <class B> using nth_element_t =
    decltype(B::nth_element(std::declval<const typename B::vector&>(), std::size_t{}));
template <class B> using segmented_topk_t = decltype(B::segmented_topk(
    std::declval<const typename B::vector&>(), std::declval<const typename B::offset_vector&>(),
    index_t{}, std::declval<typename B::index_vector&>()));
template <class B> using fill_uniform_t =
    decltype(B::fill_uniform(std::declval<typename B::matrix&>(), std::uint64_t{}));
template <class B> using fill_normal_t =
    decltype(B::fill_normal(std::declval<typename B::matrix&>(), std::uint64_t{}));
template <class B> using fill_gumbel_t =
    decltype(B::fill_gumbel(std::declval<typename B::matrix&>(), std::uint64_t{}));
template <class B> using merge_rows_t = decltype(B::merge_rows(
    std::declval<typename B::index_vector&>(), std::declval<const typename B::index_vector&>(),
    std::declval<typename B::index_vector&>()));
template <class B> using to_host_t = decltype(B::to_host(
    std::declval<const typename B::matrix&>(), std::declval<std::vector<typename B::scalar>&>()));

// Optional members (marked so in docs/policies/backend.md): detected where they are used.
template <class B, class Rows> using scatter_add_rows_from_t = decltype(B::scatter_add_rows_from(
    std::declval<typename B::matrix&>(), std::declval<const typename B::index_vector&>(), std::declval<const Rows&>(),
    std::declval<typename B::index_vector&>(), std::declval<typename B::scatter_workspace&>()));
template <class B> using unordered_segmented_topk_t = decltype(B::segmented_topk(
    std::declval<const typename B::vector&>(), std::declval<const typename B::offset_vector&>(), index_t{},
    std::declval<typename B::index_vector&>(), false));

}  // namespace probe
}  // namespace detail

/// Whether B has the optional `scatter_add_rows_from(dst, idx, rows, touched, ws)` for source rows
/// of type Rows (computed rows, never stored); nn::Embedding::backward_rows falls back without it.
template <class B, class Rows>
inline constexpr bool has_scatter_add_rows_from_v = traits::is_detected_v<detail::probe::scatter_add_rows_from_t, B, Rows>;

/// Whether B::segmented_topk takes the optional fifth argument `ordered` (false: the k kept per
/// segment in any order); T-CE passes it where it exists.
template <class B>
inline constexpr bool has_unordered_segmented_topk_v = traits::is_detected_v<detail::probe::unordered_segmented_topk_t, B>;

/// True when B is a usable Backend policy; otherwise the first missing member stops the build.
template <class B>
constexpr bool check_backend() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  DENOISE_STATIC_CHECK((is_detected_v<p::scalar_t, B>),
                       "denoise: a Backend policy needs 'using scalar = <float or double>'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::matrix_t, B>),
                       "denoise: a Backend policy needs a 'matrix' type (row-major rows x cols); see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::vector_t, B>),
                       "denoise: a Backend policy needs a 'vector' type; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::index_vector_t, B>),
                       "denoise: a Backend policy needs an 'index_vector' type; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::offset_vector_t, B>),
                       "denoise: a Backend policy needs an 'offset_vector' type; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::scatter_workspace_t, B>),
                       "denoise: a Backend policy needs a 'scatter_workspace' type; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::ptr_t, B>),
                       "denoise: a Backend policy needs 'static scalar* ptr(matrix&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::launch_t, B>),
                       "denoise: a Backend policy needs 'static void launch(std::size_t n, F f)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::gemm_t, B>),
                       "denoise: a Backend policy needs 'static void gemm(bool trans_a, bool trans_b, scalar alpha, "
                       "const matrix& a, const matrix& b, scalar beta, matrix& c)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::gather_rows_t, B>),
                       "denoise: a Backend policy needs 'static void gather_rows(const matrix&, const index_vector&, "
                       "matrix&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::scatter_add_rows_t, B>),
                       "denoise: a Backend policy needs 'static void scatter_add_rows(matrix&, const index_vector&, "
                       "const matrix&, index_vector& touched, scatter_workspace&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::row_sum_t, B>),
                       "denoise: a Backend policy needs 'static void row_sum(const matrix&, vector&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::col_sum_t, B>),
                       "denoise: a Backend policy needs 'static void col_sum(const matrix&, vector&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::sort_t, B>),
                       "denoise: a Backend policy needs 'static void sort(vector&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::nth_element_t, B>),
                       "denoise: a Backend policy needs 'static scalar nth_element(const vector&, std::size_t)'; "
                       "see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::segmented_topk_t, B>),
                       "denoise: a Backend policy needs 'static void segmented_topk(const vector&, const offset_vector&, "
                       "index_t k, index_vector& out)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::fill_uniform_t, B>),
                       "denoise: a Backend policy needs 'static void fill_uniform(matrix&, std::uint64_t seed)'; "
                       "see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::fill_normal_t, B>),
                       "denoise: a Backend policy needs 'static void fill_normal(matrix&, std::uint64_t seed)'; "
                       "see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::fill_gumbel_t, B>),
                       "denoise: a Backend policy needs 'static void fill_gumbel(matrix&, std::uint64_t seed)'; "
                       "see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::merge_rows_t, B>),
                       "denoise: a Backend policy needs 'static void merge_rows(index_vector&, const index_vector&, "
                       "index_vector&)'; see docs/policies/backend.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::to_host_t, B>),
                       "denoise: a Backend policy needs 'static void to_host(const matrix&, std::vector<scalar>&)'; "
                       "see docs/policies/backend.md");
  return true;
}

}  // namespace backends
}  // namespace denoise
