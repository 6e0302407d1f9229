// Ge et al.'s controller through the Trainer: on planted-noise sequences (users walk an item cycle,
// with random interactions rated 1 inserted: the false positives) with MFSoftmax, GRU4Rec and
// SASRec (batchers::SequenceWindows, evaluators::SequenceRanking and its per-user AUC reward), and
// on pair MF/GMF with sampled negatives. Checks: the reward is the validation AUC of each epoch,
// the baseline follows b <- 0.9 b + 0.1 R from 0, |D| is the epoch's observed samples, the method's
// mean weights of flagged samples agree with the trainer's denoising report, the same seed gives
// bit-identical runs, and the mean weights of false vs true positives (reported, see the doc page).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/rl/rewards/validation_metric.hpp>
#include <denoise/train/batchers/negative_sampling.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/evaluators/ranking.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/trainer.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {

constexpr index_t kUsers = 120, kItems = 40, kLength = 24;

/// Every user walks the cycle i -> i + 1 (rating 5) from a random start; with probability `noise`
/// a random item rated 1 is inserted instead of the next step (a false positive).
data::Sequences planted_sequences(double noise, std::uint64_t seed) {
  random::rng g(seed);
  std::vector<offset_t> offsets{0};
  std::vector<index_t> items;
  std::vector<float> ratings;
  for (index_t u = 0; u < kUsers; ++u) {
    auto next = static_cast<index_t>(g.uniform_index(kItems));
    for (index_t t = 0; t < kLength; ++t) {
      if (t > 0 && static_cast<double>(g.uniform_index(1000000)) < noise * 1e6) {
        items.push_back(static_cast<index_t>(g.uniform_index(kItems)));
        ratings.push_back(1.0f);
      } else {
        items.push_back(next);
        ratings.push_back(5.0f);
        next = (next + 1) % kItems;
      }
    }
    offsets.push_back(static_cast<offset_t>(items.size()));
  }
  return data::Sequences::from_columns(offsets, items, ratings, kItems);
}

struct planted {
  data::sequence_protocol_options protocol;
  data::sequence_split split;
  train::evaluators::sequence_target valid;
  std::vector<std::uint8_t> flags;
  std::size_t windows = 0, noisy = 0;
  explicit planted(double noise = 0.25)
      : split(data::split_sequences(planted_sequences(noise, 5), protocol)),
        valid(train::evaluators::sequence_target::validation(split, protocol, 5)) {
    train::trainer_options o;
    const train::batchers::SequenceWindows::State<B> st(train::batchers::SequenceWindows(split, 5), o, 0);
    flags.assign(st.noise_flags().begin(), st.noise_flags().end());
    windows = st.examples();
    for (auto f : flags) noisy += f == 1;
  }
};

const planted& data_set() {
  static const planted p;
  return p;
}

train::trainer_options options(std::size_t epochs, std::uint64_t seed) {
  train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = 128;
  o.seed = seed;
  return o;
}

nn::Adam<B> model_adam() {
  nn::adam_options a;
  a.lr = 0.01;
  return nn::Adam<B>(a);
}

template <class Head>
methods::AutoDenoiseController<Head> controller(double lr = 1e-3) {
  methods::autodenoise_controller_options o;
  o.learning_rate = lr;
  methods::AutoDenoiseController<Head> c(Head{}, o);
  c.set_noise_flags(data_set().flags);
  return c;
}

/// Instances with a weight in the last epoch (the others are NaN).
std::size_t trained_instances(const train::fit_result& fit) {
  std::size_t n = 0;
  for (float w : fit.instance_weights) n += w == w;  // trained instances (others are NaN)
  return n;
}

/// Runs the controller on `model` and checks what every run must satisfy.
template <class Model, class Head>
train::fit_result run_and_check(Model& model, std::size_t epochs, std::uint64_t seed,
                                std::vector<methods::controller_epoch>* history = nullptr) {
  const auto& p = data_set();
  using Method = methods::AutoDenoiseController<Head>;
  train::Trainer<Model, losses::SoftmaxCrossEntropy, Method> trainer(model, model_adam(), controller<Head>(),
                                                                     options(epochs, seed));
  const auto fit = trainer.fit(train::batchers::SequenceWindows(p.split, 5), &p.valid);
  const auto& h = trainer.method().history();
  BOOST_TEST_REQUIRE(h.size() == epochs);
  double b = 0.0;
  for (std::size_t e = 0; e < epochs; ++e) {
    const auto& r = fit.history[e];
    BOOST_TEST(h[e].epoch == e + 1);
    BOOST_TEST(h[e].reward == r.value("auc"));  // R = the validation AUC of that epoch
    BOOST_TEST(h[e].reward > 0.0);
    BOOST_TEST(h[e].reward < 1.0);
    BOOST_TEST(h[e].baseline == b, boost::test_tools::tolerance(1e-12));
    b = 0.9 * b + 0.1 * h[e].reward;
    BOOST_TEST(h[e].samples == p.windows);  // |D|: every window is an observed interaction
    // The method's view of the flags agrees with the trainer's denoising report.
    BOOST_TEST(h[e].mean_weight_noisy == r.value("weight_noisy_mean"), boost::test_tools::tolerance(1e-4));
    BOOST_TEST(h[e].mean_weight_clean == r.value("weight_clean_mean"), boost::test_tools::tolerance(1e-4));
  }
  BOOST_TEST(trained_instances(fit) == p.windows);
  if (history != nullptr) *history = h;
  return fit;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(autodenoise_controller_training)

BOOST_AUTO_TEST_CASE(runs_on_the_three_sequence_models) {
  const auto& p = data_set();
  BOOST_TEST_MESSAGE("planted sequences: " << p.windows << " training windows, " << p.noisy << " false positives");
  models::mf_softmax_options mo;
  mo.factor = 16;
  models::MFSoftmax<B> mf(kUsers, kItems, mo, 1);
  run_and_check<decltype(mf), methods::HardHead>(mf, 3, 1);
  models::gru4rec_options go;
  go.embedding = 16;
  go.hidden = 16;
  models::GRU4Rec<B> gru(kUsers, kItems, go, 2);
  const auto fit = run_and_check<decltype(gru), methods::SoftHead>(gru, 3, 2);
  for (float w : fit.instance_weights)
    if (w == w) BOOST_TEST(w > 0.0f);  // softplus weights
  models::sasrec_options so;
  so.dim = 16;
  so.max_length = 5;
  models::SASRec<B> sas(kUsers, kItems, so, 3);
  const auto hard = run_and_check<decltype(sas), methods::HardHead>(sas, 2, 3);
  for (float w : hard.instance_weights)
    if (w == w) BOOST_TEST((w == 0.0f || w == 1.0f || w == 2.0f));  // one draw per instance per epoch
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_run) {
  models::gru4rec_options go;
  go.embedding = 16;
  go.hidden = 16;
  std::vector<methods::controller_epoch> h1, h2, h3;
  models::GRU4Rec<B> a(kUsers, kItems, go, 4), b(kUsers, kItems, go, 4), c(kUsers, kItems, go, 4);
  const auto r1 = run_and_check<models::GRU4Rec<B>, methods::SoftHead>(a, 2, 11, &h1);
  const auto r2 = run_and_check<models::GRU4Rec<B>, methods::SoftHead>(b, 2, 11, &h2);
  const auto r3 = run_and_check<models::GRU4Rec<B>, methods::SoftHead>(c, 2, 12, &h3);
  for (std::size_t e = 0; e < 2; ++e) {
    BOOST_TEST(h1[e].reward == h2[e].reward);
    BOOST_TEST(h1[e].mean_weight == h2[e].mean_weight);
  }
  BOOST_TEST(std::memcmp(r1.instance_weights.data(), r2.instance_weights.data(), r1.instance_weights.size() * sizeof(float)) == 0);
  BOOST_TEST(r1.instance_weights != r3.instance_weights);
}

BOOST_AUTO_TEST_CASE(runs_on_pair_models_with_sampled_negatives) {
  data::SyntheticConfig c;
  c.n_users = 80;
  c.n_items = 120;
  c.mean_positives = 15;
  c.noise_rate = 0.2;
  c.held_out_per_user = 5;
  c.seed = 3;
  const auto d = data::make_synthetic(c);
  const auto train_by_user = d.interactions.by_user(), held_out_by_user = d.held_out.by_user();
  const train::ranking_target target{train_by_user.view(), held_out_by_user.view()};
  const data::UniformNegativeSampler sampler(d.interactions);
  std::size_t positives = 0;
  for (float l : d.interactions.labels()) positives += l > 0.0f;
  using H = methods::AutoDenoiseController<methods::HardHead>;
  auto o = options(2, 5);
  o.negatives = 2;
  {
    models::MF<B> mf(d.interactions.n_users(), d.interactions.n_items());
    train::Trainer<decltype(mf), losses::BCE, H> trainer(mf, model_adam(), H(methods::HardHead(3), {}, rl::ValidationMetric("ndcg@20")), o);
    const auto fit = trainer.fit(d.interactions, sampler, &target);
    const auto& h = trainer.method().history();
    BOOST_TEST_REQUIRE(h.size() == 2u);
    for (std::size_t e = 0; e < 2; ++e) {
      BOOST_TEST(h[e].samples == positives);  // negatives are not weighted by the controller
      BOOST_TEST(h[e].reward == fit.history[e].value("ndcg@20"));
    }
  }
  {
    models::GMF<B> gmf(d.interactions.n_users(), d.interactions.n_items());
    using S = methods::AutoDenoiseController<methods::SoftHead>;
    train::Trainer<decltype(gmf), losses::BCE, S> trainer(gmf, model_adam(), S(methods::SoftHead(), {}, rl::ValidationMetric("recall@20")), o);
    trainer.fit(d.interactions, sampler, &target);
    BOOST_TEST(trainer.method().history().size() == 2u);
  }
}

/// Trains `model` 10 epochs with AutoDenoise-S (controller lr `lr`) and returns the controller's
/// history; every weight is positive and finite.
template <class Model>
std::vector<methods::controller_epoch> measure(Model& model, std::uint64_t seed, double lr, bool baseline_from_first) {
  const auto& p = data_set();
  using M = methods::AutoDenoiseController<methods::SoftHead>;
  methods::autodenoise_controller_options o;
  o.learning_rate = lr;
  M method(methods::SoftHead{}, o, rl::ValidationMetric("auc"), rl::MovingAverage(0.9).start_at_first_reward(baseline_from_first));
  method.set_noise_flags(p.flags);
  train::Trainer<Model, losses::SoftmaxCrossEntropy, M> trainer(model, model_adam(), method, options(10, seed));
  const auto fit = trainer.fit(train::batchers::SequenceWindows(p.split, 5), &p.valid);
  for (float w : fit.instance_weights)
    if (w == w) BOOST_TEST((w > 0.0f && std::isfinite(w)));
  const auto& h = trainer.method().history();
  if (baseline_from_first) {  // the first reward is measured against itself: no first step
    BOOST_TEST(h.front().advantage == 0.0);
    BOOST_TEST(h.front().baseline == h.front().reward);
  } else {
    BOOST_TEST(h.front().baseline == 0.0);
  }
  BOOST_TEST_MESSAGE(Model::name() << " seed " << seed << " lr " << lr << (baseline_from_first ? " b0=R1" : " b0=0")
                                   << ": R " << h.front().reward << " -> " << h.back().reward
                                   << "; mean weight, epoch 5: true " << h[4].mean_weight_clean << " false "
                                   << h[4].mean_weight_noisy << "; epoch 10: true " << h.back().mean_weight_clean
                                   << " false " << h.back().mean_weight_noisy);
  return h;
}

BOOST_AUTO_TEST_CASE(weights_of_false_vs_true_positives) {
  // Reported, not asserted: on this data the direction depends on the seed (docs/autodenoise_controller.md).
  for (bool first : {false, true})
    for (std::uint64_t seed : {21u, 22u, 23u}) {
      models::gru4rec_options go;
      go.embedding = 16;
      go.hidden = 16;
      models::GRU4Rec<B> gru(kUsers, kItems, go, seed);
      measure(gru, seed, 1e-2, first);
      models::sasrec_options so;
      so.dim = 16;
      so.max_length = 5;
      models::SASRec<B> sas(kUsers, kItems, so, seed);
      measure(sas, seed, 1e-2, first);
      models::mf_softmax_options mo;
      mo.factor = 16;
      models::MFSoftmax<B> mf(kUsers, kItems, mo, seed);
      measure(mf, seed, 1e-2, first);
    }
}

BOOST_AUTO_TEST_SUITE_END()
