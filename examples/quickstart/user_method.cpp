// A user-written denoising method, plugged into the Trainer (docs/policies/method.md, level 1:
// weighting). The trainer does the forward, the backward and the optimizer step; the method only
// turns each batch's per-sample losses into weights.
//
// The method, "warm-up cap": train normally for the first `warmup` batches, then drop every
// positive sample whose loss exceeds `cap` (a large loss on an observed interaction suggests a
// false positive once the model has learned the easy patterns).
//
// It exits with status 1 when training did not improve the validation NDCG@20.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/trainer.hpp>

#include <cstdint>
#include <cstdio>

namespace dn = denoise;

struct warmup_cap {
  static constexpr const char* name() { return "warmup-cap"; }  // for logs
  double cap = 1.5;              // loss above which a positive is dropped
  std::uint64_t warmup = 100;    // batches trained without dropping

  // The per-sample work runs as one functor call per sample through B::launch, so the same method
  // runs on every backend (Eigen, Thrust CPU systems, CUDA). No allocation, no virtual call.
  template <class S>
  struct kernel {
    const S* loss;      // per-sample loss
    const S* positive;  // 1 when the sample is an observed interaction, 0 for a sampled negative
    S cap;
    S* weight;
    DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
      weight[s] = (positive[s] > S(0.5) && loss[s] > cap) ? S(0) : S(1);
    }
  };

  // Per-run state; the Trainer creates it once the backend B is known.
  template <class B>
  class State {
   public:
    using S = typename B::scalar;
    State(const warmup_cap& policy, std::uint64_t /*seed*/)
        : cap_(static_cast<S>(policy.cap)), warmup_(policy.warmup) {}

    // ctx holds the batch (docs/policies/method.md lists every field): per-sample loss, prediction,
    // positive and anchor on the backend, the instance ids on the host, epoch and iteration.
    // Write one weight per sample and return the divisor: batch loss = sum(w * loss) / divisor.
    template <class Context>
    S on_batch(const Context& ctx, typename B::vector& weights) {
      weights.resize(ctx.samples());
      if (ctx.iteration < warmup_) {
        B::fill(weights, S(1));
      } else {
        B::launch(ctx.samples(), kernel<S>{B::ptr(ctx.loss), B::ptr(ctx.positive), cap_, B::ptr(weights)});
      }
      return static_cast<S>(ctx.samples());
    }

    // Called after each epoch's validation (ctx.metric("ndcg@20"), ctx.epoch, ...); nothing to do.
    template <class EpochContext>
    void on_epoch_end(const EpochContext&) {}

   private:
    S cap_;
    std::uint64_t warmup_;
  };
};

int main() {
  using B = dn::backends::Eigen<float>;
  // Synthetic data with planted false positives (20%) and held-out true preferences to rank.
  dn::data::SyntheticConfig config;
  config.n_users = 300;
  config.n_items = 400;
  config.mean_positives = 30;
  const dn::data::SyntheticData synthetic = dn::data::make_synthetic(config);
  const dn::data::Interactions& train = synthetic.interactions;
  // Validation: rank every item except the user's training items against the held-out ones.
  const dn::data::CsrIndex train_rows = train.by_user(), held_out_rows = synthetic.held_out.by_user();
  const dn::train::ranking_target validation{train_rows.view(), held_out_rows.view()};

  dn::models::GMF<B> model(train.n_users(), train.n_items(), {}, /*seed*/ 3);
  dn::train::trainer_options options;
  options.epochs = 8;
  options.batch_size = 256;
  dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE, warmup_cap> trainer(
      model, dn::nn::Adam<B>({0.005}), warmup_cap{1.5, 100}, options);

  const double before = trainer.evaluate(validation).at_k(20).ndcg;
  const dn::train::fit_result result = trainer.fit(train, dn::data::UniformNegativeSampler(train), &validation);
  const dn::train::epoch_record& last = result.history.back();
  // The data carries ground-truth noise flags, so each epoch also reports how well the method's
  // drops hit the planted noise (never shown to the method itself).
  std::printf("validation ndcg@20: untrained %.4f, trained %.4f; recall@20 %.4f\n", before, last.value("ndcg@20"),
              last.value("recall@20"));
  std::printf("drop precision %.3f, drop recall %.3f (the planted noise rate is 0.2)\n",
              last.value("drop_precision"), last.value("drop_recall"));
  if (!(last.value("ndcg@20") > before)) {
    std::fprintf(stderr, "user_method: training did not improve the validation NDCG@20\n");
    return 1;
  }
  return 0;
}
