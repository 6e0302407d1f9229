// The user-written backend of docs/policies/backend.md: it passes check_backend, and layers and
// an optimizer run on it with the same results as the Eigen backend.
#include <boost/test/unit_test.hpp>

#include <denoise/backends/eigen.hpp>
#include <denoise/backends/static_checks.hpp>
#include <denoise/nn/nn.hpp>

#include <vector>

namespace {

template <class Scalar = float>
struct Serial : denoise::backends::detail::common_primitives<Serial<Scalar>, Scalar,
                                                              denoise::backends::detail::std_vector> {
  using base = denoise::backends::detail::common_primitives<Serial<Scalar>, Scalar,
                                                             denoise::backends::detail::std_vector>;
  using eigen = denoise::backends::Eigen<Scalar>;
  using base::gemm;
  static constexpr const char* name() { return "serial"; }

  template <class T> static T* raw(std::vector<T>& v) { return v.data(); }
  template <class T> static const T* raw(const std::vector<T>& v) { return v.data(); }
  template <class T> static void copy_to_host(const std::vector<T>& v, std::vector<T>& out) {
    denoise::backends::detail::host_copy(v, out);
  }
  template <class T> static void copy_from_host(const std::vector<T>& in, std::vector<T>& v) {
    denoise::backends::detail::host_copy(in, v);
  }

  template <class F> static void launch(std::size_t n, const F& f, std::size_t = 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
  }
  static void gemm(bool ta, bool tb, Scalar alpha, typename base::const_view a,
                   typename base::const_view b, Scalar beta, typename base::view c) {
    eigen::gemm(ta, tb, alpha, a, b, beta, c);
  }
  // Sorting and selection: borrow the Eigen backend's (same storage types).
  static void sort_keys(std::vector<std::uint64_t>& k) { eigen::sort_keys(k); }
  static void unique_segments(const typename base::index_vector& r, typename base::index_vector& u,
                              typename base::index_vector& c, typename base::offset_vector& o) {
    eigen::unique_segments(r, u, c, o);
  }
  static std::size_t count_out_of_range(const typename base::index_vector& i, denoise::index_t n) {
    return eigen::count_out_of_range(i, n);
  }
  static void merge_rows(typename base::index_vector& a, const typename base::index_vector& b,
                         typename base::index_vector& s) { eigen::merge_rows(a, b, s); }
  static void sort(typename base::vector& v) { eigen::sort(v); }
  static Scalar nth_element(const typename base::vector& v, std::size_t n) { return eigen::nth_element(v, n); }
  static void segmented_topk(const typename base::vector& v, const typename base::offset_vector& o,
                             denoise::index_t k, typename base::index_vector& out) {
    eigen::segmented_topk(v, o, k, out);
  }
};

static_assert(denoise::backends::check_backend<Serial<>>());

// Optional members are detected: the Eigen backend has both; this backend's segmented_topk takes
// no `ordered` argument (T-CE then asks for the sorted top); models/mf_gmf_test.cpp checks a
// backend whose scatter_add_rows_from is deleted.
static_assert(denoise::backends::has_unordered_segmented_topk_v<denoise::backends::Eigen<float>>);
static_assert(!denoise::backends::has_unordered_segmented_topk_v<Serial<>>);
static_assert(denoise::backends::has_scatter_add_rows_from_v<denoise::backends::Eigen<float>,
                                                             denoise::backends::kernels::matrix_rows<float>>);

template <class B>
std::vector<float> train_a_little() {
  denoise::nn::MLP<B> net({4, 8, 1}, 3);
  denoise::nn::SGD<B> sgd({0.1, 0.0, true});
  typename B::matrix x(16, 4), y, dy;
  typename denoise::nn::MLP<B>::cache c;
  B::fill_uniform(x, 1);
  for (int step = 0; step < 5; ++step) {
    denoise::nn::zero_grad<B>(net);
    net.forward(x, y, c);
    B::copy(y, dy);
    net.backward(c, dy);
    sgd.step(net);
  }
  std::vector<float> out;
  B::to_host(y, out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backends_user_written)

BOOST_AUTO_TEST_CASE(documented_user_backend_trains_like_eigen) {
  const auto serial = train_a_little<Serial<>>();
  const auto eigen = train_a_little<denoise::backends::Eigen<float>>();
  BOOST_TEST(serial == eigen, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
