// The Trainer end to end on the planted-noise generator: learning recovers held-out true
// preferences, runs are reproducible, callbacks log and stop, early stopping restores the best
// epoch, a diverging run stops with an error, and T-CE's drops concentrate on planted noise.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/train/train.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <unistd.h>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

namespace {

struct planted {
  dn::data::SyntheticData data;
  dn::data::CsrIndex train_by_user, held_out_by_user;
  dn::train::ranking_target target;

  explicit planted(double noise_rate = 0.2, std::uint64_t seed = 42) : data(make(noise_rate, seed)) {
    train_by_user = data.interactions.by_user();
    held_out_by_user = data.held_out.by_user();
    target = {train_by_user.view(), held_out_by_user.view()};
  }
  static dn::data::SyntheticData make(double noise_rate, std::uint64_t seed) {
    dn::data::SyntheticConfig c;
    c.n_users = 300;
    c.n_items = 400;
    c.mean_positives = 25;
    c.noise_rate = noise_rate;
    c.held_out_per_user = 5;
    c.seed = seed;
    return dn::data::make_synthetic(c);
  }
  dn::index_t users() const { return data.interactions.n_users(); }
  dn::index_t items() const { return data.interactions.n_items(); }
};

dn::train::trainer_options options(std::size_t epochs, std::uint64_t seed = 1) {
  dn::train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = 256;
  o.negatives = 2;
  o.seed = seed;
  o.ks = {20};
  return o;
}

std::string temp_path(const std::string& name) {
  return "/tmp/denoise_trainer_" + std::to_string(static_cast<long>(::getpid())) + "_" + name;
}

// Breaks the run on purpose: NaN weights from the fourth batch on.
struct poisoned {
  static constexpr const char* name() { return "poisoned"; }
  template <class Bk>
  class State {
   public:
    State(const poisoned&, std::uint64_t) {}
    template <class Context>
    typename Bk::scalar on_batch(const Context& ctx, typename Bk::vector& w) {
      w.resize(ctx.samples());
      Bk::fill(w, ctx.iteration >= 3 ? std::numeric_limits<typename Bk::scalar>::quiet_NaN() : typename Bk::scalar(1));
      return static_cast<typename Bk::scalar>(ctx.samples());
    }
    template <class E>
    void on_epoch_end(const E&) {}
  };
};

}  // namespace

BOOST_AUTO_TEST_SUITE(trainer)

BOOST_AUTO_TEST_CASE(mf_recovers_held_out_preferences_far_better_than_random) {
  planted p;
  dn::models::MF<B> model(p.users(), p.items(), {}, 7);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.01}), {}, options(15));
  const auto before = trainer.evaluate(p.target).at_k(20).recall;
  const auto result = trainer.fit(p.data.interactions, sampler, &p.target);
  const double recall = result.history.back().value("recall@20");
  const double random_recall = 20.0 / (p.items() - 25.0);
  // A random ranking of the ~375 unobserved items finds 20/375 ≈ 5% of the held-out items; the
  // generator's own true scores (an oracle) find about 35%. Trained MF lands at about 14%.
  BOOST_TEST_MESSAGE("recall@20 before " << before << ", after " << recall << ", random " << random_recall);
  BOOST_TEST(recall > 2.0 * random_recall);
  BOOST_TEST(recall > 2.0 * before);
  BOOST_TEST(result.history.back().train_loss < result.history.front().train_loss);
  BOOST_TEST(result.history.size() == 15u);
}

BOOST_AUTO_TEST_CASE(same_seed_same_run) {
  planted p;
  auto run = [&](std::uint64_t seed) {
    dn::models::GMF<B> model(p.users(), p.items(), {}, 3);
    dn::data::UniformNegativeSampler sampler(p.data.interactions);
    dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.005}), {}, options(3, seed));
    const auto r = trainer.fit(p.data.interactions, sampler, &p.target);
    return std::make_pair(r.history.back().train_loss, r.history.back().value("ndcg@20"));
  };
  const auto a = run(5), b = run(5), c = run(6);
  BOOST_TEST(a.first == b.first);
  BOOST_TEST(a.second == b.second);
  BOOST_TEST(a.first != c.first);
}

BOOST_AUTO_TEST_CASE(early_stopping_restores_the_best_epoch) {
  planted p;
  dn::models::GMF<B> model(p.users(), p.items(), {}, 3);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.05}), {}, options(40));
  dn::train::early_stopping<B> stopper("ndcg@20", 2);
  const auto result = trainer.fit(p.data.interactions, sampler, &p.target, stopper);
  double best = -1;
  std::size_t best_epoch = 0;
  for (const auto& r : result.history)
    if (r.value("ndcg@20") > best) best = r.value("ndcg@20"), best_epoch = r.epoch;
  BOOST_TEST(result.best_epoch == best_epoch);
  BOOST_TEST(stopper.best_epoch() == best_epoch);
  // The model now holds the best epoch's parameters, not the last epoch's.
  BOOST_TEST(trainer.evaluate(p.target).at_k(20).ndcg == best);
  // lr 0.05 overfits within a few epochs, so patience 2 must stop it long before epoch 40.
  BOOST_TEST_REQUIRE(result.stopped_early);
  BOOST_TEST(result.history.size() == best_epoch + 2);
}

BOOST_AUTO_TEST_CASE(epoch_logs_are_complete_files) {
  planted p;
  dn::models::MF<B> model(p.users(), p.items(), {}, 1);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BPR> trainer(model, dn::nn::Adam<B>({0.01}), {}, options(2));
  const std::string csv = temp_path("log.csv"), json = temp_path("log.json");
  dn::train::epoch_log csv_log(csv), json_log(json);
  trainer.fit(p.data.interactions, sampler, &p.target, csv_log, json_log, dn::train::progress("ndcg@20"));
  std::ifstream in(csv);
  std::string header, line;
  std::getline(in, header);
  BOOST_TEST(header.rfind("epoch,train_loss,samples,seconds,eval_seconds,samples_per_second,recall@20", 0) == 0u);
  BOOST_TEST(header.find("drop_precision") != std::string::npos);
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  BOOST_TEST(rows == 2);
  std::ifstream jin(json);
  std::stringstream js;
  js << jin.rdbuf();
  BOOST_TEST(js.str().find("\"epoch\": 2") != std::string::npos);
  BOOST_TEST(js.str().find("\"ndcg@20\"") != std::string::npos);
  std::remove(csv.c_str());
  std::remove(json.c_str());
}

BOOST_AUTO_TEST_CASE(a_diverging_run_stops_with_an_error) {
  planted p;
  dn::models::MF<B> model(p.users(), p.items(), {}, 1);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE, poisoned> trainer(model, dn::nn::Adam<B>(), {}, options(2));
  try {
    trainer.fit(p.data.interactions, sampler, nullptr);
    BOOST_FAIL("expected a divergence_error");
  } catch (const dn::divergence_error& e) {
    BOOST_TEST(std::string(e.what()).find("iteration 4") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_learning_rate_far_too_high_stops_as_divergence_before_any_nan) {
  planted p;
  dn::models::MF<B> model(p.users(), p.items(), {}, 1);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({1e4}), {}, options(3));
  try {
    trainer.fit(p.data.interactions, sampler, nullptr);
    BOOST_FAIL("expected a divergence_error");
  } catch (const dn::divergence_error& e) {
    const std::string what = e.what();
    BOOST_TEST_MESSAGE(what);
    BOOST_TEST(what.find("learning_rate") != std::string::npos);
    BOOST_TEST(what.find("diverged") != std::string::npos);
  }
  // The same run at a sane rate is untouched by the check.
  dn::models::MF<B> calm(p.users(), p.items(), {}, 1);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE> fine(calm, dn::nn::Adam<B>({0.01}), {}, options(3));
  BOOST_CHECK_NO_THROW(fine.fit(p.data.interactions, sampler, nullptr));
}

BOOST_AUTO_TEST_CASE(truncated_loss_drops_mostly_planted_noise) {
  planted p(0.2);
  dn::models::GMF<B> model(p.users(), p.items(), {}, 5);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  using tce = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;
  dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE, tce> trainer(
      model, dn::nn::Adam<B>({0.01}), tce(dn::methods::linear_drop_schedule(0.1, 200)), options(10));
  const auto result = trainer.fit(p.data.interactions, sampler, &p.target);
  const double precision = result.history.back().value("drop_precision");
  BOOST_TEST_MESSAGE("T-CE drop precision " << precision << " with 20% planted noise");
  // Dropping at random would give the planted share, 0.2; this run measures 0.41. The bound asks
  // for 1.5x the planted share, far from both, so float-level differences cannot flip it.
  BOOST_TEST(precision > 0.3);
}

BOOST_AUTO_TEST_CASE(bad_options_are_config_errors) {
  planted p;
  dn::models::MF<B> model(p.users(), p.items(), {}, 1);
  auto o = options(0);
  BOOST_CHECK_THROW((dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE>(model, dn::nn::Adam<B>(), {}, o)), dn::config_error);
  dn::models::MF<B> small(10, 10, {}, 1);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE> trainer(small, dn::nn::Adam<B>(), {}, options(1));
  BOOST_CHECK_THROW(trainer.fit(p.data.interactions, sampler, nullptr), dn::config_error);
  dn::train::early_stopping<B> watch_missing("ndcg@20", 1);
  dn::train::Trainer<dn::models::MF<B>, dn::losses::BCE> t2(model, dn::nn::Adam<B>(), {}, options(1));
  BOOST_CHECK_THROW(t2.fit(p.data.interactions, sampler, nullptr, watch_missing), dn::config_error);
}

BOOST_AUTO_TEST_CASE(a_batch_counted_in_samples_holds_positives_and_negatives_together) {
  planted p;
  std::size_t positives = 0;
  for (float label : p.data.interactions.labels()) positives += label > 0.0f ? 1u : 0u;
  auto iterations = [&](dn::train::batch_unit unit, std::size_t batch, std::size_t negatives) {
    dn::models::GMF<B> model(p.users(), p.items(), {}, 3);
    dn::data::UniformNegativeSampler sampler(p.data.interactions);
    auto o = options(1);
    o.batch_size = batch;
    o.negatives = negatives;
    o.unit = unit;
    dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE> trainer(model, dn::nn::Adam<B>({0.01}), {}, o);
    const auto r = trainer.fit(p.data.interactions, sampler, nullptr);
    BOOST_TEST(r.history.front().samples == positives * (1 + negatives));  // every positive, once
    return r.history.front().iterations;
  };
  auto ceil_div = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
  // 256 positives per batch, or 256 samples = 85 positives with their 2 negatives (85 x 3 = 255).
  BOOST_TEST(iterations(dn::train::batch_unit::positives, 256, 2) == ceil_div(positives, 256));
  BOOST_TEST(iterations(dn::train::batch_unit::samples, 256, 2) == ceil_div(positives, 85));
  BOOST_TEST(iterations(dn::train::batch_unit::samples, 1024, 1) == ceil_div(positives, 512));
  // A batch of 2 samples cannot hold a positive with its 2 negatives.
  dn::models::GMF<B> model(p.users(), p.items(), {}, 3);
  auto o = options(1);
  o.batch_size = 2;
  o.unit = dn::train::batch_unit::samples;
  BOOST_CHECK_THROW((dn::train::Trainer<dn::models::GMF<B>, dn::losses::BCE>(model, dn::nn::Adam<B>(), {}, o)),
                    dn::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
