// A small recommender written the way models are: user and item embeddings, their elementwise
// product, a tanh MLP to a logit. It offers the exact JVP (forward mode through the layers).
#pragma once

#include <cstdint>

#include <denoise/core/random.hpp>
#include <denoise/nn/nn.hpp>

namespace denoise {
namespace test {

template <class T>
struct mul {
  DENOISE_HOST_DEVICE T operator()(T a, T b) const { return a * b; }
};

template <class B>
class toy_recommender {
 public:
  using matrix = typename B::matrix;
  using scalar = typename B::scalar;

  toy_recommender(index_t users, index_t items, index_t dim, std::uint64_t seed)
      : users_(users, dim, 0, nn::init::normal(0.0, 0.5)),
        items_(items, dim, 0, nn::init::normal(0.0, 0.5)),
        mlp_({dim, 8, 1}) {
    reset(seed);
  }

  void forward(const typename B::index_vector& u, const typename B::index_vector& i, matrix& logits) {
    users_.forward(u, eu_);
    items_.forward(i, ei_);
    B::zip(eu_, ei_, h_, mul<scalar>{});
    mlp_.forward(h_, logits);
  }
  void backward(const matrix& dlogits) {
    mlp_.backward(dlogits, dh_);
    B::zip(dh_, ei_, du_, mul<scalar>{});
    B::zip(dh_, eu_, dv_, mul<scalar>{});
    users_.backward(du_);
    items_.backward(dv_);
  }
  /// Exact JVP of the logits: parts 0 and 1 are the tables, the rest the MLP.
  void jvp(const nn::param_set<B>& direction, typename B::vector& out) {
    users_.tangent(direction[0], udot_);
    items_.tangent(direction[1], vdot_);
    B::zip(udot_, ei_, hdot_, mul<scalar>{});
    B::zip(eu_, vdot_, t_, mul<scalar>{});
    B::axpy(scalar(1), t_, hdot_);
    mlp_.tangent(&hdot_, direction, 2, ydot_);
    B::copy(ydot_.values(), out);
  }

  template <class F>
  void visit_parameters(F&& f) {
    users_.visit_parameters(f);
    items_.visit_parameters(f);
    mlp_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) {
    users_.reset(random::derive_seed(seed, "users"));
    items_.reset(random::derive_seed(seed, "items"));
    mlp_.reset(random::derive_seed(seed, "mlp"));
  }

 private:
  nn::Embedding<B> users_, items_;
  nn::MLP<B, nn::tanh_op> mlp_;  // smooth, so finite differences see no kinks
  matrix eu_, ei_, h_, dh_, du_, dv_, udot_, vdot_, hdot_, t_, ydot_;
};

/// The same model without the exact JVP (so nn::jvp falls back to finite differences).
template <class B>
class toy_without_jvp {
 public:
  explicit toy_without_jvp(toy_recommender<B>& inner) : inner_(inner) {}
  template <class F>
  void visit_parameters(F&& f) {
    inner_.visit_parameters(f);
  }
  toy_recommender<B>& inner() { return inner_; }

 private:
  toy_recommender<B>& inner_;
};

}  // namespace test
}  // namespace denoise
