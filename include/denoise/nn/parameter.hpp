// The parameter interface every layer and model exposes:
//
//   template <class F> void visit_parameters(F&& f);   // f(param_ref<B>) for each parameter
//   void reset(std::uint64_t seed);                      // fresh initialisation from one seed
//
// A param_ref names a value matrix and its gradient; `touched` is non-null for parameters with
// sparse row gradients (embedding tables): it lists, ascending, the rows whose gradient may be
// non-zero since the last zero_grad, which is what lazy optimizers and virtual steps update.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"

namespace denoise {
namespace nn {

template <class B>
struct param_ref {
  const char* name;
  typename B::matrix& value;
  typename B::matrix& grad;
  typename B::index_vector* touched;  ///< sparse-row parameters only, else nullptr

  bool sparse() const noexcept { return touched != nullptr; }
};

/// Sets every gradient to zero: whole matrices, or only the touched rows of sparse parameters
/// (O(rows touched), not O(table)), and forgets the touched rows.
template <class B, class Model>
void zero_grad(Model& model) {
  model.visit_parameters([](param_ref<B> p) {
    if (p.touched != nullptr) {
      B::fill_rows(p.grad, *p.touched, typename B::scalar(0));
      p.touched->clear();
    } else {
      B::fill(p.grad, typename B::scalar(0));
    }
  });
}

/// Number of scalar parameters.
template <class B, class Model>
std::size_t parameter_count(Model& model) {
  std::size_t n = 0;
  model.visit_parameters([&n](param_ref<B> p) { n += p.value.size(); });
  return n;
}

/// A list of matrices shaped like a model's parameters, in visit order: a direction in
/// parameter space, a copy of the gradients, a snapshot of the values.
template <class B>
class param_set {
 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  std::vector<matrix>& parts() noexcept { return parts_; }
  const std::vector<matrix>& parts() const noexcept { return parts_; }
  std::size_t size() const noexcept { return parts_.size(); }
  matrix& operator[](std::size_t i) { return parts_[i]; }
  const matrix& operator[](std::size_t i) const { return parts_[i]; }

  /// Copies the model's values (or gradients). Buffers are reused across calls.
  template <class Model>
  void copy_values(Model& model) {
    collect(model, false);
  }
  template <class Model>
  void copy_grads(Model& model) {
    collect(model, true);
  }
  /// Zeros shaped like the model's parameters.
  template <class Model>
  void zeros_like(Model& model) {
    collect(model, true);
    for (auto& m : parts_) B::fill(m, scalar(0));
  }

  /// Sum over parts of <a_i, b_i> (deterministic).
  friend scalar dot(const param_set& a, const param_set& b) {
    a.require_compatible(b);
    scalar acc = scalar(0);
    for (std::size_t i = 0; i < a.parts_.size(); ++i) acc += B::dot(a.parts_[i], b.parts_[i]);
    return acc;
  }
  /// this += alpha * other
  void axpy(scalar alpha, const param_set& other) {
    require_compatible(other);
    for (std::size_t i = 0; i < parts_.size(); ++i) B::axpy(alpha, other.parts_[i], parts_[i]);
  }
  void scale(scalar alpha) {
    for (auto& m : parts_) B::scale(m, alpha);
  }

  /// Throws config_error unless the model's parameters have these shapes.
  template <class Model>
  void require_matches(Model& model, const char* what) const {
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) {
      if (i >= parts_.size() || parts_[i].rows() != p.value.rows() || parts_[i].cols() != p.value.cols()) {
        throw config_error(std::string(what) + ": parameter '" + p.name + "' (#" + std::to_string(i) +
                           ") does not match the parameter set's shape");
      }
      ++i;
    });
    if (i != parts_.size()) throw config_error(std::string(what) + ": parameter count differs");
  }

 private:
  template <class Model>
  void collect(Model& model, bool grads) {
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) {
      if (i == parts_.size()) parts_.emplace_back();
      B::copy(grads ? p.grad : p.value, parts_[i]);
      ++i;
    });
    parts_.resize(i);
  }
  void require_compatible(const param_set& other) const {
    if (other.parts_.size() != parts_.size()) throw config_error("param_set: different parameter counts");
    for (std::size_t i = 0; i < parts_.size(); ++i) B::require_same_shape(parts_[i], other.parts_[i], "param_set");
  }

  std::vector<matrix> parts_;
};

}  // namespace nn
}  // namespace denoise
