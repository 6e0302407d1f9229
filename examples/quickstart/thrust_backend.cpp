// The same training on two backends: backends::Eigen and backends::Thrust on the OpenMP system
// (thrust::omp::par, on the CPU). Models, losses, methods and the Trainer are written once against
// backend primitives, so switching backends is one type. Link denoise::thrust and denoise::denoise.
// (On a GPU, backends::Thrust<thrust_system::cuda> runs the same code from an nvcc unit.)
//
// It exits with status 1 when training on Thrust did not improve the validation NDCG@20.
#include <denoise/backends/eigen.hpp>
#include <denoise/backends/thrust.hpp>
#include <denoise/data/data.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/methods/adt/adt.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/trainer.hpp>

#include <cstdio>

namespace dn = denoise;

struct outcome {
  double before, after;  // validation NDCG@20 of the untrained and of the trained model
};

// GMF + T-CE as in quickstart.cpp, on backend B.
template <class B>
outcome train_on(const dn::data::Split& split) {
  const auto validation = dn::metrics::holdout_target::validation(split, dn::metrics::relevance::clean_only);
  const auto test = dn::metrics::holdout_target::test(split, dn::metrics::relevance::clean_only);
  const auto& train = split.train;

  dn::models::GMF<B> model(train.n_users(), train.n_items(), {}, /*seed*/ 7);
  dn::train::trainer_options options;
  options.epochs = 6;
  options.batch_size = 256;
  using TCE = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;
  dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE, TCE> trainer(
      model, dn::nn::Adam<B>({0.001}), TCE(dn::methods::linear_drop_schedule(0.2, 300)), options);

  const auto validation_target = validation.target();
  const double before = trainer.evaluate(validation_target).at_k(20).ndcg;
  const auto result = trainer.fit(train, dn::data::UniformNegativeSampler(train), &validation_target);
  const auto r = trainer.evaluate(test.target());
  std::printf("%-22s test recall@20 %.4f  ndcg@20 %.4f\n", B::name(), r.at_k(20).recall, r.at_k(20).ndcg);
  return {before, result.history.back().value("ndcg@20")};
}

int main() {
  dn::data::SyntheticConfig config;
  config.n_users = 300;
  config.n_items = 400;
  config.mean_positives = 30;
  const dn::data::Split split = dn::data::random_split(dn::data::make_synthetic(config).interactions, /*seed*/ 1);

  const outcome eigen = train_on<dn::backends::Eigen<float>>(split);
  const outcome thrust = train_on<dn::backends::Thrust<dn::backends::thrust_system::omp, float>>(split);
  std::printf("validation ndcg@20: Eigen %.4f -> %.4f, Thrust (OMP) %.4f -> %.4f\n", eigen.before, eigen.after,
              thrust.before, thrust.after);
  if (!(thrust.after > thrust.before)) {
    std::fprintf(stderr, "thrust_backend: training did not improve the validation NDCG@20\n");
    return 1;
  }
  return 0;
}
