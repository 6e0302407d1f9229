// The snippets of docs/metrics.md, compiled and run on a small synthetic split: the one-call
// evaluation of a trained model through the Trainer and the same numbers from the ranking
// evaluator with a hand-written scorer.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/data.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/metrics/metrics.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/trainer.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>
#include <vector>

namespace {

denoise::data::Split small_split() {
  denoise::data::SyntheticConfig c;
  c.n_users = 120;
  c.n_items = 150;
  c.mean_positives = 20;
  return denoise::data::random_split(denoise::data::make_synthetic(c).interactions, 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(docs_metrics)

BOOST_AUTO_TEST_CASE(scorer_example_matches_the_trainers_evaluation) {
  using B = denoise::backends::Eigen<float>;
  const denoise::data::Split split = small_split();
  denoise::models::GMF<B> model(split.train.n_users(), split.train.n_items(), {}, 3);
  denoise::train::trainer_options o;
  o.epochs = 2;
  o.batch_size = 128;
  o.ks = {20, 50};
  denoise::train::Trainer<denoise::models::GMF<B>, denoise::losses::BCE> trainer(model, denoise::nn::Adam<B>({0.01}), {},
                                                                                 o);
  trainer.fit(split.train, denoise::data::UniformNegativeSampler(split.train), nullptr);
  std::ostringstream log;

  // [doc: metrics.md one-call]
  namespace dm = denoise::metrics;
  const dm::holdout_target test = dm::holdout_target::test(split);  // exclude train ∪ validation items
  dm::ranking_result in_one_call = trainer.evaluate(test.target());  // the trainer's Ks, eval mode
  // [end]

  // [doc: metrics.md scorer]
  dm::ranking_evaluator evaluator(dm::ranking_options{{20, 50}});  // Ks; block 256 users; OpenMP default threads
  std::vector<denoise::index_t> host_users;
  std::vector<float> host_scores;
  B::index_vector users;
  B::matrix scores;
  model.eval();                                                     // no dropout while ranking
  auto scorer = [&](denoise::span<const denoise::index_t> block, denoise::span<float> out) {
    host_users.assign(block.begin(), block.end());
    B::from_host(host_users, users);                                // the model scores backend vectors
    model.score(users, scores);                                     // block.size() x n_items, higher = better
    B::to_host(scores, host_scores);                                // row-major
    std::copy(host_scores.begin(), host_scores.end(), out.begin());
  };
  dm::ranking_result r = evaluator.evaluate(scorer, test.n_items(), test.exclude(), test.relevant());
  double ndcg20 = r.at_k(20).ndcg;                                  // r.users_evaluated: users with >= 1 test item
  for (const auto& m : r.metrics()) log << m.name << ',' << m.value << '\n';   // "recall@20", ...
  // [end]

  BOOST_TEST(r.users_evaluated > 0u);
  BOOST_TEST(ndcg20 == in_one_call.at_k(20).ndcg);
  BOOST_TEST(r.at_k(50).recall == in_one_call.at_k(50).recall);
  BOOST_TEST(log.str().find("recall@20,") == 0u);
}

BOOST_AUTO_TEST_CASE(one_user_helpers) {
  namespace dm = denoise::metrics;
  // [doc: metrics.md one-user]
  const std::vector<float> row{0.1f, 0.9f, 0.5f, 0.7f};              // one user's scores over 4 items
  const std::vector<denoise::index_t> seen{3};                      // a training positive: never ranked
  std::vector<denoise::index_t> ranked = dm::top_k(row, seen, 2);   // items 1 then 2
  const std::vector<denoise::index_t> relevant{2};
  const std::vector<int> ks{1, 2};
  std::vector<dm::ranking_at_k> at = dm::ranked_list_metrics(ranked, relevant, ks);   // recall@1 0, recall@2 1
  // [end]
  BOOST_TEST(ranked == (std::vector<denoise::index_t>{1, 2}));
  BOOST_TEST(at[0].recall == 0.0);
  BOOST_TEST(at[1].recall == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
