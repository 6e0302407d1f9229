// The user-written rewards of docs/policies/reward.md, compiled and tested as they appear there:
// a per-batch reward (each instance's loss drop since the previous epoch) and a per-epoch reward
// (a blend of two validation metrics), each passed through a consumer that checks its timing.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include <denoise/core/macros.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/rl/rl.hpp>

#include "support/backend_list.hpp"

// ---- docs/policies/reward.md, "A per-batch reward" ----------------------------------------
// [doc: reward.md last-epoch-improvement]
#include <denoise/core/error.hpp>
#include <denoise/core/macros.hpp>
#include <denoise/rl/rl.hpp>

/// r_i = (instance i's loss recorded in the previous epoch) - (its loss now).
struct LastEpochImprovement {
  using timing = denoise::rl::per_batch;
  static constexpr const char* name() { return "last_epoch_improvement"; }

  double initial_loss = 1.0;  // the "previous" loss of an instance before its first epoch

  // Kernels: small functors the backend runs once per index (on a GPU too).
  template <class S>
  struct difference {  // out[j] = previous[ids[j]] - loss[j]
    const S* previous;
    const denoise::index_t* ids;
    const S* loss;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t j) const { out[j] = previous[ids[j]] - loss[j]; }
  };
  template <class S>
  struct store {  // current[ids[j]] = loss[j]
    const denoise::index_t* ids;
    const S* loss;
    S* current;
    DENOISE_HOST_DEVICE void operator()(std::size_t j) const { current[ids[j]] = loss[j]; }
  };

  template <class B>
  class State {
   public:
    using scalar = typename B::scalar;
    using vector = typename B::vector;
    using index_vector = typename B::index_vector;

    State(const LastEpochImprovement& policy, std::size_t instances) : previous_(instances), current_(instances) {
      B::fill(previous_, static_cast<scalar>(policy.initial_loss));
      B::fill(current_, static_cast<scalar>(policy.initial_loss));
    }
    void reward(const index_vector& ids, const vector& loss, vector& out) {
      if (ids.size() != loss.size()) {
        throw denoise::config_error("LastEpochImprovement: one loss per id", denoise::location::of_field("loss"));
      }
      out.resize(ids.size());
      B::launch(ids.size(), difference<scalar>{B::ptr(previous_), B::ptr(ids), B::ptr(loss), B::ptr(out)});
    }
    void record(const index_vector& ids, const vector& loss) {
      B::launch(ids.size(), store<scalar>{B::ptr(ids), B::ptr(loss), B::ptr(current_)});
    }
    void end_epoch() { B::copy(current_, previous_); }

   private:
    vector previous_;
    vector current_;
  };
};
// [end]
// ---- end of the per-batch example ----------------------------------------------------------

// ---- docs/policies/reward.md, "A per-epoch reward" ----------------------------------------
// [doc: reward.md mean-of-two]
/// R = (recall@20 + ndcg@20) / 2 of the validation result.
struct RecallNdcgBlend {
  using timing = denoise::rl::per_epoch;
  static constexpr const char* name() { return "recall_ndcg_blend"; }
  double reward(const denoise::metrics::metric_list& validation) const {
    return 0.5 * denoise::rl::ValidationMetric{"recall@20"}.reward(validation) +
           0.5 * denoise::rl::ValidationMetric{"ndcg@20"}.reward(validation);
  }
};
// [end]
// ---- end of the per-epoch example ----------------------------------------------------------

using namespace denoise;

namespace {

// What a per-batch consumer (the AutoDenoise selector) does with a reward.
template <class Reward, class B>
std::vector<typename B::scalar> one_batch(Reward& policy, const std::vector<index_t>& ids,
                                          const std::vector<typename B::scalar>& losses) {
  static_assert(rl::check_reward<Reward, rl::per_batch, B>(), "");
  typename B::index_vector dev_ids;
  typename B::vector dev_loss, out;
  B::from_host(ids, dev_ids);
  B::from_host(losses, dev_loss);
  typename Reward::template State<B> s(policy, 4);
  s.record(dev_ids, dev_loss);  // epoch 1 records the losses ...
  s.end_epoch();
  std::vector<typename B::scalar> now(losses.size(), typename B::scalar(0.25));
  B::from_host(now, dev_loss);
  s.reward(dev_ids, dev_loss, out);  // ... epoch 2 sees them drop to 0.25
  std::vector<typename B::scalar> host;
  B::to_host(out, host);
  return host;
}

// What a per-epoch consumer (the AutoDenoise controller) does with a reward.
template <class Reward>
double one_epoch(const Reward& policy, const metrics::metric_list& validation) {
  static_assert(rl::check_reward<Reward, rl::per_epoch>(), "");
  return policy.reward(validation);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rl_user_reward)

DENOISE_TYPED_TEST(per_batch_user_reward, denoise::test::backend_list_double) {
  using B = TestType;
  LastEpochImprovement policy;
  const auto r = one_batch<LastEpochImprovement, B>(policy, {2, 0}, {0.75, 0.5});
  BOOST_TEST(r == (std::vector<double>{0.5, 0.25}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(per_epoch_user_reward) {
  const metrics::metric_list validation{{"recall@20", 0.25}, {"ndcg@20", 0.125}, {"auc", 0.9}};
  BOOST_TEST(one_epoch(RecallNdcgBlend{}, validation) == 0.1875);
  BOOST_TEST(one_epoch(rl::ValidationMetric{"auc"}, validation) == 0.9);
}

BOOST_AUTO_TEST_SUITE_END()
