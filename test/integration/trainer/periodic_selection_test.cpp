// Selection every N steps (ADT's reference rule): Trainer::loss_on measures the method's loss on
// other batches (checked by hand), leaves the run it is called from untouched, applies the
// method's weights at the step it is given (T-CE's drop), and periodic_selection scores the
// right steps and hands back the best candidate's parameters.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/train.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;
using GMF = dn::models::GMF<B>;

namespace {

dn::data::SyntheticData planted_data() {
  dn::data::SyntheticConfig c;
  c.n_users = 200;
  c.n_items = 300;
  c.mean_positives = 20;
  c.noise_rate = 0.2;
  c.held_out_per_user = 4;
  c.seed = 11;
  return dn::data::make_synthetic(c);
}

dn::train::trainer_options options(std::size_t epochs) {
  dn::train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = 200;
  o.negatives = 1;
  o.seed = 3;
  o.ks = {20};
  return o;
}

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(periodic_selection)

BOOST_AUTO_TEST_CASE(loss_on_is_the_mean_of_the_batch_means_of_the_loss) {
  const auto d = planted_data();
  GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 5);
  dn::train::Trainer<GMF, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.01}), {}, options(1));
  // Labelled rows in fixed order: every held-out positive, then one unseen item per user as a 0.
  dn::data::Interactions rows = d.interactions.empty_like();
  for (std::size_t r = 0; r < d.held_out.size(); ++r) rows.push_back(d.held_out.users()[r], d.held_out.items()[r], 1.0f);
  for (dn::index_t u = 0; u < d.interactions.n_users(); ++u) rows.push_back(u, (u * 7) % d.interactions.n_items(), 0.0f);
  const dn::train::batchers::LabelledPairs batcher(rows);
  const double measured = trainer.loss_on(batcher, 1);

  // By hand: the logits of every row, BCE = softplus(-s) for a 1 and softplus(s) for a 0, the mean
  // of each run of batch_size rows, then the mean of those means.
  model.eval();
  dn::data::pair_batch<B> all;
  B::from_host(std::vector<dn::index_t>(rows.users().begin(), rows.users().end()), all.users);
  B::from_host(std::vector<dn::index_t>(rows.items().begin(), rows.items().end()), all.items);
  GMF::workspace ws;
  B::vector logits;
  model.forward(all, ws, logits);
  std::vector<float> s;
  B::to_host(logits, s);
  const std::size_t batch = options(1).batch_size;
  double sum = 0.0;
  std::size_t batches = 0;
  for (std::size_t start = 0; start < rows.size(); start += batch) {
    const std::size_t end = std::min(rows.size(), start + batch);
    double batch_sum = 0.0;
    for (std::size_t r = start; r < end; ++r) batch_sum += rows.labels()[r] > 0 ? softplus(-s[r]) : softplus(s[r]);
    sum += batch_sum / static_cast<double>(end - start);
    ++batches;
  }
  BOOST_TEST_REQUIRE(batches > 2u);
  BOOST_TEST(measured == sum / static_cast<double>(batches), boost::test_tools::tolerance(1e-5));
  BOOST_TEST(model.training() == false);  // loss_on restores the mode it found
}

BOOST_AUTO_TEST_CASE(loss_on_applies_the_method_at_the_given_step) {
  const auto d = planted_data();
  GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 5);
  using tce = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;
  dn::train::Trainer<GMF, dn::losses::BCE, tce> trainer(model, dn::nn::Adam<B>({0.01}),
                                                        tce(dn::methods::linear_drop_schedule(0.3, 100)), options(1));
  dn::train::Trainer<GMF, dn::losses::BCE> plain(model, dn::nn::Adam<B>({0.01}), {}, options(3));
  dn::data::UniformNegativeSampler sampler(d.interactions);
  plain.fit(d.interactions, sampler, nullptr);  // so that the losses differ from sample to sample
  const dn::train::batchers::NegativeSampling<dn::data::UniformNegativeSampler> batches(d.held_out, sampler);
  // At step 0 the drop rate is 0: T-CE's loss is the plain loss, on the same negatives (same seed).
  BOOST_TEST(trainer.loss_on(batches, 9, 0) == plain.loss_on(batches, 9, 0), boost::test_tools::tolerance(1e-6));
  // Past the ramp 30% of the positives with the largest loss are left out: a smaller mean.
  BOOST_TEST(trainer.loss_on(batches, 9, 500) < 0.95 * plain.loss_on(batches, 9, 500));
  // Another seed draws other negatives.
  BOOST_TEST(plain.loss_on(batches, 9) != plain.loss_on(batches, 10));
}

BOOST_AUTO_TEST_CASE(scoring_between_steps_leaves_the_run_untouched) {
  const auto d = planted_data();
  dn::data::UniformNegativeSampler sampler(d.interactions);
  const dn::train::batchers::NegativeSampling<dn::data::UniformNegativeSampler> valid(d.held_out, sampler);
  auto run = [&](bool score) {
    GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 5);
    dn::train::Trainer<GMF, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.01}), {}, options(3));
    std::vector<double> losses;
    auto scorer = [&](const dn::train::iteration_record& r) { return trainer.loss_on(valid, r.iteration, r.iteration); };
    if (score) {
      dn::train::periodic_selection<B, decltype(scorer)> select(4, scorer);
      for (const auto& e : trainer.fit(d.interactions, sampler, nullptr, select).history) losses.push_back(e.train_loss);
    } else {
      for (const auto& e : trainer.fit(d.interactions, sampler, nullptr).history) losses.push_back(e.train_loss);
    }
    return losses;
  };
  const auto with = run(true), without = run(false);
  BOOST_TEST(with == without, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_best_candidate_is_restored) {
  const auto d = planted_data();
  dn::data::UniformNegativeSampler sampler(d.interactions);
  const dn::train::batchers::NegativeSampling<dn::data::UniformNegativeSampler> valid(d.held_out, sampler);
  GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 5);
  // lr 0.05 overfits, so the validation loss turns up and the last step is not the best.
  dn::train::Trainer<GMF, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.05}), {}, options(12));
  auto scorer = [&](const dn::train::iteration_record&) { return trainer.loss_on(valid, 77); };
  dn::train::periodic_selection<B, decltype(scorer)> select(7, scorer);
  const auto result = trainer.fit(d.interactions, sampler, nullptr, select);
  const auto steps = result.history.back().iterations;
  const auto& h = select.history();
  // Candidates after steps 7, 14, ... and after the last one.
  BOOST_TEST_REQUIRE(h.size() == steps / 7 + (steps % 7 != 0 ? 1 : 0));
  for (std::size_t c = 0; c + 1 < h.size(); ++c) BOOST_TEST(h[c].iteration == 7 * (c + 1));
  BOOST_TEST(h.back().iteration == steps);
  const auto best = std::min_element(h.begin(), h.end(), [](const auto& a, const auto& b) { return a.score < b.score; });
  BOOST_TEST(select.best().iteration == best->iteration);
  BOOST_TEST_REQUIRE(select.best().iteration < steps);  // the test means something only if it is not the last
  BOOST_TEST(result.best_epoch == select.best().epoch);
  // The model holds the best candidate's parameters: its loss on the same batches is that score.
  BOOST_TEST(trainer.loss_on(valid, 77) == select.best().score);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_named) {
  auto score = [](const dn::train::iteration_record&) { return 0.0; };
  BOOST_CHECK_THROW((dn::train::periodic_selection<B, decltype(score)>(0, score)), dn::config_error);
  const auto d = planted_data();
  dn::data::UniformNegativeSampler sampler(d.interactions);
  GMF model(d.interactions.n_users(), d.interactions.n_items(), {}, 5);
  dn::train::Trainer<GMF, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.01}), {}, options(1));
  auto nan = [](const dn::train::iteration_record&) { return std::nan(""); };
  dn::train::periodic_selection<B, decltype(nan)> select(2, nan);
  BOOST_CHECK_THROW(trainer.fit(d.interactions, sampler, nullptr, select), dn::divergence_error);
}

BOOST_AUTO_TEST_SUITE_END()
