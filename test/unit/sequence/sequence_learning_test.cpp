// Learning on synthetic sequences with a planted order (every user walks the items in the cycle
// i -> i + 1 mod N from a random start): GRU4Rec and SASRec trained a few epochs by the Trainer
// (batchers::SequenceWindows, the full softmax, evaluators::SequenceRanking) must rank the next
// item far above chance on the leave-one-out protocol; MF (no order) is the reference the sequence
// models must beat. The evaluator's metrics agree with metrics::evaluate_sequences.
#include <boost/test/unit_test.hpp>

#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/metrics/sequence_evaluation.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/trainer.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {
constexpr index_t kItems = 60, kUsers = 150, kLength = 12;

data::sequence_split planted() {
  random::rng g(5);
  std::vector<offset_t> offsets{0};
  std::vector<index_t> items;
  for (index_t u = 0; u < kUsers; ++u) {
    const auto start = static_cast<index_t>(g.uniform_index(kItems));
    for (index_t t = 0; t < kLength; ++t) items.push_back((start + t) % kItems);
    offsets.push_back(static_cast<offset_t>(items.size()));
  }
  const auto s = data::Sequences::from_columns(offsets, items, {}, kItems);
  data::sequence_protocol_options o;
  o.protocol = data::sequence_protocol::leave_one_out;
  return data::split_sequences(s, o);
}

template <class Model>
double ndcg10_after_training(Model& m, const data::sequence_split& split, int epochs) {
  nn::adam_options ao;
  ao.lr = 0.01;
  train::trainer_options to;
  to.epochs = static_cast<std::size_t>(epochs);
  to.batch_size = 64;
  to.seed = 7;
  data::sequence_protocol_options po;
  po.protocol = data::sequence_protocol::leave_one_out;
  const auto valid = train::evaluators::sequence_target::validation(split, po, 5);
  train::Trainer<Model, losses::SoftmaxCrossEntropy> trainer(m, nn::Adam<B>(ao), {}, to);
  const auto fit = trainer.fit(train::batchers::SequenceWindows(split, 5), &valid);
  BOOST_TEST(fit.history.size() == static_cast<std::size_t>(epochs));
  BOOST_TEST(fit.history.back().train_loss < fit.history.front().train_loss);  // the training loss goes down
  BOOST_TEST(fit.history.back().samples == split.train_size() - static_cast<std::size_t>(kUsers));
  const auto test = trainer.evaluate(train::evaluators::sequence_target::test(split, po, 5));
  BOOST_TEST(test.ranking.users == static_cast<std::size_t>(kUsers));
  BOOST_TEST(m.training());  // evaluation restored the mode
  metrics::SequenceRanking ranking;
  const auto r = metrics::evaluate_sequences(m, split.sequences, split.test, ranking, 5);
  BOOST_TEST(test.ranking.at("ndcg", 10) == r.at("ndcg", 10), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(test.auc > 0.5);  // the reward: positives above the unobserved items
  return r.at("ndcg", 10);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_learning)

BOOST_AUTO_TEST_CASE(sequence_models_learn_a_planted_order) {
  const auto split = planted();
  // Chance: one target among ~50 unseen items -> NDCG@10 about 0.07.
  models::gru4rec_options go;
  go.embedding = 16;
  go.hidden = 32;
  go.dropout = 0.1;
  models::GRU4Rec<B> gru(kUsers, kItems, go, 1);
  const double g = ndcg10_after_training(gru, split, 8);
  models::sasrec_options so;
  so.dim = 16;
  so.dropout = 0.1;
  so.max_length = 5;
  models::SASRec<B> sas(kUsers, kItems, so, 2);
  const double s = ndcg10_after_training(sas, split, 8);
  models::mf_softmax_options mo;
  mo.factor = 16;
  models::MFSoftmax<B> mf(kUsers, kItems, mo, 3);
  const double f = ndcg10_after_training(mf, split, 8);
  BOOST_TEST_MESSAGE("NDCG@10: gru4rec " << g << ", sasrec " << s << ", mf " << f);
  BOOST_TEST(g > 0.6);
  BOOST_TEST(s > 0.6);
  BOOST_TEST(g > f);
  BOOST_TEST(s > f);
}

BOOST_AUTO_TEST_SUITE_END()
