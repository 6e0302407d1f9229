// Compile check (and, on a GPU, a run) of the training layer on the CUDA backend: the Trainer on
// backends::Thrust<cuda> with a pair model (GMF), a weighting method (T-CE) and a step-owning one
// (methods::StepFunction), the ranking evaluator, on a small planted-noise dataset. CI compiles it
// with nvcc; test/cuda/CMakeLists.txt builds and runs it where there is a GPU (label gpu).
#include <denoise/backends/thrust.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/train.hpp>

#include <cstdio>

namespace {

namespace dn = denoise;
using B = dn::backends::Thrust<dn::backends::thrust_system::cuda, float>;
using GMF = dn::models::GMF<B>;

// The standard step, written at the step-owning level.
struct plain_step {
  B::vector ones;
  template <class Context>
  void operator()(Context& ctx) {
    ctx.forward();
    ones.resize(ctx.samples());
    B::fill(ones, 1.0f);
    const auto n = static_cast<float>(ctx.samples());
    ctx.report(ones, n);
    ctx.backward(ones, n);
    ctx.update();
  }
};

int run() {
  dn::data::SyntheticConfig c;
  c.n_users = 300;
  c.n_items = 400;
  c.mean_positives = 25;
  c.noise_rate = 0.2;
  c.held_out_per_user = 5;
  const auto d = dn::data::make_synthetic(c);
  const auto train_by_user = d.interactions.by_user();
  const auto held_by_user = d.held_out.by_user();
  const dn::train::ranking_target target{train_by_user.view(), held_by_user.view()};
  dn::data::UniformNegativeSampler sampler(d.interactions);
  dn::train::trainer_options o;
  o.epochs = 8;
  o.batch_size = 256;

  GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 1);
  using tce = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;
  dn::train::Trainer<GMF, dn::losses::BCE, tce> trainer(model, dn::nn::Adam<B>({0.01}),
                                                        tce(dn::methods::linear_drop_schedule(0.1, 100)), o);
  const double before = trainer.evaluate(target).at_k(20).ndcg;
  const auto result = trainer.fit(d.interactions, sampler, &target);
  const double after = result.history.back().value("ndcg@20");

  GMF second(d.interactions.n_users(), d.interactions.n_items(), {}, 1);
  plain_step step;
  dn::train::Trainer<GMF, dn::losses::BCE, dn::methods::StepFunction<plain_step>> stepper(
      second, dn::nn::Adam<B>({0.01}), dn::methods::StepFunction<plain_step>(step), o);
  const double plain = stepper.fit(d.interactions, sampler, &target).history.back().value("ndcg@20");

  std::printf("GMF on Thrust<cuda>: NDCG@20 %.4f -> T-CE %.4f, plain step %.4f; drop precision %.3f\n", before,
              after, plain, result.history.back().value("drop_precision"));
  return after > before + 0.02 && plain > before + 0.02 ? 0 : 1;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trainer_instantiation: %s\n", e.what());
    return 1;
  }
}
