// Per-epoch training time of LightGCN (BPR, one uniform negative, Adam) on a `user \t item \t flag`
// training file (SGDL's ml100k.train.rating), for the comparison with bench/pytorch/lightgcn_twin.py.
// Built as build/release/bench/bench_lightgcn_epoch:
//   OMP_NUM_THREADS=1 build/release/bench/bench_lightgcn_epoch TRAIN_FILE [epochs=5] [batch=2048] [layers=3] [factor=64]
// Prints one JSON line per epoch (seconds = training only, as the result JSON's `seconds`).
#include <denoise/backends/eigen.hpp>
#include <denoise/data/interactions.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/losses/losses.hpp>
#include <denoise/models/lightgcn.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TRAIN_FILE [epochs] [batch] [layers] [factor]\n", argv[0]);
    return 2;
  }
  const std::size_t epochs = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 5;
  const std::size_t batch = argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 2048;
  const dn::index_t layers = argc > 4 ? std::atoi(argv[4]) : 3;
  const dn::index_t factor = argc > 5 ? std::atoi(argv[5]) : 64;
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 2;
  }
  // ids as in the file: users 0..max, items 0..max (SGDL's item ids start at 1; row 0 stays unused)
  std::vector<long> u, i;
  long a = 0, b = 0, flag = 0, max_u = 0, max_i = 0;
  while (in >> a >> b >> flag) {
    u.push_back(a);
    i.push_back(b);
    max_u = std::max(max_u, a);
    max_i = std::max(max_i, b);
  }
  dn::data::Interactions train;
  for (long k = 0; k <= max_u; ++k) train.add_user(k);
  for (long k = 0; k <= max_i; ++k) train.add_item(k);
  train.reserve(u.size());
  for (std::size_t k = 0; k < u.size(); ++k) train.push_back(static_cast<dn::index_t>(u[k]), static_cast<dn::index_t>(i[k]), 1.0f);
  const auto by_user = train.by_user();
  dn::models::lightgcn_options mo;
  mo.factor = factor;
  mo.layers = layers;
  mo.l2 = 1e-4;
  dn::models::LightGCN<B> model(train.n_users(), train.n_items(), by_user.view(), mo, 1);
  dn::data::UniformNegativeSampler sampler(train);
  dn::train::trainer_options o;
  o.epochs = epochs;
  o.batch_size = batch;
  o.negatives = 1;
  o.track_instances = false;
  dn::train::Trainer<dn::models::LightGCN<B>, dn::losses::BPR> trainer(model, dn::nn::Adam<B>({0.001}), {}, o);
  const auto result = trainer.fit(train, sampler, nullptr);
  for (const auto& r : result.history) {
    std::printf("{\"impl\": \"denoise\", \"epoch\": %zu, \"seconds\": %.4f, \"loss\": %.5f, \"edges\": %zu, \"layers\": %d}\n",
                r.epoch, r.seconds, r.train_loss, by_user.nnz(), static_cast<int>(layers));
  }
  return 0;
}
