// Helpers for the nn tests: random matrices and a gradient check of one layer's parameters and
// input against central differences, with the loss sum(y .* r) for a fixed random r.
#pragma once

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

#include <denoise/nn/gradient_check.hpp>
#include <denoise/nn/parameter.hpp>

namespace denoise {
namespace test {

template <class B>
typename B::matrix random_matrix(index_t rows, index_t cols, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
  typename B::matrix m(rows, cols);
  B::fill_uniform(m, seed, typename B::scalar(lo), typename B::scalar(hi));
  return m;
}

template <class B>
std::vector<typename B::scalar> to_host(const typename B::matrix& m) {
  std::vector<typename B::scalar> out;
  B::to_host(m, out);
  return out;
}

template <class B, class V>
auto to_host_vec(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

/// Checks the parameters of `model` and (when x is given) the input gradient.
/// fwd(x, y) runs the forward pass; bwd(dy, dx) the backward pass (dx may be ignored).
template <class B, class Model, class Fwd, class Bwd>
void check_layer(Model& model, typename B::matrix* x, Fwd fwd, Bwd bwd, double tolerance = 1e-6) {
  typename B::matrix y, dx, dx_copy;
  fwd(y);
  auto r = random_matrix<B>(y.rows(), y.cols(), 99);
  auto loss = [&] {
    fwd(y);
    return static_cast<double>(B::dot(y, r));
  };
  auto grad = [&] {
    loss();
    bwd(r, dx);
  };
  nn::gradient_check_options options;
  options.tolerance = tolerance;
  const auto result = nn::check_gradients<B>(model, loss, grad, options);
  BOOST_TEST(result.passed, B::name() << ": " << result.report());
  BOOST_TEST((result.checked > 0u) == (nn::parameter_count<B>(model) > 0u));
  if (x != nullptr) {
    nn::zero_grad<B>(model);
    grad();
    B::copy(dx, dx_copy);
    const auto input = nn::check_matrix_gradient<B>(*x, dx_copy, loss, "input", options);
    BOOST_TEST(input.passed, B::name() << ": " << input.report());
  }
}

}  // namespace test
}  // namespace denoise
