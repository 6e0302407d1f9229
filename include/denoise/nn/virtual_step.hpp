// virtual_step<B, Model>: SGDL's assumed update. Construction applies theta <- theta - eta * d;
// undo() or the destructor puts the old values back bit-identically (they are copied, not
// recomputed). With the model's own gradients as d, sparse parameters save and move only their
// touched rows, so a step on a large embedding table costs O(batch), not O(table).
//
//   {
//     nn::virtual_step<B, Model> assumed(model, eta1);   // theta_hat = theta - eta1 * grad
//     ... evaluate the memorized batch at theta_hat ...
//   }                                                    // theta restored
#pragma once

#include <cstddef>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "optim/update_kernels.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {

template <class B, class Model>
class virtual_step {
 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  /// theta -= eta * (the model's current gradients).
  virtual_step(Model& model, double eta) : model_(model) { apply(eta, nullptr); }
  /// theta -= eta * direction (a param_set shaped like the model's parameters; every element moves).
  virtual_step(Model& model, double eta, const param_set<B>& direction) : model_(model) {
    direction.require_matches(model, "virtual_step");
    apply(eta, &direction);
  }
  virtual_step(const virtual_step&) = delete;
  virtual_step& operator=(const virtual_step&) = delete;
  ~virtual_step() { undo(); }

  /// Restores the values saved at construction (once; later calls do nothing).
  void undo() {
    if (!active_) return;
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) {
      if (sparse_[i]) {
        B::scatter_rows(p.value, rows_[i], saved_[i]);
      } else {
        B::copy(saved_[i], p.value);
      }
      ++i;
    });
    active_ = false;
  }

 private:
  void apply(double eta, const param_set<B>* direction) {
    std::size_t i = 0;
    model_.visit_parameters([&](param_ref<B> p) {
      saved_.emplace_back();
      rows_.emplace_back();
      const bool rows_only = direction == nullptr && p.touched != nullptr;
      sparse_.push_back(rows_only);
      const matrix& d = direction != nullptr ? (*direction)[i] : p.grad;
      B::require_same_shape(d, p.value, "virtual_step");
      const auto cols = static_cast<std::size_t>(p.value.cols());
      if (rows_only) {
        B::copy(*p.touched, rows_.back());
        B::gather_rows(p.value, rows_.back(), saved_.back());
      } else {
        B::copy(p.value, saved_.back());
      }
      const std::size_t n = rows_only ? rows_.back().size() : static_cast<std::size_t>(p.value.rows());
      B::launch(n,
                kernels::step_rows<scalar>{B::ptr(p.value), B::ptr(d), rows_only ? B::ptr(rows_.back()) : nullptr, cols,
                                           static_cast<scalar>(eta)},
                cols);
      ++i;
    });
    active_ = true;
  }

  Model& model_;
  std::vector<matrix> saved_;
  std::vector<typename B::index_vector> rows_;
  std::vector<bool> sparse_;
  bool active_ = false;
};

}  // namespace nn
}  // namespace denoise
