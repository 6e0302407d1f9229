// The user-written model of docs/policies/model.md, verbatim: it must pass check_model and the
// same gradient and score checks as the built-ins.
#include <boost/test/unit_test.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

// ---- docs/policies/model.md: begin ---------------------------------------------------------
// [doc: model.md dot-bias]
#include <denoise/core/error.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/embedding.hpp>
#include <denoise/nn/init.hpp>
#include <denoise/nn/parameter.hpp>

#include <cstdint>
#include <string>

namespace my {

// Per-element kernels: DENOISE_HOST_DEVICE functors run by B::launch(n, f), so the model also
// runs on a CUDA Thrust backend.
template <class T>
struct scale_rows {  // out[r, c] = d[r] * x[r, c]
  const T* d;
  const T* x;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { out[i] = d[i / cols] * x[i]; }
};
template <class T>
struct put_cols {  // out[r, offset + c] = in[r, c]
  const T* in;
  T* out;
  std::size_t in_cols, out_cols, offset;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const {
    out[(i / in_cols) * out_cols + offset + i % in_cols] = in[i];
  }
};

struct dot_bias_options {
  denoise::index_t factor = 16;
};

// logit(u, i) = p_u · q_i + b_i: a dot product plus an item-popularity bias.
template <class B>
class DotBias {
 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using batch_type = denoise::data::pair_batch<B>;  // it scores (user, item) pairs

  // What one forward leaves for its backward: the layers' caches (they refer to the batch) and the
  // activations. The caller owns it, so two forwards can be pending at once. Its buffers are
  // reused from batch to batch.
  class workspace {
   public:
    bool replay = false;  // reuse the previous forward's random masks; this model has none

   private:
    friend DotBias;
    typename denoise::nn::Embedding<B>::cache p, q, b;
    matrix pu, qi, bi, dpu, dqi, dcol;
    std::size_t pairs = 0;
  };

  static constexpr const char* name() { return "dot-bias"; }

  DotBias(denoise::index_t users, denoise::index_t items, dot_bias_options o = {}, std::uint64_t seed = 0)
      : p_(users, o.factor), q_(items, o.factor), b_(items, 1, 0, denoise::nn::init::zeros()) {
    reset(seed);
  }
  denoise::index_t users() const noexcept { return p_.rows(); }
  denoise::index_t items() const noexcept { return q_.rows(); }
  void train(bool = true) {}  // nothing random in this model
  void eval() {}
  bool training() const noexcept { return false; }

  // The batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    if (batch.users.size() != batch.items.size()) throw denoise::config_error("DotBias: one item per user");
    p_.forward(batch.users, ws.pu, ws.p);  // throws denoise::input_error for an id out of range
    q_.forward(batch.items, ws.qi, ws.q);
    B::row_dot(ws.pu, ws.qi, logits);
    b_.forward(batch.items, ws.bi, ws.b);
    B::axpy(scalar(1), ws.bi.values(), logits);
    ws.pairs = batch.size();
  }
  void backward(workspace& ws, const vector& dlogits) {
    if (dlogits.size() != ws.pairs) throw denoise::config_error("DotBias: one logit gradient per pair of the forward");
    rows(dlogits, ws.qi, ws.dpu);  // d p_u = dlogit * q_i
    rows(dlogits, ws.pu, ws.dqi);  // d q_i = dlogit * p_u
    p_.backward(ws.p, ws.dpu);
    q_.backward(ws.q, ws.dqi);
    ws.dcol.resize(static_cast<denoise::index_t>(dlogits.size()), 1);
    B::copy(dlogits, ws.dcol.values());
    b_.backward(ws.b, ws.dcol);
  }
  // Optional, exact forward mode: the logits' derivative along a direction d in parameter space
  // (parts in visit_parameters order): p_dot · q + p · q_dot + b_dot_i.
  void jvp(const workspace& ws, const denoise::nn::param_set<B>& d, vector& logit_tangent) {
    p_.tangent(ws.p, d[0], tp_);
    q_.tangent(ws.q, d[1], tq_);
    B::row_dot(tp_, ws.qi, logit_tangent);
    B::row_dot(ws.pu, tq_, tv_);
    B::axpy(scalar(1), tv_, logit_tangent);
    b_.tangent(ws.b, d[2], tp_);
    B::axpy(scalar(1), tp_.values(), logit_tangent);
  }
  template <class F>
  void visit_parameters(F&& f) {
    p_.visit_parameters(f);
    q_.visit_parameters(f);
    b_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) {
    p_.reset(denoise::random::derive_seed(seed, "user"));
    q_.reset(denoise::random::derive_seed(seed, "item"));
    b_.reset(seed);
  }
  // score() and features() use buffers of their own: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    B::gather_rows(p_.table(), users, su_);
    B::gemm(false, true, scalar(1), su_, q_.table(), scalar(0), scores);  // P_users Q^T
    B::add_row_broadcast(scores, b_.table());
  }
  void features(const batch_type& batch, matrix& out) {
    if (batch.users.size() != batch.items.size()) throw denoise::config_error("DotBias: one item per user");
    B::gather_rows(p_.table(), batch.users, su_);
    B::gather_rows(q_.table(), batch.items, si_);
    out.resize(su_.rows(), feature_dim());
    const auto f = static_cast<std::size_t>(p_.dim()), w = 2 * f;
    B::launch(su_.size(), put_cols<scalar>{B::ptr(su_), B::ptr(out), f, w, 0});
    B::launch(si_.size(), put_cols<scalar>{B::ptr(si_), B::ptr(out), f, w, f});
  }
  denoise::index_t feature_dim() const noexcept { return 2 * p_.dim(); }

 private:
  void rows(const vector& d, const matrix& x, matrix& out) {
    out.resize(x.rows(), x.cols());
    B::launch(x.size(), scale_rows<scalar>{B::ptr(d), B::ptr(x), B::ptr(out), static_cast<std::size_t>(x.cols())});
  }

  denoise::nn::Embedding<B> p_, q_, b_;
  matrix su_, si_, tp_, tq_;  // score() / features() / jvp() buffers: no per-batch allocation
  vector tv_;
};

static_assert(denoise::models::check_model<DotBias<denoise::backends::Eigen<float>>>(), "");

}  // namespace my
// [end]
// ---- docs/policies/model.md: end -----------------------------------------------------------

BOOST_AUTO_TEST_SUITE(models_user_written)

DENOISE_TYPED_TEST(the_documented_example_passes_the_model_checks, denoise::test::backend_list_double) {
  my::DotBias<TestType> m(6, 8, my::dot_bias_options{4}, 2);
  m.visit_parameters([](denoise::nn::param_ref<TestType> p) { TestType::fill_uniform(p.value, 3, -1.0, 1.0); });
  denoise::test::check_model_gradients(m, 20, 4);
  denoise::test::check_jvp_against_finite_differences(m, 20, 5);
  denoise::test::check_score_matches_forward(m);
  denoise::test::check_errors(m);
  denoise::test::check_feature_shape(m);
}

BOOST_AUTO_TEST_SUITE_END()
