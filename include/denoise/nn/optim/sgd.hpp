// SGD<B>: theta -= lr * (grad + weight_decay * theta). With lazy updates (the default) a sparse
// parameter (an embedding table) changes only in the rows the batch touched; dense mode updates
// every row, so weight decay also shrinks untouched rows (PyTorch's torch.optim.SGD).
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../backends/static_checks.hpp"
#include "../../core/error.hpp"
#include "../parameter.hpp"
#include "update_kernels.hpp"

namespace denoise {
namespace nn {

struct sgd_options {
  double lr = 0.01;
  double weight_decay = 0.0;  ///< L2 coefficient added to the gradient
  bool lazy = true;           ///< update only touched rows of sparse parameters
};

template <class B>
class SGD {
  static_assert(backends::check_backend<B>(), "");

 public:
  using scalar = typename B::scalar;

  explicit SGD(sgd_options options = {}) : options_(options) {
    if (!(options.lr > 0.0)) throw config_error("SGD: lr must be positive");
    if (options.weight_decay < 0.0) throw config_error("SGD: weight_decay must be >= 0");
  }

  const sgd_options& options() const noexcept { return options_; }
  void set_lr(double lr) { options_.lr = lr; }
  std::uint64_t steps() const noexcept { return steps_; }
  /// Forgets the step count (SGD keeps no other state).
  void reset() noexcept { steps_ = 0; }

  /// One update of every parameter from its current gradient.
  template <class Model>
  void step(Model& model) {
    model.visit_parameters([this](param_ref<B> p) {
      B::require_same_shape(p.value, p.grad, "SGD::step");
      const bool rows_only = options_.lazy && p.touched != nullptr;
      const index_t* rows = rows_only ? B::ptr(*p.touched) : nullptr;
      const auto cols = static_cast<std::size_t>(p.value.cols());
      const std::size_t n = rows_only ? p.touched->size() : static_cast<std::size_t>(p.value.rows());
      B::launch(n,
                kernels::sgd_update<scalar>{B::ptr(p.value), B::ptr(p.grad), rows, cols, static_cast<scalar>(options_.lr),
                                            static_cast<scalar>(options_.weight_decay)},
                cols);
    });
    ++steps_;
  }

 private:
  sgd_options options_;
  std::uint64_t steps_ = 0;
};

}  // namespace nn
}  // namespace denoise
