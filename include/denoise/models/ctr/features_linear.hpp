// FeaturesLinear<B>: the linear ("wide") term of the CTR models, sum_f w[x_f] + b: an embedding
// of width 1 over every field value plus one bias (pytorch-fm's FeaturesLinear).
#pragma once

#include <cstdint>

#include "../../backends/static_checks.hpp"
#include "../../core/random.hpp"
#include "../../nn/embedding.hpp"
#include "../../nn/init.hpp"
#include "../../nn/parameter.hpp"
#include "detail/kernels.hpp"

namespace denoise {
namespace models {

template <class B>
class FeaturesLinear {
  static_assert(backends::check_backend<B>(), "");

 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using scalar = typename B::scalar;

  FeaturesLinear(index_t features, std::uint64_t seed = 0, nn::init::initializer how = nn::init::normal(0.0, 1.0))
      : w_(features, 1, 0, how), b_(1, 1), db_(1, 1) {
    reset(seed);
  }

  struct cache {
    typename nn::Embedding<B>::cache emb;
    matrix w;  ///< n*F x 1 gathered weights
    std::size_t fields = 0;
  };

  /// out[i] = b + sum_f w[index[i*F + f]]
  void forward(const index_vector& index, std::size_t fields, vector& out, cache& c) const {
    w_.forward(index, c.w, c.emb);
    c.fields = fields;
    const std::size_t n = index.size() / fields;
    if (out.size() != n) out.resize(n);
    B::launch(n, ctr_kernels::sum_fields<scalar>{B::ptr(c.w), B::ptr(b_), B::ptr(out), fields}, fields);
  }

  /// Accumulates the gradients for dy = d(loss)/d(out).
  void backward(const cache& c, const vector& dy) {
    d_.resize(static_cast<index_t>(dy.size() * c.fields), 1);
    B::launch(d_.size(), ctr_kernels::spread_to_fields<scalar>{B::ptr(dy), B::ptr(d_), c.fields});
    w_.backward(c.emb, d_);
    B::launch(1, ctr_kernels::accumulate_sum<scalar>{B::ptr(dy), B::ptr(db_), dy.size()}, dy.size());
  }

  template <class F>
  void visit_parameters(F&& f) {
    w_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"linear_weight", p.value, p.grad, p.touched}); });
    f(nn::param_ref<B>{"linear_bias", b_, db_, nullptr});
  }

  void reset(std::uint64_t seed) {
    w_.reset(random::derive_seed(seed, "linear"));
    B::fill(b_, scalar(0));
    B::fill(db_, scalar(0));
  }

 private:
  nn::Embedding<B> w_;
  matrix b_, db_;
  matrix d_;  // backward() scratch
};

}  // namespace models
}  // namespace denoise
