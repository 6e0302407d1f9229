// Compile check (and, on a GPU, a run) of the graph backbones on the CUDA backend: LightGCN and
// NGCF on backends::Thrust<cuda> under the Trainer with BPR and with T-CE, the sparse products
// and the ranking evaluator, on a small planted-noise dataset. test/cuda/CMakeLists.txt builds
// and runs it where there is a GPU (label gpu).
#include <denoise/backends/thrust.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/methods/methods.hpp>
#include <denoise/models/models.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include <cstdio>

namespace {

namespace dn = denoise;
using B = dn::backends::Thrust<dn::backends::thrust_system::cuda, float>;
using LightGCN = dn::models::LightGCN<B>;
using NGCF = dn::models::NGCF<B>;
using tce = dn::methods::TruncatedLoss<dn::methods::linear_drop_schedule>;

static_assert(dn::models::check_model<LightGCN>(), "");
static_assert(dn::models::check_model<NGCF>(), "");

template <class Model, class Options>
int train(const dn::data::SyntheticData& d, const dn::data::CsrIndex& by_user, const dn::train::ranking_target& target,
          Options mo) {
  dn::data::UniformNegativeSampler sampler(d.interactions);
  dn::train::trainer_options o;
  o.epochs = 6;
  o.batch_size = 256;
  Model bpr_model(d.interactions.n_users(), d.interactions.n_items(), by_user.view(), mo, 1);
  dn::train::Trainer<Model, dn::losses::BPR> bpr(bpr_model, dn::nn::Adam<B>({0.01}), {}, o);
  const double before = bpr.evaluate(target).at_k(20).ndcg;
  const double after = bpr.fit(d.interactions, sampler, &target).history.back().value("ndcg@20");
  Model tce_model(d.interactions.n_users(), d.interactions.n_items(), by_user.view(), mo, 1);
  dn::train::Trainer<Model, dn::losses::BCE, tce> denoised(tce_model, dn::nn::Adam<B>({0.01}),
                                                          tce(dn::methods::linear_drop_schedule(0.1, 50)), o);
  const double tce_after = denoised.fit(d.interactions, sampler, &target).history.back().value("ndcg@20");
  std::printf("%s on Thrust<cuda>: NDCG@20 %.4f -> BPR %.4f, T-CE %.4f\n", Model::name(), before, after, tce_after);
  return after > before + 0.02 && tce_after > before + 0.02 ? 0 : 1;
}

int run() {
  dn::data::SyntheticConfig c;
  c.n_users = 300;
  c.n_items = 400;
  c.mean_positives = 25;
  c.noise_rate = 0.2;
  c.held_out_per_user = 5;
  const auto d = dn::data::make_synthetic(c);
  const auto train_by_user = d.interactions.by_user();
  const auto held_by_user = d.held_out.by_user();
  const dn::train::ranking_target target{train_by_user.view(), held_by_user.view()};
  dn::models::lightgcn_options lo;
  lo.factor = 32;
  dn::models::ngcf_options no;
  no.factor = 32;
  no.node_dropout = 0.1;
  const int a = train<LightGCN>(d, train_by_user, target, lo);
  const int b = train<NGCF>(d, train_by_user, target, no);
  return a != 0 || b != 0 ? 1 : 0;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "graph_instantiation: %s\n", e.what());
    return 1;
  }
}
