// The Trainer's sequence policies on hand-made fixtures: batchers::SequenceWindows (every training
// position once per epoch, stable instance ids = the interaction's row, targets as labels and
// items, noise flags from ratings < 3, the same order for the same seed) and
// evaluators::SequenceRanking (P@K over the ranking and the per-user AUC reward computed by hand,
// ties counting 1/2, observed items left out of the negatives).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/error.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequences.hpp>
#include <denoise/train/batchers/instance_flags.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {

data::sequence_split fixture() {
  data::sequence_split split;
  split.sequences = data::Sequences::from_columns({0, 5, 8}, {0, 1, 2, 3, 4, 2, 3, 1}, {5, 2, 5, 1, 4, 5, 5, 5}, 5);
  split.train_length = {4, 3};
  return split;
}

/// Scores fixed per user: what the evaluator reads from a model.
struct fixed_scores_model {
  using backend = B;
  std::vector<std::vector<float>> per_user;
  bool training_ = true;
  index_t items() const { return 5; }
  bool training() const { return training_; }
  void eval() { training_ = false; }
  void train(bool on) { training_ = on; }
  void score(const data::sequence_batch<B>& batch, B::matrix& scores) {
    std::vector<index_t> users;
    B::to_host(batch.users, users);
    std::vector<float> host;
    for (index_t u : users) host.insert(host.end(), per_user[static_cast<std::size_t>(u)].begin(), per_user[static_cast<std::size_t>(u)].end());
    B::from_host(host, static_cast<index_t>(users.size()), 5, scores);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_trainer_policies)

BOOST_AUTO_TEST_CASE(windows_batcher_ids_flags_and_order) {
  const auto split = fixture();
  train::trainer_options o;
  o.batch_size = 2;
  const train::batchers::SequenceWindows policy(split, 2);
  train::batchers::SequenceWindows::State<B> st(policy, o, 3), twin(policy, o, 3);
  BOOST_TEST(st.instances() == 8u);
  BOOST_TEST(st.examples() == 5u);
  // Flags by instance id: targets rated below 3 are noisy; ids 0, 4, 5 are never targets.
  const auto f = st.noise_flags();
  const std::uint8_t none = train::batchers::detail::no_flag;
  const std::vector<std::uint8_t> expected{none, 1, 0, 1, none, none, 0, 0};
  BOOST_TEST(std::vector<std::uint8_t>(f.begin(), f.end()) == expected, boost::test_tools::per_element());

  const auto items = split.sequences.items();
  for (std::size_t epoch = 0; epoch < 2; ++epoch) {
    st.start_epoch(epoch);
    twin.start_epoch(epoch);
    train::batch<B, data::sequence_batch<B>> b, c;
    std::vector<offset_t> seen;
    std::size_t batches = 0;
    while (st.next(b)) {
      BOOST_TEST_REQUIRE(twin.next(c));
      BOOST_TEST(b.instance == c.instance);  // same seed, same order
      ++batches;
      std::vector<float> labels;
      B::to_host(b.labels, labels);
      std::vector<index_t> window;
      B::to_host(b.input.items, window);
      BOOST_TEST(b.layout.groups == b.instance.size());
      BOOST_TEST(b.layout.group_size == 5u);
      BOOST_TEST(b.input.steps == 2);
      for (std::size_t r = 0; r < b.instance.size(); ++r) {
        const auto id = static_cast<std::size_t>(b.instance[r]);
        BOOST_TEST(b.item[r] == items[id]);                          // the target is the interaction
        BOOST_TEST(labels[r] == static_cast<float>(items[id]));
        BOOST_TEST(window[2 * r + 1] == items[id - 1]);              // the newest item of the window
        seen.push_back(b.instance[r]);
      }
    }
    BOOST_TEST(!twin.next(c));
    BOOST_TEST(batches == 3u);
    std::sort(seen.begin(), seen.end());
    BOOST_TEST(seen == std::vector<offset_t>({1, 2, 3, 6, 7}), boost::test_tools::per_element());
  }
  BOOST_CHECK_THROW(train::batchers::SequenceWindows(split, 0), config_error);
}

BOOST_AUTO_TEST_CASE(ranking_evaluator_auc_by_hand) {
  const auto split = fixture();
  data::sequence_holdout h;
  h.add(0, 2);  // user 0: history {0, 1}, target 2, observed prefix {0, 1, 2}
  h.targets.push_back(2);
  h.offsets.back() = 1;
  h.add(1, 1);  // user 1: history {2}, targets 3 and 1, observed prefix: all of {2, 3, 1}
  h.targets.push_back(3);
  h.targets.push_back(1);
  h.offsets.back() = 3;
  train::evaluators::sequence_target target;
  target.sequences = &split.sequences;
  target.holdout = &h;
  target.window = 2;
  target.observed = {3, 3};
  fixed_scores_model model;
  model.per_user = {{0.1f, 0.9f, 0.5f, 0.5f, 0.2f}, {0.3f, 0.0f, 0.1f, 0.8f, 0.0f}};
  train::evaluators::SequenceRanking policy;
  policy.cutoffs = {1, 2};
  train::evaluators::SequenceRanking::State<B> st(policy, train::trainer_options{});
  const auto r = st.evaluate(model, target);
  BOOST_TEST(model.training());  // the mode is restored
  // User 0: target 2 (0.5) vs negatives 3 (0.5, a tie: 1/2) and 4 (0.2): 0.75.
  // User 1: targets 3 (0.8), 1 (0.0) vs negatives 0 (0.3) and 4 (0.0, ties item 1): (1 + 1 + 0 + 1/2) / 4.
  BOOST_TEST(r.auc == (0.75 + 2.5 / 4.0) / 2.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.auc_users == 2u);
  // P@1: user 0 ranks 2 first among {2, 3, 4} (ties: lower index), user 1 ranks 3 first.
  const auto m = r.metrics();
  BOOST_TEST(metrics::find_metric(m, "precision@1", -1.0) == 1.0);
  BOOST_TEST(metrics::find_metric(m, "auc", -1.0) == r.auc);
  // Without observed lengths the negatives exclude the history only: here the same items.
  target.observed.clear();
  const auto r2 = st.evaluate(model, target);
  BOOST_TEST(r2.auc == r.auc, boost::test_tools::tolerance(1e-12));
  target.observed = {3};
  BOOST_CHECK_THROW(st.evaluate(model, target), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
