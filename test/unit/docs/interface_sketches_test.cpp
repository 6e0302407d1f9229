// The interface sketches of the policy pages (docs/policies/*.md), compiled verbatim and passed
// through the library's own static checks: each "MyX" below is a declaration-only policy exactly
// as its page shows it, and the static_asserts at the end say that a class written to the sketch
// satisfies check_method / check_selector / check_batcher / check_evaluator / check_model /
// check_loss / check_reward / check_selection / check_baseline, and that the Trainer finds the
// callback's hooks. If a check gains a member a sketch lacks, this file stops building; if a
// sketch drifts from its page, docs.snippets fails. (No run-time case: compiling is the test.)
#include <denoise/backends/eigen.hpp>
#include <denoise/core/span.hpp>
#include <denoise/core/types.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/losses/layout.hpp>
#include <denoise/losses/static_checks.hpp>
#include <denoise/methods/adt/drop_schedule.hpp>
#include <denoise/methods/static_checks.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/static_checks.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/nn/parameter.hpp>
#include <denoise/rl/static_checks.hpp>
#include <denoise/train/batch.hpp>
#include <denoise/train/batchers/static_checks.hpp>
#include <denoise/nn/logit_gradients.hpp>
#include <denoise/train/callbacks/callback_traits.hpp>
#include <denoise/train/evaluators/static_checks.hpp>
#include <denoise/train/options.hpp>
#include <denoise/train/selector_checks.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sketch {
using namespace denoise;  // the pages write data::, losses::, train::, nn::, index_t as in user code

struct my_options {};   // the model sketch's options
struct MyTarget {};     // the evaluator sketch's target and result
struct MyResult {
  metrics::metric_list metrics() const;
};

// [doc: model.md interface]
template <class B>                       // B: a Backend (backends::Eigen<S>, backends::Thrust<Sys, S>)
class MyModel {
 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using batch_type = data::pair_batch<B>;       // the batch it consumes (users[n], items[n] pairs)

  // Everything ONE forward leaves for its backward (and jvp): every layer's cache, the
  // activations, the stochastic masks, scratch. Default-constructible and movable; the caller
  // owns it, so several forwards can be pending at once (another batch, other parameter values).
  class workspace {
   public:
    bool replay = false;   // see "Workspaces and mask replay" below
   private:
    // whatever the model needs; buffers are reused from forward to forward
  };

  static constexpr const char* name();          // "my-model", for logs and the CLI
  MyModel(index_t users, index_t items, my_options options = {}, std::uint64_t seed = 0);
  index_t users() const noexcept;
  index_t items() const noexcept;

  void train(bool on = true);                   // dropout / corruption on
  void eval();                                  // ... and off
  bool training() const;                        // the mode (evaluators restore what they found)

  // One logit per pair of the batch, into ws. The batch must stay alive and unchanged until the
  // backward() that follows. Ids out of range: denoise::input_error; users.size() != items.size():
  // denoise::config_error.
  void forward(const batch_type& batch, workspace& ws, vector& logits);
  // Accumulates (never zeroes) every parameter gradient for dlogits = d(loss)/d(logits) of ws's
  // forward. dlogits.size() != pairs of that forward, or no forward on ws: denoise::config_error.
  // It may be called several times after one forward (each call accumulates).
  void backward(workspace& ws, const vector& dlogits);

  // f(nn::param_ref<B>{name, value, grad, touched}) for every parameter, always in the same order.
  // Embedding tables pass `touched` (the rows whose gradient may be non-zero since zero_grad), so
  // lazy optimizers, snapshots and virtual steps touch only those rows.
  template <class F> void visit_parameters(F&& f);
  // A fresh initialisation from one seed, each part from its own random::derive_seed stream
  // (mask streams included); gradients zeroed. AutoDenoise retrains from scratch with it.
  void reset(std::uint64_t seed);

  // Full-catalogue scores for ranking: scores is resized to users.size() x items(), row r = the
  // logits of users[r] against every item, computed as in eval mode (no dropout) whatever train()
  // says. Must be efficient (a gemm or batched blocks, reused buffers).
  void score(const index_vector& users, matrix& scores);
  // The representation a controller reads (AutoDenoise, Ge et al.): one row per pair,
  // [user representation || item representation], feature_dim() columns.
  void features(const batch_type& batch, matrix& out);
  index_t feature_dim() const noexcept;

  // Optional: the exact forward-mode derivative (JVP) of ws's logits along a direction in
  // parameter space (a param_set shaped like the parameters, in visit order), with ws's masks.
  // nn::has_exact_jvp_v<M> detects it; without it nn::jvp and nn::per_sample use central finite
  // differences with mask replay.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent);

  // Optional: every logit's gradient with respect to every parameter at ws's forward, factored,
  // one entry per parameter in visit order (nn/logit_gradients.hpp): out.start(pairs), then
  // out.rows(ids, &right) for a table (dz_n/dT = right[n, :] in row ids[n]) or
  // out.dense(&left, &right) for a dense in x out matrix (dz_n/dW = left[n, :]^T right[n, :]);
  // nullptr stands for a column of ones (a bias: dense(nullptr, &right)), or
  // out.propagated_rows(keys, right, terms, kernel) for a table read through a fixed linear
  // propagation (LightGCN). A factor that repeats an earlier entry's is passed as
  // logit_gradients<B>::same_as{entry} and not copied again. nn::has_logit_gradients_v<M>
  // detects it; with it nn::per_sample's gradient cosines are factored (see below), without it
  // brute force. A model whose hook holds only in some settings adds
  // bool logit_gradients_available() const (LightGCN: not with L2).
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out);
};
// [end]

// [doc: loss.md interface]
struct MyLoss {
  static const char* name();                                   // "my-loss", for logs
  static std::size_t sample_count(const losses::layout& l);    // samples in a batch
  static std::size_t anchor(std::size_t sample, const losses::layout& l);  // logit index of the
                                                               // observed interaction sample is about
  // Per-sample loss, predicted probability ŷ and positive flag (1 when the sample is anchored at
  // an observed interaction), each resized to sample_count(l).
  template <class B>
  static void forward(const typename B::vector& logits, const typename B::vector& labels,
                      const losses::layout& l, typename B::vector& loss,
                      typename B::vector& prediction, typename B::vector& positive);
  // dlogits = d(scale · Σ_s weights[s] · loss[s]) / d logits, resized to logits.size().
  template <class B>
  static void backward(const typename B::vector& logits, const typename B::vector& labels,
                       const losses::layout& l, const typename B::vector& weights,
                       typename B::scalar scale, typename B::vector& dlogits);

  // Optional, forward mode: loss_tangent[s] = d loss[s] along the logit tangent z_dot (the JVP of
  // the per-sample losses given the JVP of the logits), resized to sample_count(l).
  template <class B>
  static void tangent(const typename B::vector& logits, const typename B::vector& labels,
                      const losses::layout& l, const typename B::vector& logit_tangent,
                      typename B::vector& loss_tangent);
};
// [end]

// [doc: method.md interface]
struct MyMethod {
  static const char* name();
  // Per-run state, instantiated by the Trainer once the backend is known (ensmallen's trick).
  template <class B>
  class State {
   public:
    State(const MyMethod& policy, std::uint64_t seed);   // seed derived from the run's seed
    // Write one weight per sample into `weights` (resize it to ctx.samples()) and return the
    // divisor of the weighted loss sum: batch loss = Σ_s w_s ℓ_s / divisor.
    template <class Context>
    typename B::scalar on_batch(const Context& ctx, typename B::vector& weights);
    // After validation: ctx.epoch, ctx.iterations, ctx.train_loss, ctx.model, ctx.validation
    // (the evaluator's metrics) and ctx.metric("ndcg@20").
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx);
  };
};
// [end]

// [doc: selector.md interface]
struct MySelector {
  static const char* name();
  template <class B>
  class State {
   public:
    State(const MySelector& policy, std::uint64_t seed);
    // The kept instance ids (any order; the driver sorts and validates them).
    template <class Context>            // train::selection_context<Model, Loss, Sampler, ...>
    std::vector<offset_t> select(Context& ctx);
  };
};
// [end]

// [doc: batcher.md interface]
class MyBatcher {
 public:
  using input_kind = data::pairs_tag;     // the kind of batch it makes: must be the Model's
  static const char* name();
  template <class B>
  class State {                          // one per fit(), built by the trainer
   public:
    State(const MyBatcher& policy, const train::trainer_options& options, std::uint64_t seed);
    void start_epoch(std::size_t epoch);
    // Refill `out` in place (input on the backend, labels, layout, host instance ids): false
    // when the epoch is over.
    bool next(train::batch<B, data::pair_batch<B>>& out);
    std::size_t instances() const;                      // instance ids run over [0, instances())
    span<const std::uint8_t> noise_flags() const;       // per instance id, 0/1, 255 = none; empty
                                                        // without ground truth (reporting only)
  };
};
// [end]

// [doc: evaluator.md interface]
struct MyEvaluator {
  using target_type = MyTarget;          // what fit(..., const target_type* validation) takes
  using result_type = MyResult;          // must have metrics::metric_list metrics() const
  static const char* name();
  template <class B>
  class State {
   public:
    State(const MyEvaluator& policy, const train::trainer_options& options);
    template <class Model>
    result_type evaluate(Model& model, const target_type& target);   // leave the model's mode as found
  };
};
// [end]

// [doc: reward.md batch-interface]
struct MyBatchReward {
  using timing = denoise::rl::per_batch;          // required: the timing trait
  static constexpr const char* name();            // for logs

  // Per-run state, created by the consumer once the backend B and |D| are known.
  template <class B>
  class State {
   public:
    State(const MyBatchReward& policy, std::size_t instances);   // instances = |D|

    // out[j] = the reward of instance ids[j], whose current loss is loss[j] (resize out).
    void reward(const typename B::index_vector& ids, const typename B::vector& loss,
                typename B::vector& out);
    // Remember the batch's current losses (ids are distinct within one call).
    void record(const typename B::index_vector& ids, const typename B::vector& loss);
    // An epoch (or a warm-up epoch) is over.
    void end_epoch();
  };
};
// [end]

// [doc: reward.md epoch-interface]
struct MyEpochReward {
  using timing = denoise::rl::per_epoch;
  static constexpr const char* name();
  double reward(const denoise::metrics::metric_list& validation) const;   // named values
};
// [end]

// [doc: selection.md interface]
struct MySelection {
  static constexpr const char* name();   // for logs
  template <class B>
  class State {                          // per-run state, once the backend is known
   public:
    State(const MySelection& policy, std::uint64_t seed);   // seed derived from the run's seed
    // probs: rows x A action probabilities (row r belongs to instance ids[r]);
    // write one action in [0, A) per row into `actions` (resize it to probs.rows()).
    void select(const typename B::matrix& probs, const typename B::index_vector& ids,
                typename B::index_vector& actions);
  };
};
// [end]

// [doc: baseline.md interface]
struct MyBaseline {
  static constexpr const char* name();   // for logs
  double value() const;                  // the current b
  void update(double reward);            // called once the reward has been used
};
// [end]

// [doc: callback.md interface]
struct MyCallback {
  void on_train_begin(const train::trainer_options&);
  template <class Model> bool on_epoch_end(const train::epoch_record&, Model&);  // true stops
  template <class Model> void on_iteration_end(const train::iteration_record&, Model&);  // every step
  template <class Model> void on_train_end(Model&, train::fit_result&);
};
// [end]

// [doc: method.md drop-schedule]
struct MySchedule { double rate(std::uint64_t iteration) const; };   // in [0, 1)
// [end]

// The step-owning level's State (method.md) inside a policy of its own.
namespace step_level {
struct MyMethod {
  static const char* name();
  // [doc: method.md step-interface]
  template <class B>
  class State {
   public:
    State(const MyMethod& policy, std::uint64_t seed);
    template <class Context>        // train::step_context<Model, Loss, Optimizer>
    void step(Context& ctx);
    template <class EpochContext>
    void on_epoch_end(const EpochContext& ctx);
  };
  // [end]
};
}  // namespace step_level

// What check_selector needs of a context: its backend (the real one is train::selection_context).
struct any_selection_context {
  using B = backends::Eigen<float>;
};

using E = backends::Eigen<float>;
using Gmf = models::GMF<E>;
static_assert(models::check_model<MyModel<E>>(), "");
static_assert(nn::has_logit_gradients_v<MyModel<E>>, "the sketch's optional logit_gradients is found");
static_assert(losses::check_loss<MyLoss, E>(), "");
static_assert(methods::check_method<MyMethod, Gmf, losses::BCE, nn::Adam<E>>(), "");
static_assert(methods::check_method<step_level::MyMethod, Gmf, losses::BCE, nn::Adam<E>>(), "");
static_assert(train::check_selector<MySelector, any_selection_context>(), "");
static_assert(train::batchers::check_batcher<MyBatcher, E, Gmf>(), "");
static_assert(train::evaluators::check_evaluator<MyEvaluator, E, Gmf>(), "");
static_assert(rl::check_reward<MyBatchReward, rl::per_batch, E>(), "");
static_assert(rl::check_reward<MyEpochReward, rl::per_epoch>(), "");
static_assert(rl::check_selection<MySelection, E>(), "");
static_assert(rl::check_baseline<MyBaseline>(), "");
static_assert(methods::check_drop_schedule<MySchedule>(), "");
// Each of the callback's four hooks is found where the Trainer looks for it.
static_assert(traits::is_detected_v<train::detail::train_begin_t, MyCallback>, "on_train_begin");
static_assert(traits::is_detected_v<train::detail::epoch_end_t, MyCallback, Gmf>, "on_epoch_end");
static_assert(traits::is_detected_v<train::detail::iteration_end_t, MyCallback, Gmf>, "on_iteration_end");
static_assert(traits::is_detected_v<train::detail::train_end_t, MyCallback, Gmf>, "on_train_end");

}  // namespace sketch

