// Quickstart: load ratings, split them, train GMF with T-CE (truncated loss) and report Recall@20
// and NDCG@20 on the test split.
//
//   quickstart                 MovieLens-100K from $DENOISE_DATA_DIR/ml-100k/u.data when that is
//                              set, otherwise the built-in synthetic generator (always available)
//
// It exits with status 1 when training did not improve the validation NDCG@20 over the untrained
// model, so ctest checks that it really learned something.
#include <denoise/backends/eigen.hpp>        // the CPU backend (Eigen)
#include <denoise/data/data.hpp>             // loaders, implicit conversion, splits, samplers
#include <denoise/losses/bce.hpp>            // binary cross-entropy
#include <denoise/methods/adt/adt.hpp>       // T-CE and R-CE (Wang et al., WSDM'21)
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/trainer.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;  // float storage on the CPU

int main() {
  // 1. Interactions: every rating becomes an implicit positive; a rating below 3 is flagged as a
  //    false positive. The flag is ground truth for reports only: training never sees it.
  dn::data::Interactions data;
  const char* dir = std::getenv("DENOISE_DATA_DIR");
  if (dir != nullptr && *dir != '\0') {
    data = dn::data::load_movielens_100k(std::string(dir) + "/ml-100k/u.data");
    dn::data::make_implicit(data);  // {noisy_below = 3}
    std::printf("data: MovieLens-100K, %zu interactions\n", data.size());
  } else {
    dn::data::SyntheticConfig config;  // planted noise: 20% of the positives are false
    config.n_users = 300;
    config.n_items = 400;
    config.mean_positives = 30;
    data = dn::data::make_synthetic(config).interactions;  // already implicit
    std::printf("data: synthetic, %zu interactions (set DENOISE_DATA_DIR for MovieLens)\n", data.size());
  }

  // 2. Split 8:1:1 at random. The parts share the id maps, so index u means the same user in each.
  const dn::data::Split split = dn::data::random_split(data, /*seed*/ 1);
  // Ranking targets: rank every item except the ones seen before, against the clean held-out items.
  const auto validation = dn::metrics::holdout_target::validation(split, dn::metrics::relevance::clean_only);
  const auto test = dn::metrics::holdout_target::test(split, dn::metrics::relevance::clean_only);

  // 3. The model, and the trainer: GMF + BCE, T-CE dropping up to 20% of the largest-loss
  //    positives of each batch (ramped up over the first 300 batches), Adam with lr 0.001.
  dn::models::GMF<B> model(data.n_users(), data.n_items(), {}, /*seed*/ 7);
  dn::train::trainer_options options;  // defaults: 20 epochs, 1024 positives per batch, 1 negative
  options.epochs = 6;
  options.batch_size = 256;
  options.ks = {20};
  using TCE = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;
  dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE, TCE> trainer(
      model, dn::nn::Adam<B>({0.001}), TCE(dn::methods::linear_drop_schedule(0.2, 300)), options);

  // 4. Train, validating after every epoch. Negatives are drawn uniformly among each user's
  //    unobserved items.
  const dn::data::UniformNegativeSampler sampler(split.train);
  const auto validation_target = validation.target();
  const double before = trainer.evaluate(validation_target).at_k(20).ndcg;
  const dn::train::fit_result result = trainer.fit(split.train, sampler, &validation_target);
  const double after = result.history.back().value("ndcg@20");

  // 5. Test: one call evaluates the trained model on the test split.
  const dn::metrics::ranking_result r = trainer.evaluate(test.target());
  std::printf("validation ndcg@20: untrained %.4f, trained %.4f\n", before, after);
  std::printf("test recall@20 %.4f  ndcg@20 %.4f  (%zu users)\n", r.at_k(20).recall, r.at_k(20).ndcg,
              r.users_evaluated);
  if (!(after > before)) {
    std::fprintf(stderr, "quickstart: training did not improve the validation NDCG@20\n");
    return 1;
  }
  return 0;
}
