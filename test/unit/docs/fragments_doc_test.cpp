// The short code fragments of the policy pages and docs/sequential.md, compiled and run where the
// page's claim can be checked: the advantage and baseline update (baseline.md), a user drop
// schedule (method.md), the standard step written at the step-owning level (method.md: it
// reproduces methods::None bit for bit), REINFORCE's accumulate-then-descend cycle
// (selection.md), training a sequence model with the Trainer (sequential.md), and the
// classification evaluator's usage (evaluator.md; compiled). docs.snippets checks each against
// its page.
#include <denoise/backends/eigen.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequences.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/optim/sgd.hpp>
#include <denoise/rl/rl.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/train.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

struct validation_result {
  denoise::metrics::metric_list list;
  const denoise::metrics::metric_list& metrics() const { return list; }
};

double advantage_of(const denoise::rl::ValidationMetric& reward, denoise::rl::MovingAverage& baseline,
                    const validation_result& validation) {
  // [doc: baseline.md advantage]
  const double R = reward.reward(validation.metrics());
  const double advantage = R - denoise::rl::baseline_for(baseline, R);
  baseline.update(R);
  // [end]
  return advantage;
}

// The standard step at the step-owning level (method.md), as a method of its own.
struct standard_step {
  static constexpr const char* name() { return "standard-step"; }
  template <class B>
  class State {
   public:
    State(const standard_step&, std::uint64_t) {}
    // [doc: method.md standard-step]
    template <class Context>
    void step(Context& ctx) {
      using S = typename B::scalar;
      ctx.forward();
      ones_.resize(ctx.samples());
      B::fill(ones_, S(1));
      const auto n = static_cast<S>(ctx.samples());
      ctx.report(ones_, n);
      ctx.backward(ones_, n);
      ctx.update();
    }
    // [end]
    template <class E>
    void on_epoch_end(const E&) {}

   private:
    typename B::vector ones_;
  };
};

// A linear softmax policy over 2 actions: logits = x w (the network REINFORCE works at).
template <class B>
struct linear_policy {
  typename B::matrix w, dw, x;
  void forward(const typename B::matrix& input, typename B::matrix& logits) {
    B::copy(input, x);
    B::gemm(false, false, typename B::scalar(1), x, w, typename B::scalar(0), logits);
  }
  void backward(const typename B::matrix& dlogits) {
    B::gemm(true, false, typename B::scalar(1), x, dlogits, typename B::scalar(0), dw);
  }
  template <class F>
  void visit_parameters(F&& f) {
    f(denoise::nn::param_ref<B>{"w", w, dw, nullptr});
  }
};

template <class B>
void reinforce_cycle(linear_policy<B>& net, const typename B::matrix& logits, const typename B::index_vector& actions,
                     const typename B::vector& advantage, std::size_t rows, denoise::nn::SGD<B>& optimizer) {
  using namespace denoise;
  typename B::matrix dlogits;
  // [doc: selection.md reinforce]
  rl::Reinforce<B> reinforce;
  reinforce.reset(net);                                       // G = 0 shaped like net's parameters
  rl::Reinforce<B>::score_dlogits(logits, actions, advantage, dlogits);   // adv·(onehot(a) − softmax)
  reinforce.accumulate(net, dlogits, rows);                   // zero grads, net.backward, G += grads
  // ... more batches; for a per-epoch scalar advantage pass 1 above, then reinforce.scale(R - b)
  reinforce.normalise();                                      // G /= samples seen (|D|)
  reinforce.write_descent(net);                               // net's grads = −G
  optimizer.step(net);                                        // a minimising step ascends E[(R − b) log π]
  // [end]
}

template <class B>
double sequence_training(const denoise::data::Sequences& sequences, const denoise::data::sequence_protocol_options& protocol,
                         denoise::models::SASRec<B>& model, const denoise::train::trainer_options& options) {
  using namespace denoise;
  // [doc: sequential.md trainer]
  const auto split = data::split_sequences(sequences, protocol);          // 4:1:1 or leave-one-out
  const auto valid = train::evaluators::sequence_target::validation(split, protocol, 10);
  train::Trainer<models::SASRec<B>, losses::SoftmaxCrossEntropy> trainer(model, nn::Adam<B>{}, {}, options);
  trainer.fit(train::batchers::SequenceWindows(split, 10), &valid);
  const auto test = trainer.evaluate(train::evaluators::sequence_target::test(split, protocol, 10));
  // [end]
  return denoise::metrics::find_metric(test.metrics(), "ndcg@10", -1.0);
}

template <class B>
[[maybe_unused]] void classification_usage(denoise::models::GMF<B>& model, const denoise::data::Interactions& train_rows,
                                           const denoise::data::Interactions& validation_rows) {
  using namespace denoise;
  // [doc: evaluator.md classification]
  using trainer_t = train::Trainer<models::GMF<B>, losses::BCE, methods::None, nn::Adam<B>,
                                   train::evaluators::Classification>;
  trainer_t trainer(model);
  train::evaluators::classification_target valid{&validation_rows};
  trainer.fit(train::batchers::LabelledPairs(train_rows), &valid, train::early_stopping<B>("auc", 3));
  // [end]
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fragments_doc)

BOOST_AUTO_TEST_CASE(the_advantage_uses_the_baseline_before_its_update) {
  const denoise::rl::ValidationMetric reward{"auc"};
  denoise::rl::MovingAverage baseline(0.9);
  const validation_result first{{{"auc", 0.7}}}, second{{{"auc", 0.8}}};
  BOOST_TEST(advantage_of(reward, baseline, first) == 0.7);  // b starts at 0
  BOOST_TEST(std::abs(baseline.value() - 0.07) < 1e-12);      // 0.9 * 0 + 0.1 * 0.7
  BOOST_TEST(std::abs(advantage_of(reward, baseline, second) - (0.8 - 0.07)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(a_user_drop_schedule_plugs_into_truncated_loss) {
  using namespace denoise;
  // [doc: method.md delayed]
  struct delayed { double rate(std::uint64_t t) const { return t < 1000 ? 0.0 : 0.2; } };
  methods::TruncatedLoss<delayed> tce{delayed{}};
  // [end]
  static_cast<void>(tce);
  BOOST_TEST(delayed{}.rate(999) == 0.0);
  BOOST_TEST(delayed{}.rate(1000) == 0.2);
}

BOOST_AUTO_TEST_CASE(the_standard_step_reproduces_plain_training_bit_for_bit) {
  using B = denoise::backends::Eigen<float>;
  denoise::data::SyntheticConfig c;
  c.n_users = 50;
  c.n_items = 60;
  c.mean_positives = 10;
  const auto data = denoise::data::make_synthetic(c);
  denoise::data::UniformNegativeSampler sampler(data.interactions);
  denoise::train::trainer_options o;
  o.epochs = 2;
  o.batch_size = 64;
  auto run = [&](auto method) {
    denoise::models::GMF<B> model(data.interactions.n_users(), data.interactions.n_items(), {}, 5);
    denoise::train::Trainer<denoise::models::GMF<B>, denoise::losses::BCE, decltype(method)> trainer(
        model, denoise::nn::Adam<B>({0.01}), method, o);
    return trainer.fit(data.interactions, sampler, nullptr).history.back().train_loss;
  };
  BOOST_TEST(run(standard_step{}) == run(denoise::methods::None{}));
}

BOOST_AUTO_TEST_CASE(reinforce_ascends_the_advantage_weighted_log_probability) {
  using B = denoise::backends::Eigen<double>;
  linear_policy<B> net;
  B::from_host(std::vector<double>{0.0, 0.0, 0.0, 0.0}, 2, 2, net.w);
  net.dw.resize(2, 2);
  typename B::matrix x, logits;
  B::from_host(std::vector<double>{1.0, 0.0, 0.0, 1.0}, 2, 2, x);  // two states, one-hot features
  net.forward(x, logits);
  typename B::index_vector actions;
  B::from_host(std::vector<denoise::index_t>{1, 0}, actions);
  typename B::vector advantage;
  B::from_host(std::vector<double>{1.0, 1.0}, advantage);
  denoise::nn::SGD<B> optimizer({0.5});
  reinforce_cycle(net, logits, actions, advantage, 2, optimizer);
  // Uniform policy: d log pi(a|s) / d z = onehot(a) - 1/2; G /= 2 samples; SGD ascends: w += 0.5 * G.
  std::vector<double> w;
  B::to_host(net.w, w);
  BOOST_TEST(w == (std::vector<double>{-0.125, 0.125, 0.125, -0.125}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_sequence_model_trains_with_the_trainer_as_the_page_shows) {
  std::vector<denoise::offset_t> offsets{0};
  std::vector<denoise::index_t> items;
  std::vector<float> ratings;
  std::vector<std::int64_t> stamps;
  for (int u = 0; u < 12; ++u) {
    for (int t = 0; t < 12; ++t) {
      items.push_back(static_cast<denoise::index_t>((u + t) % 7));
      ratings.push_back(4.0f);
      stamps.push_back(t);
    }
    offsets.push_back(static_cast<denoise::offset_t>(items.size()));
  }
  const auto sequences = denoise::data::Sequences::from_columns(offsets, items, ratings, 7, stamps);
  using B = denoise::backends::Eigen<float>;
  denoise::models::SASRec<B> model(sequences.n_users(), sequences.n_items(), {}, 2);
  denoise::train::trainer_options options;
  options.epochs = 2;
  options.batch_size = 32;
  const double ndcg = sequence_training(sequences, denoise::data::sequence_protocol_options{}, model, options);
  BOOST_TEST(ndcg >= 0.0);
  BOOST_TEST(ndcg <= 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
