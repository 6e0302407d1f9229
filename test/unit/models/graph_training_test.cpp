// The graph backbones under the Trainer (Eigen, float) on the planted-noise generator: BPR
// training with one uniform negative raises NDCG@20 clearly above the untrained model, and the
// ADT denoisers (T-CE, R-CE) run on both models through the pair-model policy and learn too.
#include <boost/test/unit_test.hpp>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/models/lightgcn.hpp>
#include <denoise/models/ngcf.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

namespace {

struct planted {
  dn::data::SyntheticData data;
  dn::data::CsrIndex train_by_user, held_out_by_user;
  dn::train::ranking_target target;
  planted() : data(make()) {
    train_by_user = data.interactions.by_user();
    held_out_by_user = data.held_out.by_user();
    target = {train_by_user.view(), held_out_by_user.view()};
  }
  static dn::data::SyntheticData make() {
    dn::data::SyntheticConfig c;
    c.n_users = 150;
    c.n_items = 200;
    c.mean_positives = 20;
    c.noise_rate = 0.2;
    c.held_out_per_user = 5;
    c.seed = 11;
    return dn::data::make_synthetic(c);
  }
  dn::index_t users() const { return data.interactions.n_users(); }
  dn::index_t items() const { return data.interactions.n_items(); }
};

dn::train::trainer_options options(std::size_t epochs) {
  dn::train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = 256;
  o.negatives = 1;
  o.seed = 2;
  o.ks = {20};
  return o;
}

template <class Model>
Model make_model(const planted& p);
template <>
dn::models::LightGCN<B> make_model(const planted& p) {
  dn::models::lightgcn_options o;
  o.factor = 16;
  o.l2 = 1e-4;
  return {p.users(), p.items(), p.train_by_user.view(), o, 3};
}
template <>
dn::models::NGCF<B> make_model(const planted& p) {
  dn::models::ngcf_options o;
  o.factor = 16;
  o.layers = 2;
  o.node_dropout = 0.1;
  return {p.users(), p.items(), p.train_by_user.view(), o, 3};
}

/// NDCG@20 before and after training Model with Loss and Method.
template <class Model, class Loss, class Method>
std::pair<double, double> before_after(const planted& p, Method method, std::size_t epochs, double lr) {
  auto model = make_model<Model>(p);
  dn::data::UniformNegativeSampler sampler(p.data.interactions);
  dn::train::Trainer<Model, Loss, Method> trainer(model, dn::nn::Adam<B>({lr}), std::move(method), options(epochs));
  const double before = trainer.evaluate(p.target).at_k(20).ndcg;
  const auto result = trainer.fit(p.data.interactions, sampler, &p.target);
  return {before, result.history.back().value("ndcg@20")};
}

using tce = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;

template <class Model>
void check_all_methods(double lr) {
  const planted p;
  const std::size_t epochs = 20;
  const auto bpr = before_after<Model, dn::losses::BPR>(p, dn::methods::None{}, epochs, lr);
  BOOST_TEST_MESSAGE(Model::name() << " BPR NDCG@20 " << bpr.first << " -> " << bpr.second);
  BOOST_TEST(bpr.second > bpr.first + 0.04);
  const auto t = before_after<Model, dn::losses::BCE>(p, tce(dn::methods::linear_drop_schedule(0.1, 50)), epochs, lr);
  BOOST_TEST_MESSAGE(Model::name() << " T-CE NDCG@20 " << t.first << " -> " << t.second);
  BOOST_TEST(t.second > t.first + 0.04);
  const auto r = before_after<Model, dn::losses::BCE>(p, dn::methods::ReweightedLoss(0.25), epochs, lr);
  BOOST_TEST_MESSAGE(Model::name() << " R-CE NDCG@20 " << r.first << " -> " << r.second);
  BOOST_TEST(r.second > r.first + 0.04);
}

}  // namespace

// Measured (Eigen, float, 20 epochs): untrained NDCG@20 0.080 (LightGCN) and 0.066 (NGCF); after
// BPR / T-CE / R-CE 0.146 / 0.151 / 0.140 and 0.133 / 0.126 / 0.126. The bound (+0.04) sits
// below every run and far above the untrained model.
BOOST_AUTO_TEST_SUITE(models_graph_training)

BOOST_AUTO_TEST_CASE(lightgcn_learns_with_bpr_tce_and_rce) { check_all_methods<dn::models::LightGCN<B>>(0.05); }

BOOST_AUTO_TEST_CASE(ngcf_learns_with_bpr_tce_and_rce) { check_all_methods<dn::models::NGCF<B>>(0.05); }

BOOST_AUTO_TEST_SUITE_END()
