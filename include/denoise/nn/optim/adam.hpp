// Adam<B> with L2 weight decay, PyTorch's torch.optim.Adam formula (weight decay added to the
// gradient, not decoupled as in AdamW). Lazy mode (the default), like TensorFlow's LazyAdam and
// PyTorch's SparseAdam: for a sparse parameter only the rows touched by this batch get their
// moments and values updated, with the global step count in the bias corrections. Dense mode
// updates every row every step (untouched rows see a zero gradient, their moments decay and
// they keep moving): PyTorch's dense Adam on a dense embedding gradient.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../parameter.hpp"
#include "update_kernels.hpp"

namespace denoise {
namespace nn {

struct adam_options {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;  ///< L2 coefficient added to the gradient (touched rows only when lazy)
  bool lazy = true;           ///< update only touched rows of sparse parameters
};

template <class B>
class Adam {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  explicit Adam(adam_options options = {}) : options_(options) {
    if (!(options.lr > 0.0)) throw config_error("Adam: lr must be positive");
    if (!(options.beta1 >= 0.0 && options.beta1 < 1.0) || !(options.beta2 >= 0.0 && options.beta2 < 1.0)) {
      throw config_error("Adam: beta1 and beta2 must be in [0, 1)");
    }
    if (!(options.eps > 0.0)) throw config_error("Adam: eps must be positive");
    if (options.weight_decay < 0.0) throw config_error("Adam: weight_decay must be >= 0");
  }

  const adam_options& options() const noexcept { return options_; }
  void set_lr(double lr) { options_.lr = lr; }
  std::uint64_t steps() const noexcept { return steps_; }
  /// Drops the moments and the step count (a fresh optimizer for a re-initialised model).
  void reset() {
    m_.clear();
    v_.clear();
    steps_ = 0;
  }
  /// First and second moments of parameter i (visit order), for inspection and checkpoints.
  const matrix& first_moment(std::size_t i) const { return m_.at(i); }
  const matrix& second_moment(std::size_t i) const { return v_.at(i); }

  template <class Model>
  void step(Model& model) {
    ++steps_;
    const double t = static_cast<double>(steps_);
    const double bc1 = 1.0 - std::pow(options_.beta1, t);
    const double bc2 = 1.0 - std::pow(options_.beta2, t);
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) {
      B::require_same_shape(p.value, p.grad, "Adam::step");
      if (i == m_.size()) {
        m_.emplace_back(p.value.rows(), p.value.cols());
        v_.emplace_back(p.value.rows(), p.value.cols());
        B::fill(m_.back(), scalar(0));
        B::fill(v_.back(), scalar(0));
      } else if (m_[i].rows() != p.value.rows() || m_[i].cols() != p.value.cols()) {
        throw config_error(std::string("Adam::step: parameter '") + p.name +
                           "' changed shape since the last step; call reset()");
      }
      const bool rows_only = options_.lazy && p.touched != nullptr;
      const auto cols = static_cast<std::size_t>(p.value.cols());
      const std::size_t n = rows_only ? p.touched->size() : static_cast<std::size_t>(p.value.rows());
      B::launch(n, kernels::adam_update<scalar>{
                       B::ptr(p.value), B::ptr(p.grad), B::ptr(m_[i]), B::ptr(v_[i]),
                       rows_only ? B::ptr(*p.touched) : nullptr, cols,
                       static_cast<scalar>(options_.lr / bc1), static_cast<scalar>(1.0 / std::sqrt(bc2)),
                       static_cast<scalar>(options_.beta1), static_cast<scalar>(options_.beta2),
                       static_cast<scalar>(options_.eps), static_cast<scalar>(options_.weight_decay)},
                   cols);
      ++i;
    });
    if (i != m_.size()) throw config_error("Adam::step: the model's parameter count changed; call reset()");
  }

 private:
  adam_options options_;
  std::vector<matrix> m_, v_;
  std::uint64_t steps_ = 0;
};

}  // namespace nn
}  // namespace denoise
