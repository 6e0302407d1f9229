// The sequential task on MovieLens 100K (docs/sequential.md): 10-core filter, protocol chrono
// (4:1:1) or loo (leave-one-out), MF / GRU4Rec / SASRec with the full softmax, Adam; prints the
// filtered sizes, the loss and seconds of each epoch and the validation and test metrics.
// Built as build/release/bench/bench_ml100k_sequential:
//   build/release/bench/bench_ml100k_sequential ../shared/data/ml-100k/u.data loo sasrec 10 1
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/core_filter.hpp>
#include <denoise/data/movielens.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/metrics/sequence_evaluation.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/sequence_epoch.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {
void print(const char* what, const metrics::sequence_ranking_result& r) {
  std::printf("%s (%zu users):", what, r.users);
  for (std::size_t c = 0; c < r.cutoffs.size(); ++c)
    std::printf("  @%d P %.4f R %.4f F1 %.4f NDCG %.4f", r.cutoffs[c], r.precision[c], r.recall[c], r.f1[c], r.ndcg[c]);
  std::printf("\n");
}

template <class Model>
void run(Model& m, const data::sequence_split& split, int epochs, std::uint64_t seed) {
  const index_t window = 10;
  const data::SequenceWindows windows(split.sequences, split.train_length, window);
  std::printf("%s: %zu training windows\n", Model::name(), windows.size());
  nn::Adam<B> adam(nn::adam_options{});
  random::rng g(seed, "epochs");
  train::sequence_epoch_state<B> st;
  typename Model::workspace ws;
  metrics::SequenceRanking ranking;
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    const double loss = train::train_sequence_epoch(m, adam, windows, 128, g, st, ws);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto v = metrics::evaluate_sequences(m, split.sequences, split.valid, ranking, window);
    std::printf("epoch %d: loss %.4f, %.2f s, valid NDCG@10 %.4f\n", e + 1, loss, sec, v.at("ndcg", 10));
  }
  print("valid", metrics::evaluate_sequences(m, split.sequences, split.valid, ranking, window));
  print("test", metrics::evaluate_sequences(m, split.sequences, split.test, ranking, window));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s u.data chrono|loo mf|gru4rec|sasrec [epochs] [seed]\n", argv[0]);
    return 2;
  }
  const std::string protocol = argv[2], model = argv[3];
  const int epochs = argc > 4 ? std::atoi(argv[4]) : 10;
  const std::uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  const auto raw = data::Sequences::from(data::load_movielens_100k(argv[1]));
  data::core_filter_report rep;
  const auto s = data::core_filter(raw, 10, &rep);
  std::printf("10-core: users %zu -> %zu, items %zu -> %zu, interactions %zu -> %zu (%zu rounds)\n", rep.users_before,
              rep.users_after, rep.items_before, rep.items_after, rep.interactions_before, rep.interactions_after, rep.rounds);
  data::sequence_protocol_options o;
  o.protocol = protocol == "loo" ? data::sequence_protocol::leave_one_out : data::sequence_protocol::chronological;
  const auto split = data::split_sequences(s, o);
  std::printf("%s: train %zu, valid users %zu, test users %zu\n", protocol.c_str(), split.train_size(), split.valid.size(),
              split.test.size());
  if (model == "mf") {
    models::MFSoftmax<B> m(s.n_users(), s.n_items(), {}, seed);
    run(m, split, epochs, seed);
  } else if (model == "gru4rec") {
    models::GRU4Rec<B> m(s.n_users(), s.n_items(), {}, seed);
    run(m, split, epochs, seed);
  } else {
    models::SASRec<B> m(s.n_users(), s.n_items(), {}, seed);
    run(m, split, epochs, seed);
  }
  return 0;
}
