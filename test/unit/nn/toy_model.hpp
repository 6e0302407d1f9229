// A small recommender written the way models are (the Model policy's forward/backward on a
// caller-owned workspace): user and item embeddings, their elementwise product, a tanh MLP (with
// optional dropout) to a logit. It offers the exact JVP (forward mode through the layers' caches).
#pragma once

#include <cstdint>
#include <memory>

#include <denoise/core/random.hpp>
#include <denoise/data/pair_batch.hpp>
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
  using backend = B;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;
  using batch_type = data::pair_batch<B>;

  static constexpr const char* name() { return "toy"; }

  class workspace {
   public:
    bool replay = false;  ///< reuse the previous forward's dropout masks

   private:
    friend toy_recommender;
    struct state {
      typename nn::Embedding<B>::cache u, i;
      typename nn::MLP<B, nn::tanh_op>::cache mlp;
      matrix eu, ei, h, y, dy, dh, du, dv;
    };
    std::unique_ptr<state> s_ = std::make_unique<state>();  // on the heap: moves keep the caches valid
  };

  toy_recommender(index_t users, index_t items, index_t dim, std::uint64_t seed, double dropout = 0.0)
      : users_(users, dim, 0, nn::init::normal(0.0, 0.5)),
        items_(items, dim, 0, nn::init::normal(0.0, 0.5)),
        mlp_({dim, 8, 1}, 0, nn::mlp_options{dropout, nn::init::xavier_uniform(), false}) {
    reset(seed);
  }

  void forward(const batch_type& b, workspace& ws, vector& logits) {
    auto& s = *ws.s_;
    users_.forward(b.users, s.eu, s.u);
    items_.forward(b.items, s.ei, s.i);
    B::zip(s.eu, s.ei, s.h, mul<scalar>{});
    s.mlp.replay = ws.replay;
    mlp_.forward(s.h, s.y, s.mlp);
    B::copy(s.y.values(), logits);
  }
  void backward(workspace& ws, const vector& dlogits) {
    auto& s = *ws.s_;
    s.dy.resize(static_cast<index_t>(dlogits.size()), 1);
    B::copy(dlogits, s.dy.values());
    mlp_.backward(s.mlp, s.dy, s.dh);
    B::zip(s.dh, s.ei, s.du, mul<scalar>{});
    B::zip(s.dh, s.eu, s.dv, mul<scalar>{});
    users_.backward(s.u, s.du);
    items_.backward(s.i, s.dv);
  }
  /// Exact JVP of the logits: parts 0 and 1 are the tables, the rest the MLP.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& out) {
    const auto& s = *ws.s_;
    users_.tangent(s.u, direction[0], udot_);
    items_.tangent(s.i, direction[1], vdot_);
    B::zip(udot_, s.ei, hdot_, mul<scalar>{});
    B::zip(s.eu, vdot_, t_, mul<scalar>{});
    B::axpy(scalar(1), t_, hdot_);
    mlp_.tangent(s.mlp, &hdot_, direction, 2, ydot_);
    B::copy(ydot_.values(), out);
  }

  void train(bool on = true) { mlp_.train(on); }

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
  matrix udot_, vdot_, hdot_, t_, ydot_;
};

/// The same model without the exact JVP (so nn::jvp falls back to finite differences).
template <class B>
class toy_without_jvp {
 public:
  using backend = B;
  using vector = typename B::vector;
  using batch_type = data::pair_batch<B>;
  using workspace = typename toy_recommender<B>::workspace;
  static constexpr const char* name() { return "toy_without_jvp"; }

  explicit toy_without_jvp(toy_recommender<B>& inner) : inner_(inner) {}
  void forward(const batch_type& b, workspace& ws, vector& logits) { inner_.forward(b, ws, logits); }
  void backward(workspace& ws, const vector& dlogits) { inner_.backward(ws, dlogits); }
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
