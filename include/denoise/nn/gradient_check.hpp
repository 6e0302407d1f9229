// Gradient checks: backward() against central finite differences, for parameters and inputs.
// Meant for double-precision backends (Eigen<double>, Thrust<..., double>); slow by design (it
// copies through the host for every perturbed element).
//
//   typename nn::Dense<B>::cache c;                                             // the layer's cache
//   auto loss = [&] { layer.forward(x, y, c); return double(B::dot(y, r)); };   // scalar loss
//   auto grad = [&] { loss(); layer.backward(c, r, dx); };                     // fills gradients
//   auto result = nn::check_gradients<B>(layer, loss, grad);
//   BOOST_TEST(result.passed, result.report());
//
// check_model_gradients(model, batch, c) does the same for a model of the Model policy on one
// batch, through a workspace whose stochastic masks are replayed (dropout, corruption stay fixed).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "parameter.hpp"

namespace denoise {
namespace nn {

struct gradient_check_options {
  double eps = 1e-6;                     ///< finite-difference step
  double tolerance = 1e-6;               ///< on |analytic - numeric| / max(1, |analytic|, |numeric|)
  std::size_t max_per_parameter = 64;    ///< elements checked per matrix (spread evenly)
};

struct gradient_check_result {
  bool passed = true;
  double max_error = 0.0;
  std::size_t checked = 0;
  std::string worst;  ///< "name[index]: analytic a, numeric n"

  std::string report() const {
    return (passed ? "gradient check passed" : "gradient check FAILED") + std::string(", ") +
           std::to_string(checked) + " elements, max error " + std::to_string(max_error) +
           (worst.empty() ? "" : " at " + worst);
  }
  void merge(const gradient_check_result& other) {
    passed = passed && other.passed;
    checked += other.checked;
    if (other.max_error > max_error) {
      max_error = other.max_error;
      worst = other.worst;
    }
  }
};

/// Compares an analytic gradient of `loss` with respect to the matrix x against central
/// differences (x is perturbed and restored exactly).
template <class B, class Loss>
gradient_check_result check_matrix_gradient(typename B::matrix& x, const typename B::matrix& analytic, Loss&& loss,
                                            const std::string& name, const gradient_check_options& options = {}) {
  using S = typename B::scalar;
  gradient_check_result result;
  std::vector<S> values, grad;
  B::to_host(x, values);
  B::to_host(analytic, grad);
  if (grad.size() != values.size()) {
    result.passed = false;
    result.worst = name + ": gradient has " + std::to_string(grad.size()) + " elements, value " +
                   std::to_string(values.size());
    return result;
  }
  const std::size_t n = values.size();
  const std::size_t checks = std::min(n, options.max_per_parameter);
  const index_t rows = x.rows(), cols = x.cols();
  for (std::size_t c = 0; c < checks; ++c) {
    const std::size_t i = checks == n ? c : c * n / checks;
    const S saved = values[i];
    values[i] = static_cast<S>(static_cast<double>(saved) + options.eps);
    B::from_host(values, rows, cols, x);
    const double up = loss();
    values[i] = static_cast<S>(static_cast<double>(saved) - options.eps);
    B::from_host(values, rows, cols, x);
    const double down = loss();
    values[i] = saved;
    B::from_host(values, rows, cols, x);
    const double numeric = (up - down) / (2.0 * options.eps);
    const double a = static_cast<double>(grad[i]);
    const double err = std::abs(a - numeric) / std::max({1.0, std::abs(a), std::abs(numeric)});
    ++result.checked;
    if (!(err <= options.tolerance)) result.passed = false;
    if (err > result.max_error || err != err) {
      result.max_error = err;
      result.worst = name + "[" + std::to_string(i) + "]: analytic " + std::to_string(a) + ", numeric " +
                     std::to_string(numeric);
    }
  }
  return result;
}

/// Checks every parameter of model: zero_grad, grad() (a forward and backward that accumulate
/// the gradients of loss()), then central differences of loss() for each parameter.
template <class B, class Model, class Loss, class Grad>
gradient_check_result check_gradients(Model& model, Loss&& loss, Grad&& grad,
                                      const gradient_check_options& options = {}) {
  zero_grad<B>(model);
  grad();
  param_set<B> grads;
  grads.copy_grads(model);
  gradient_check_result result;
  std::size_t i = 0;
  model.visit_parameters([&](param_ref<B> p) {
    result.merge(check_matrix_gradient<B>(p.value, grads[i], loss, p.name, options));
    ++i;
  });
  return result;
}

/// Gradient check of a Model-policy model on one batch with L = sum_n c[n] logit_n: a first
/// forward draws the masks (in training mode), every later one replays them (ws.replay), so the
/// check also covers stochastic layers.
template <class Model>
gradient_check_result check_model_gradients(Model& model, const typename Model::batch_type& batch,
                                            const typename Model::backend::vector& c,
                                            const gradient_check_options& options = {}) {
  using B = typename Model::backend;
  typename Model::workspace ws;
  typename B::vector logits;
  model.forward(batch, ws, logits);
  ws.replay = true;
  auto loss = [&] {
    model.forward(batch, ws, logits);
    return static_cast<double>(B::dot(logits, c));
  };
  auto grad = [&] {
    loss();
    model.backward(ws, c);
  };
  return check_gradients<B>(model, loss, grad, options);
}

}  // namespace nn
}  // namespace denoise
