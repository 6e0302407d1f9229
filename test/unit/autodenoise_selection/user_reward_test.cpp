// A user-written reward (small_loss_reward.hpp, one file) plugs into AutoDenoise instance
// selection as its Reward policy: its values are what it says, and a run with it selects.
#include <boost/test/unit_test.hpp>

#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/methods/autodenoise_selection/instance_selection.hpp>
#include <denoise/models/ctr/deep_fm.hpp>
#include <denoise/rl/static_checks.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

#include "planted_ctr.hpp"
#include "quickstart/small_loss_reward.hpp"

using namespace denoise;

namespace {
using B = backends::Eigen<float>;
using SmallLossSelection = methods::InstanceSelection<SmallLossReward>;
}  // namespace

BOOST_AUTO_TEST_SUITE(autodenoise_user_reward)

BOOST_AUTO_TEST_CASE(the_small_loss_reward_is_the_negated_loss) {
  static_assert(rl::check_reward<SmallLossReward, rl::per_batch, B>(), "");
  SmallLossReward::State<B> state(SmallLossReward{}, 10);
  B::index_vector ids;
  B::from_host(std::vector<index_t>{3, 7, 1}, ids);
  B::vector loss, out;
  B::from_host(std::vector<float>{0.25f, 2.0f, 0.0f}, loss);
  state.reward(ids, loss, out);
  std::vector<float> got;
  B::to_host(out, got);
  BOOST_TEST(got == (std::vector<float>{-0.25f, -2.0f, -0.0f}), boost::test_tools::per_element());
  B::from_host(std::vector<float>{1.0f}, loss);
  BOOST_CHECK_THROW(state.reward(ids, loss, out), config_error);
}

BOOST_AUTO_TEST_CASE(a_run_with_the_user_reward_selects_a_subset) {
  const auto split = data::split_fields(test::planted_noise_ctr(1250, 0.2, 3), 2);
  train::evaluators::classification_target validation;
  validation.fields = &split.validation;
  models::DeepFM<B> model(split.train.cardinalities());
  train::trainer_options o;
  o.batch_size = 256;
  o.track_instances = false;
  train::field_selection_context<models::DeepFM<B>> ctx(model, split.train, &validation, o);
  methods::instance_selection_options options;
  options.history = 1;
  options.searching_epochs = 1;
  options.ratio = 0.9;
  options.retrain_epochs = 2;
  static_assert(train::check_selector<SmallLossSelection, decltype(ctx)>(), "");
  SmallLossSelection::State<B> state(SmallLossSelection(options), 4);
  const auto subset = train::select<SmallLossSelection>(state, ctx);
  BOOST_TEST(subset.size() == 899u);  // 230 + 230 + 230 + 209 of 1000 rows in batches of 256
  BOOST_TEST(state.history().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
