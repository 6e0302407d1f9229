// SGDL (Gao et al., SIGIR'22) on planted-noise data: phase I trains plainly and tests which
// interactions the model has memorized; at the switch the memorized set is frozen and phase II
// meta-learns a per-sample weighting from it. Reports the switch, how clean the memorized set is,
// and the mean learned weight of clean vs noisy training positives.
//
//   sgdl [seed]
//
// Data: the built-in synthetic generator (20% of the positives are false); the model MF + BPR.
// Exits with status 1 when the selected phase-II epoch does not beat the untrained model on
// validation NDCG@20.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/data.hpp>
#include <denoise/losses/bpr.hpp>
#include <denoise/methods/sgdl/phase_two_selection.hpp>
#include <denoise/methods/sgdl/sgdl.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/train/trainer.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

int main(int argc, char** argv) {
  try {
    const std::uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
    dn::data::SyntheticConfig config;  // planted noise: 20% of the positives are false
    config.n_users = 150;
    config.n_items = 200;
    config.mean_positives = 20;
    const dn::data::Interactions data = dn::data::make_synthetic(config).interactions;
    const dn::data::Split split = dn::data::random_split(data, /*seed*/ 1);
    const auto validation = dn::metrics::holdout_target::validation(split, dn::metrics::relevance::clean_only);
    const auto validation_target = validation.target();

    // Paper profile, but switch by epoch 6 at the latest and validate every phase-II epoch, to keep
    // the example short (the paper's schedule: cap 50, every 5 epochs, patience 8).
    dn::methods::sgdl::sgdl_options o = dn::methods::sgdl::sgdl_options::paper();
    o.max_phase1_epochs = 6;
    o.history = 2;
    dn::methods::SGDL sgdl(split.train, o);
    sgdl.log_memorization_against(split.train.noisy());  // for the report only

    dn::models::MF<B> model(data.n_users(), data.n_items(), {}, seed);
    dn::train::trainer_options options;
    options.epochs = 12;
    options.batch_size = 256;
    options.seed = seed;
    dn::train::Trainer<dn::models::MF<B>, dn::losses::BPR, dn::methods::SGDL> trainer(
        model, dn::nn::Adam<B>({0.01}), sgdl, options);
    const double before = trainer.evaluate(validation_target).at_k(20).ndcg;
    const dn::data::UniformNegativeSampler sampler(split.train);
    dn::methods::sgdl::phase_two_selection<B> select(sgdl.report(), "ndcg@20", /*every*/ 1, /*patience*/ 3);
    const dn::train::fit_result result = trainer.fit(split.train, sampler, &validation_target, select);

    const auto& report = *sgdl.report();
    for (const auto& e : report.epochs) {
      if (e.phase == 1) {
        std::printf("epoch %2zu  phase I   noise rate %.3f  memorized %.3f of D (precision %.3f, recall %.3f)\n",
                    e.epoch, e.noise_rate, e.memorized_share, e.memorization_precision, e.memorization_recall);
      } else {
        std::printf("epoch %2zu  phase II  meta-loss %.4f\n", e.epoch, e.meta_loss);
      }
    }
    // The mean weight SGDL gave each training positive in the last epoch, clean vs noisy.
    double clean = 0, noisy = 0;
    std::size_t n_clean = 0, n_noisy = 0;
    for (std::size_t k = 0; k < split.train.size(); ++k) {
      const auto id = static_cast<std::size_t>(split.train.instances()[k]);
      const float w = id < result.instance_weights.size() ? result.instance_weights[id] : NAN;
      if (!(w == w)) continue;
      if (split.train.noisy()[k] != 0) noisy += w, ++n_noisy;
      else clean += w, ++n_clean;
    }
    const double after = result.history.at(result.best_epoch - 1).value("ndcg@20");
    std::printf("switch after epoch %zu; selected epoch %zu; validation ndcg@20 untrained %.4f, selected %.4f\n",
                report.switch_epoch, result.best_epoch, before, after);
    if (n_clean > 0 && n_noisy > 0) {
      std::printf("mean learned weight: clean positives %.3f, noisy positives %.3f\n", clean / double(n_clean),
                  noisy / double(n_noisy));
    }
    if (!(select.selected() && after > before)) {
      std::fprintf(stderr, "sgdl: no phase-II epoch beat the untrained model on validation\n");
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sgdl: %s\n", e.what());
    return 1;
  }
}
