// The sequential task on MovieLens 100K (docs/sequential.md): 10-core filter, protocol chrono
// (4:1:1) or loo (leave-one-out), MF / GRU4Rec / SASRec with the full softmax, Adam, trained by the
// Trainer (batchers::SequenceWindows, evaluators::SequenceRanking) with no denoising or with Ge et
// al.'s controller (autodenoise-h, autodenoise-s; docs/autodenoise_controller.md); prints the
// filtered sizes, the loss and seconds of each epoch, the validation NDCG@10 and AUC, the
// controller's reward and mean weights of true vs false positives (rating < 3), and the
// validation and test metrics.
// Built as build/release/bench/bench_ml100k_sequential:
//   build/release/bench/bench_ml100k_sequential ../shared/data/ml-100k/u.data loo sasrec 10 1 [none|autodenoise-h|autodenoise-s]
#include <cstdio>
#include <cstdlib>
#include <string>

#include <denoise/backends/eigen.hpp>
#include <denoise/data/core_filter.hpp>
#include <denoise/data/movielens.hpp>
#include <denoise/data/sequence_protocol.hpp>
#include <denoise/data/sequence_windows.hpp>
#include <denoise/metrics/sequence_evaluation.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>
#include <denoise/methods/none.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/trainer.hpp>

using namespace denoise;
using B = backends::Eigen<float>;

namespace {
void print(const char* what, const metrics::sequence_ranking_result& r) {
  std::printf("%s (%zu users):", what, r.users);
  for (std::size_t c = 0; c < r.cutoffs.size(); ++c)
    std::printf("  @%d P %.4f R %.4f F1 %.4f NDCG %.4f", r.cutoffs[c], r.precision[c], r.recall[c], r.f1[c], r.ndcg[c]);
  std::printf("\n");
}

/// Prints each epoch as it ends (a Trainer callback); the mean weights of true vs false positives
/// come from the trainer's denoising report (the batcher's flags: rating < 3).
struct print_epoch {
  template <class Model>
  bool on_epoch_end(const train::epoch_record& r, Model& /*model*/) const {
    std::printf("epoch %zu: loss %.4f, %.2f s, valid NDCG@10 %.4f, AUC %.4f", r.epoch, r.train_loss, r.seconds,
                r.value("ndcg@10"), r.value("auc"));
    const double noisy = r.value("weight_noisy_mean"), clean = r.value("weight_clean_mean");
    if (noisy == noisy && clean == clean) std::printf(", mean weight true %.3f / false positives %.3f", clean, noisy);
    std::printf("\n");
    return false;
  }
};

template <class Model, class Method>
void run(Model& m, const data::sequence_split& split, const data::sequence_protocol_options& protocol, int epochs,
         std::uint64_t seed, Method method) {
  const index_t window = 10;
  const train::batchers::SequenceWindows batcher(split, window);
  train::trainer_options to;
  to.epochs = static_cast<std::size_t>(epochs);
  to.batch_size = 128;
  to.seed = seed;
  train::Trainer<Model, losses::SoftmaxCrossEntropy, Method> trainer(m, nn::Adam<B>(nn::adam_options{}), method, to);
  const auto valid = train::evaluators::sequence_target::validation(split, protocol, window);
  const auto test = train::evaluators::sequence_target::test(split, protocol, window);
  std::printf("%s + %s\n", Model::name(), Method::name());
  trainer.fit(batcher, &valid, print_epoch{});
  print("valid", trainer.evaluate(valid).ranking);
  print("test", trainer.evaluate(test).ranking);
}

template <class Model>
void run_method(Model& m, const data::sequence_split& split, const data::sequence_protocol_options& protocol,
                int epochs, std::uint64_t seed, const std::string& method) {
  if (method == "none") {
    run(m, split, protocol, epochs, seed, methods::None{});
  } else if (method == "autodenoise-h") {
    run(m, split, protocol, epochs, seed, methods::AutoDenoiseH{});
  } else if (method == "autodenoise-s") {
    run(m, split, protocol, epochs, seed, methods::AutoDenoiseS{});
  } else {
    std::fprintf(stderr, "unknown method '%s' (none, autodenoise-h, autodenoise-s)\n", method.c_str());
    std::exit(2);
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s u.data chrono|loo mf|gru4rec|sasrec [epochs] [seed] [none|autodenoise-h|autodenoise-s]\n",
                 argv[0]);
    return 2;
  }
  const std::string protocol = argv[2], model = argv[3];
  const int epochs = argc > 4 ? std::atoi(argv[4]) : 10;
  const std::uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  const std::string method = argc > 6 ? argv[6] : "none";
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
    run_method(m, split, o, epochs, seed, method);
  } else if (model == "gru4rec") {
    models::GRU4Rec<B> m(s.n_users(), s.n_items(), {}, seed);
    run_method(m, split, o, epochs, seed, method);
  } else {
    models::SASRec<B> m(s.n_users(), s.n_items(), {}, seed);
    run_method(m, split, o, epochs, seed, method);
  }
  return 0;
}
