// The user-written policies of docs/policies/{loss,selection,baseline,backend}.md, compiled
// verbatim (docs.snippets checks each block against its page) and exercised: the loss's gradient
// against finite differences, the selection's actions at epsilon 0 and 1, the baseline's mean,
// and the serial backend against the Eigen backend on the same network.
// [doc: backend.md serial-backend]
#include <denoise/backends/eigen.hpp>
#include <denoise/backends/static_checks.hpp>
#include <denoise/nn/mlp.hpp>

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
denoise::nn::MLP<Serial<>> net({16, 32, 1});   // every layer works with it
// [end]

// [doc: selection.md epsilon-greedy]
#include <cstdint>
#include <denoise/core/macros.hpp>
#include <denoise/core/random.hpp>
#include <denoise/rl/rl.hpp>

struct EpsilonGreedy {
  static constexpr const char* name() { return "epsilon_greedy"; }
  double epsilon = 0.2;

  template <class S>
  struct kernel {
    const S* probs;                        // rows x 2
    const denoise::index_t* ids;
    denoise::index_t* actions;
    denoise::random::counter_stream stream;
    S epsilon;
    DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
      const denoise::index_t greedy = probs[2 * r + 1] > probs[2 * r] ? 1 : 0;
      const bool flip = stream.uniform<S>(static_cast<std::uint64_t>(ids[r])) < epsilon;
      actions[r] = flip ? 1 - greedy : greedy;
    }
  };

  template <class B>
  class State {
   public:
    State(const EpsilonGreedy& policy, std::uint64_t seed)
        : epsilon_(policy.epsilon), seed_(denoise::random::derive_seed(seed, "epsilon_greedy")) {}
    void select(const typename B::matrix& probs, const typename B::index_vector& ids,
                typename B::index_vector& actions) {
      actions.resize(ids.size());
      const denoise::random::counter_stream stream(denoise::random::derive_seed(seed_, draw_++));
      B::launch(ids.size(), kernel<typename B::scalar>{B::ptr(probs), B::ptr(ids), B::ptr(actions), stream,
                                                       static_cast<typename B::scalar>(epsilon_)});
    }

   private:
    double epsilon_;
    std::uint64_t seed_;
    std::uint64_t draw_ = 0;
  };
};
static_assert(denoise::rl::check_selection<EpsilonGreedy, denoise::backends::Eigen<float>>(), "");
// [end]

// [doc: baseline.md running-mean]
#include <cstddef>

struct RunningMean {
  static constexpr const char* name() { return "running_mean"; }
  double value() const { return count == 0 ? 0.0 : sum / static_cast<double>(count); }
  void update(double reward) {
    sum += reward;
    ++count;
  }
  double sum = 0.0;
  std::size_t count = 0;
};
static_assert(denoise::rl::check_baseline<RunningMean>(), "");
// [end]

#include <denoise/losses/layout.hpp>
#include <denoise/losses/static_checks.hpp>
#include <denoise/nn/mlp.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

// [doc: loss.md squared-error]
// Squared error on probabilities: (sigmoid(z) - y)^2, one sample per logit.
struct SquaredError {
  static const char* name() { return "squared-error"; }
  static std::size_t sample_count(const denoise::losses::layout& l) { return l.logits(); }
  static std::size_t anchor(std::size_t s, const denoise::losses::layout&) { return s; }

  template <class S> struct fwd {
    const S* z; const S* y; S* loss; S* pred; S* pos;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      const S p = S(1) / (S(1) + std::exp(-z[i]));
      loss[i] = (p - y[i]) * (p - y[i]); pred[i] = p; pos[i] = y[i];
    }
  };
  template <class S> struct bwd {
    const S* z; const S* y; const S* w; S scale; S* dz;
    DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
      const S p = S(1) / (S(1) + std::exp(-z[i]));
      dz[i] = scale * w[i] * S(2) * (p - y[i]) * p * (S(1) - p);
    }
  };
  template <class B>
  static void forward(const typename B::vector& z, const typename B::vector& y, const denoise::losses::layout&,
                      typename B::vector& loss, typename B::vector& pred, typename B::vector& pos) {
    loss.resize(z.size()); pred.resize(z.size()); pos.resize(z.size());
    B::launch(z.size(), fwd<typename B::scalar>{B::ptr(z), B::ptr(y), B::ptr(loss), B::ptr(pred), B::ptr(pos)});
  }
  template <class B>
  static void backward(const typename B::vector& z, const typename B::vector& y, const denoise::losses::layout&,
                       const typename B::vector& w, typename B::scalar scale, typename B::vector& dz) {
    dz.resize(z.size());
    B::launch(z.size(), bwd<typename B::scalar>{B::ptr(z), B::ptr(y), B::ptr(w), scale, B::ptr(dz)});
  }
  // (tangent is optional: without it, per-sample gradient products use finite differences)
};
// train::Trainer<models::GMF<B>, SquaredError> trainer(model);
// [end]

namespace {

using D = denoise::backends::Eigen<double>;
static_assert(denoise::losses::check_loss<SquaredError, D>(), "");

std::vector<double> host(const D::vector& v) {
  std::vector<double> out;
  D::to_host(v, out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(docs_policies)

BOOST_AUTO_TEST_CASE(squared_error_gradient_matches_finite_differences) {
  const std::vector<double> z_host{-2.0, -0.3, 0.0, 0.7, 3.0};
  const std::vector<double> y_host{1.0, 0.0, 1.0, 1.0, 0.0};
  const std::vector<double> w_host{1.0, 2.0, 0.5, 0.0, 1.5};
  const double scale = 0.25;
  denoise::losses::layout l;
  l.groups = z_host.size();
  D::vector z, y, w, loss, pred, pos, dz;
  D::from_host(z_host, z);
  D::from_host(y_host, y);
  D::from_host(w_host, w);
  SquaredError::backward<D>(z, y, l, w, scale, dz);
  const auto analytic = host(dz);
  const double eps = 1e-6;
  for (std::size_t i = 0; i < z_host.size(); ++i) {
    auto total = [&](double delta) {
      auto moved = z_host;
      moved[i] += delta;
      D::from_host(moved, z);
      SquaredError::forward<D>(z, y, l, loss, pred, pos);
      const auto per_sample = host(loss);
      double sum = 0.0;
      for (std::size_t s = 0; s < per_sample.size(); ++s) sum += scale * w_host[s] * per_sample[s];
      return sum;
    };
    const double numeric = (total(eps) - total(-eps)) / (2 * eps);
    BOOST_TEST(analytic[i] == numeric, boost::test_tools::tolerance(1e-7));
  }
  // the loss itself, by hand at z = 0, y = 1: (0.5 - 1)^2
  BOOST_TEST(host(loss)[2] == 0.25, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(epsilon_greedy_is_greedy_at_zero_and_contrary_at_one) {
  using F = denoise::backends::Eigen<float>;
  F::matrix probs;
  F::from_host(std::vector<float>{0.9f, 0.1f, 0.2f, 0.8f, 0.4f, 0.6f, 0.7f, 0.3f}, 4, 2, probs);
  F::index_vector ids, actions;
  F::from_host(std::vector<denoise::index_t>{3, 8, 1, 5}, ids);
  std::vector<denoise::index_t> got;

  EpsilonGreedy greedy;
  greedy.epsilon = 0.0;
  EpsilonGreedy::State<F>(greedy, 7).select(probs, ids, actions);
  F::to_host(actions, got);
  BOOST_TEST(got == (std::vector<denoise::index_t>{0, 1, 1, 0}), boost::test_tools::per_element());

  EpsilonGreedy contrary;
  contrary.epsilon = 1.0;
  EpsilonGreedy::State<F>(contrary, 7).select(probs, ids, actions);
  F::to_host(actions, got);
  BOOST_TEST(got == (std::vector<denoise::index_t>{1, 0, 0, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(running_mean_starts_at_zero_and_averages_rewards) {
  RunningMean b;
  BOOST_TEST(b.value() == 0.0);
  b.update(0.5);
  b.update(0.2);
  b.update(0.8);
  BOOST_TEST(b.value() == 0.5, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(serial_backend_mlp_matches_the_eigen_backend) {
  using E = denoise::backends::Eigen<float>;
  denoise::nn::MLP<E> reference({16, 32, 1});
  // Same shapes; copy the serial net's parameters into the Eigen one, then compare outputs.
  std::vector<std::vector<float>> values;
  net.visit_parameters([&](auto p) {
    std::vector<float> v;
    Serial<>::to_host(p.value, v);
    values.push_back(v);
  });
  std::size_t k = 0;
  reference.visit_parameters([&](auto p) {
    E::from_host(values.at(k++), p.value.rows(), p.value.cols(), p.value);
  });
  BOOST_TEST(k == values.size());

  std::vector<float> x_host(3 * 16);
  for (std::size_t i = 0; i < x_host.size(); ++i) x_host[i] = 0.05f * static_cast<float>(i % 11) - 0.2f;
  Serial<>::matrix xs, ys;
  E::matrix xe, ye;
  Serial<>::from_host(x_host, 3, 16, xs);
  E::from_host(x_host, 3, 16, xe);
  denoise::nn::MLP<Serial<>>::cache serial_cache;
  denoise::nn::MLP<E>::cache eigen_cache;
  net.forward(xs, ys, serial_cache);
  reference.forward(xe, ye, eigen_cache);
  std::vector<float> a, b;
  Serial<>::to_host(ys, a);
  E::to_host(ye, b);
  BOOST_TEST(a.size() == 3u);
  BOOST_TEST(a == b, boost::test_tools::tolerance(1e-5f) << boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
