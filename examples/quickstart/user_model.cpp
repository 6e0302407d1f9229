// A user-written model (the Model policy, docs/policies/model.md), checked against finite
// differences with nn::check_model_gradients, then trained by the Trainer like a built-in model.
//
// The model, "biased dot product": logit(u, i) = p_u · q_i + c_u + d_i, with user and item
// embeddings p, q and a bias per user (c) and per item (d).
//
// It exits with status 1 when the gradient check fails or training did not improve the validation
// NDCG@20.
#include <denoise/backends/eigen.hpp>
#include <denoise/core/error.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/embedding.hpp>
#include <denoise/nn/gradient_check.hpp>
#include <denoise/nn/init.hpp>
#include <denoise/nn/parameter.hpp>
#include <denoise/train/trainer.hpp>

#include <cstdint>
#include <cstdio>
#include <vector>

namespace dn = denoise;

// Element-wise kernels, run by B::launch(n, functor): one call per element, on any backend.
template <class T>
struct times_row_value {  // out[r, c] = v[r] * x[r, c]
  const T* v;
  const T* x;
  T* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const { out[k] = v[k / cols] * x[k]; }
};
template <class T>
struct add_row_value {  // y[r, c] += v[r]
  const T* v;
  T* y;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const { y[k] += v[k / cols]; }
};
template <class T>
struct copy_into_columns {  // out[r, first + c] = x[r, c]
  const T* x;
  T* out;
  std::size_t cols, out_cols, first;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const { out[(k / cols) * out_cols + first + k % cols] = x[k]; }
};

template <class B>
class BiasedDot {
 public:
  // The types every model names (the Trainer and the optimizers read them).
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using batch_type = dn::data::pair_batch<B>;  // the input: users[n], items[n]

  // Everything one forward leaves for its backward. The caller owns it, so two forwards can be
  // pending at once; its buffers are reused from batch to batch.
  class workspace {
   public:
    bool replay = false;  // reuse the last forward's random masks (this model draws none)

   private:
    friend BiasedDot;
    typename dn::nn::Embedding<B>::cache p, q, c, d;  // the looked-up ids (they refer to the batch)
    matrix pu, qi, cu, di;                            // the looked-up rows
    matrix dp, dq, dbias;                             // backward scratch
    std::size_t pairs = 0;
  };

  static constexpr const char* name() { return "biased-dot"; }

  BiasedDot(dn::index_t users, dn::index_t items, dn::index_t factor = 16, std::uint64_t seed = 0)
      : p_(users, factor), q_(items, factor), c_(users, 1, 0, dn::nn::init::zeros()),
        d_(items, 1, 0, dn::nn::init::zeros()) {
    reset(seed);
  }
  dn::index_t users() const noexcept { return p_.rows(); }
  dn::index_t items() const noexcept { return q_.rows(); }
  // Training mode switches (dropout, corruption); this model has none, but the evaluators read
  // training() to restore the mode after ranking.
  void train(bool on = true) { training_ = on; }
  void eval() { training_ = false; }
  bool training() const noexcept { return training_; }

  // One logit per (user, item) pair. The batch must stay unchanged until backward().
  void forward(const batch_type& batch, workspace& ws, vector& logits) {
    if (batch.users.size() != batch.items.size()) throw dn::config_error("BiasedDot: one item per user");
    p_.forward(batch.users, ws.pu, ws.p);  // an id out of range throws denoise::input_error
    q_.forward(batch.items, ws.qi, ws.q);
    c_.forward(batch.users, ws.cu, ws.c);
    d_.forward(batch.items, ws.di, ws.d);
    B::row_dot(ws.pu, ws.qi, logits);
    B::axpy(scalar(1), ws.cu.values(), logits);
    B::axpy(scalar(1), ws.di.values(), logits);
    ws.pairs = batch.size();
  }

  // Accumulates (never zeroes) the parameter gradients for dlogits = d loss / d logits.
  void backward(workspace& ws, const vector& dlogits) {
    if (dlogits.size() != ws.pairs) throw dn::config_error("BiasedDot: one gradient per logit of the forward");
    scale_rows(dlogits, ws.qi, ws.dp);  // d p_u = dlogit * q_i
    scale_rows(dlogits, ws.pu, ws.dq);  // d q_i = dlogit * p_u
    p_.backward(ws.p, ws.dp);
    q_.backward(ws.q, ws.dq);
    ws.dbias.resize(static_cast<dn::index_t>(dlogits.size()), 1);  // d c_u = d d_i = dlogit
    B::copy(dlogits, ws.dbias.values());
    c_.backward(ws.c, ws.dbias);
    d_.backward(ws.d, ws.dbias);
  }

  // Every parameter, always in the same order (optimizers, checkpoints, gradient checks).
  template <class F>
  void visit_parameters(F&& f) {
    p_.visit_parameters(f);
    q_.visit_parameters(f);
    c_.visit_parameters(f);
    d_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) {  // fresh initialisation, one derived stream per table
    p_.reset(dn::random::derive_seed(seed, "p"));
    q_.reset(dn::random::derive_seed(seed, "q"));
    c_.reset(seed);
    d_.reset(seed);
  }

  // Full-catalogue scores for ranking: row r = the logits of users[r] against every item.
  // Uses its own buffers, so a pending forward/backward is left alone.
  void score(const index_vector& users, matrix& scores) {
    B::gather_rows(p_.table(), users, rows_);
    B::gemm(false, true, scalar(1), rows_, q_.table(), scalar(0), scores);  // P_users Q^T
    B::add_row_broadcast(scores, d_.table());                               // + d_i
    B::gather_rows(c_.table(), users, bias_);                                // + c_u
    B::launch(scores.size(), add_row_value<scalar>{B::ptr(bias_), B::ptr(scores), static_cast<std::size_t>(scores.cols())});
  }
  // What a denoising controller reads: [p_u || q_i] per pair.
  void features(const batch_type& batch, matrix& out) {
    B::gather_rows(p_.table(), batch.users, rows_);
    B::gather_rows(q_.table(), batch.items, other_);
    const auto f = static_cast<std::size_t>(p_.dim());
    out.resize(rows_.rows(), feature_dim());
    B::launch(rows_.size(), copy_into_columns<scalar>{B::ptr(rows_), B::ptr(out), f, 2 * f, 0});
    B::launch(other_.size(), copy_into_columns<scalar>{B::ptr(other_), B::ptr(out), f, 2 * f, f});
  }
  dn::index_t feature_dim() const noexcept { return 2 * p_.dim(); }

 private:
  void scale_rows(const vector& v, const matrix& x, matrix& out) {
    out.resize(x.rows(), x.cols());
    B::launch(x.size(), times_row_value<scalar>{B::ptr(v), B::ptr(x), B::ptr(out), static_cast<std::size_t>(x.cols())});
  }

  dn::nn::Embedding<B> p_, q_, c_, d_;
  matrix rows_, other_, bias_;  // score() and features() buffers
  bool training_ = true;
};

// Every member of the policy is there (the Trainer checks this too, with readable messages).
static_assert(dn::models::check_model<BiasedDot<dn::backends::Eigen<float>>>(), "");

// 1. Gradient check in double precision: backward() against central finite differences of
//    L = sum_n c_n * logit_n on a small batch.
bool gradients_are_right() {
  // [doc: callback.md gradient-check]
  using D = dn::backends::Eigen<double>;
  BiasedDot<D> model(5, 7, 4, /*seed*/ 11);
  dn::data::pair_batch<D> batch;                         // a few (user, item) pairs
  D::from_host(std::vector<dn::index_t>{0, 1, 2, 4, 4, 3}, batch.users);
  D::from_host(std::vector<dn::index_t>{6, 0, 2, 2, 5, 1}, batch.items);
  D::vector c;                                           // L = sum_n c[n] * logit_n
  D::from_host(std::vector<double>{0.5, -1.0, 2.0, 0.25, -0.75, 1.5}, c);
  const dn::nn::gradient_check_result check = dn::nn::check_model_gradients(model, batch, c);
  std::printf("%s\n", check.report().c_str());   // on failure it names the worst parameter element
  // [end]
  return check.passed;
}

int main() {
  if (!gradients_are_right()) return 1;

  // 2. Training, exactly as for a built-in model.
  using B = dn::backends::Eigen<float>;
  dn::data::SyntheticConfig config;
  config.n_users = 300;
  config.n_items = 400;
  config.mean_positives = 30;
  const dn::data::SyntheticData synthetic = dn::data::make_synthetic(config);
  const dn::data::Interactions& train = synthetic.interactions;
  const dn::data::CsrIndex train_rows = train.by_user(), held_out_rows = synthetic.held_out.by_user();
  const dn::train::ranking_target validation{train_rows.view(), held_out_rows.view()};

  BiasedDot<B> model(train.n_users(), train.n_items(), 16, /*seed*/ 5);
  dn::train::trainer_options options;
  options.epochs = 8;
  options.batch_size = 256;
  dn::train::Trainer<BiasedDot<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.005}), {}, options);
  const double before = trainer.evaluate(validation).at_k(20).ndcg;
  const dn::train::fit_result result = trainer.fit(train, dn::data::UniformNegativeSampler(train), &validation);
  const double after = result.history.back().value("ndcg@20");
  std::printf("validation ndcg@20: untrained %.4f, trained %.4f; recall@20 %.4f\n", before, after,
              result.history.back().value("recall@20"));
  if (!(after > before)) {
    std::fprintf(stderr, "user_model: training did not improve the validation NDCG@20\n");
    return 1;
  }
  return 0;
}
