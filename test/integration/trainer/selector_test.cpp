// The dataset-level extension: a user-written Selector (the small-loss trick: train a few fresh
// models for one epoch, keep the instances with the smallest mean loss) through the selection
// context; its subset is deterministic, holds less planted noise than what it drops, and
// retraining on it selects the epoch on validation. Bad selector output is a named error.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/train.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;
using GMF = dn::models::GMF<B>;

namespace {

// [doc: selector.md small-loss-selector]
struct small_loss_selector {
  static constexpr const char* name() { return "small-loss"; }
  std::size_t models = 2;  // fresh models, one epoch each
  double keep = 0.8;       // share of the trained instances to keep

  template <class Bk>
  class State {
   public:
    State(const small_loss_selector& policy, std::uint64_t seed)
        : models_(policy.models), keep_(policy.keep), seed_(seed) {}

    template <class Context>
    std::vector<dn::offset_t> select(Context& ctx) {
      sum_.assign(ctx.instances(), 0.0);
      count_.assign(ctx.instances(), 0);
      auto step = [&](auto& s) {
        using S = typename Bk::scalar;
        s.forward();
        ones_.resize(s.samples());
        Bk::fill(ones_, S(1));
        s.report(ones_, static_cast<S>(s.samples()));
        Bk::to_host(s.loss(), host_loss_);
        for (std::size_t k = 0; k < host_loss_.size(); ++k) {
          const dn::offset_t id = s.sample_instance()[k];
          if (id < 0) continue;
          sum_[static_cast<std::size_t>(id)] += static_cast<double>(host_loss_[k]);
          ++count_[static_cast<std::size_t>(id)];
        }
        s.backward(ones_, static_cast<S>(s.samples()));
        s.update();
      };
      for (std::size_t m = 0; m < models_; ++m) ctx.train_fresh(dn::random::derive_seed(seed_, m), 1, step);
      std::vector<dn::offset_t> trained;
      for (std::size_t id = 0; id < count_.size(); ++id)
        if (count_[id] > 0) trained.push_back(static_cast<dn::offset_t>(id));
      std::stable_sort(trained.begin(), trained.end(), [&](dn::offset_t a, dn::offset_t b) {
        return sum_[static_cast<std::size_t>(a)] / static_cast<double>(count_[static_cast<std::size_t>(a)]) <
               sum_[static_cast<std::size_t>(b)] / static_cast<double>(count_[static_cast<std::size_t>(b)]);
      });
      trained.resize(static_cast<std::size_t>(std::lround(keep_ * static_cast<double>(trained.size()))));
      return trained;
    }

   private:
    std::size_t models_;
    double keep_;
    std::uint64_t seed_;
    std::vector<double> sum_;
    std::vector<std::size_t> count_;
    typename Bk::vector ones_;
    std::vector<typename Bk::scalar> host_loss_;
  };
};
// [end]

// Returns an id that does not exist.
struct broken_selector {
  static constexpr const char* name() { return "broken"; }
  template <class Bk>
  class State {
   public:
    State(const broken_selector&, std::uint64_t) {}
    template <class Context>
    std::vector<dn::offset_t> select(Context& ctx) {
      return {0, static_cast<dn::offset_t>(ctx.instances())};
    }
  };
};

struct fixture {
  dn::data::SyntheticData d;
  dn::data::CsrIndex train_by_user, held_by_user;
  dn::train::ranking_target target;
  dn::data::UniformNegativeSampler sampler;
  fixture() : d(make()), train_by_user(d.interactions.by_user()), held_by_user(d.held_out.by_user()),
              target{train_by_user.view(), held_by_user.view()}, sampler(d.interactions) {}
  static dn::data::SyntheticData make() {
    dn::data::SyntheticConfig c;
    c.n_users = 200;
    c.n_items = 300;
    c.mean_positives = 25;
    c.noise_rate = 0.2;
    c.held_out_per_user = 5;
    c.seed = 21;
    return dn::data::make_synthetic(c);
  }
  dn::train::trainer_options options() const {
    dn::train::trainer_options o;
    o.epochs = 6;
    o.batch_size = 128;
    o.seed = 4;
    return o;
  }
};

using context_t = dn::train::selection_context<GMF, dn::losses::BCE, dn::data::UniformNegativeSampler>;

}  // namespace

BOOST_AUTO_TEST_SUITE(selector)

BOOST_AUTO_TEST_CASE(a_small_loss_selector_keeps_cleaner_instances_deterministically) {
  fixture f;
  GMF model(f.d.interactions.n_users(), f.d.interactions.n_items(), {}, 1);
  context_t ctx(model, f.d.interactions, f.sampler, &f.target, f.options(), dn::nn::Adam<B>({0.01}));
  small_loss_selector policy;
  small_loss_selector::State<B> state(policy, 9);
  const auto subset = dn::train::select<small_loss_selector>(state, ctx);
  small_loss_selector::State<B> again(policy, 9);
  BOOST_TEST(dn::train::select<small_loss_selector>(again, ctx) == subset);

  std::vector<std::uint8_t> kept(ctx.instances(), 0);
  for (auto id : subset) kept[static_cast<std::size_t>(id)] = 1;
  double noisy_kept = 0, kept_n = 0, noisy_dropped = 0, dropped_n = 0;
  const auto& rows = f.d.interactions;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!(rows.labels()[r] > 0.0f)) continue;
    const bool k = kept[static_cast<std::size_t>(rows.instances()[r])] != 0;
    (k ? kept_n : dropped_n) += 1;
    (k ? noisy_kept : noisy_dropped) += rows.noisy()[r];
  }
  BOOST_TEST_MESSAGE("noisy share: kept " << noisy_kept / kept_n << ", dropped " << noisy_dropped / dropped_n);
  BOOST_TEST(std::abs(kept_n / (kept_n + dropped_n) - 0.8) < 0.01);
  BOOST_TEST(noisy_dropped / dropped_n > noisy_kept / kept_n);

  // Retraining on the subset selects its epoch on validation and leaves the model there.
  const auto result = ctx.retrain(subset, 2, "ndcg@20");
  std::size_t best = 0;
  for (const auto& r : result.history)
    if (best == 0 || r.value("ndcg@20") > result.history[best - 1].value("ndcg@20")) best = r.epoch;
  BOOST_TEST(result.best_epoch == best);
  dn::train::Trainer<GMF, dn::losses::BCE> check(model);
  BOOST_TEST(check.evaluate(f.target).at_k(20).ndcg == result.history[best - 1].value("ndcg@20"));
}

BOOST_AUTO_TEST_CASE(an_out_of_range_instance_from_a_selector_is_a_config_error) {
  fixture f;
  GMF model(f.d.interactions.n_users(), f.d.interactions.n_items(), {}, 1);
  context_t ctx(model, f.d.interactions, f.sampler, &f.target, f.options());
  broken_selector::State<B> state(broken_selector{}, 1);
  BOOST_CHECK_THROW(dn::train::select<broken_selector>(state, ctx), dn::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
