// seq_runner<Model, Denoiser>: the compile-time side of the seq family. One Trainer<Model,
// SoftmaxCrossEntropy, Denoiser, Adam, SequenceRanking> per instantiation: the full softmax over
// all items, as Ge et al. train MF, GRU4Rec and SASRec. The epoch with the best validation
// --monitor is restored (early stopping with --patience), then tested once.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include <denoise/core/random.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/mf_softmax.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/batchers/sequence_windows.hpp>
#include <denoise/train/evaluators/sequence_ranking.hpp>
#include <denoise/train/train.hpp>

#include "../harness/training_settings.hpp"
#include "../registry/weighting.hpp"
#include "seq_runner_base.hpp"

namespace denoise_cli {

/// A fresh model of each kind from the family's settings (each model's own defaults otherwise).
inline denoise::models::MFSoftmax<eigen_backend> make_seq_model(denoise::models::MFSoftmax<eigen_backend>*,
                                                                const seq_settings& s, const seq_data& d,
                                                                std::uint64_t seed) {
  denoise::models::mf_softmax_options o;
  o.factor = s.factor;
  return {d.n_users(), d.n_items(), o, seed};
}
inline denoise::models::GRU4Rec<eigen_backend> make_seq_model(denoise::models::GRU4Rec<eigen_backend>*,
                                                              const seq_settings& s, const seq_data& d,
                                                              std::uint64_t seed) {
  denoise::models::gru4rec_options o;
  o.embedding = s.factor;
  o.hidden = s.hidden;
  if (s.dropout >= 0.0) o.dropout = s.dropout;
  return {d.n_users(), d.n_items(), o, seed};
}
inline denoise::models::SASRec<eigen_backend> make_seq_model(denoise::models::SASRec<eigen_backend>*,
                                                             const seq_settings& s, const seq_data& d,
                                                             std::uint64_t seed) {
  denoise::models::sasrec_options o;
  o.dim = s.factor;
  o.blocks = s.blocks;
  o.heads = s.heads;
  o.max_length = s.data.window;
  if (s.dropout >= 0.0) o.dropout = s.dropout;
  return {d.n_users(), d.n_items(), o, seed};
}

template <class Model, class Denoiser>
class seq_runner final : public seq_runner_base {
  using E = eigen_backend;
  static_assert(std::is_same<typename Model::backend, E>::value, "the seq family runs on the Eigen backend");

 public:
  method_run run(const seq_settings& s, const experiment_config& c, const seq_data& d, const cli_method& method,
                 const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    Model model = make_seq_model(static_cast<Model*>(nullptr), s, d, denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    const train::trainer_options o = trainer_options_from(c, seed);
    const run_info info{d.instances, d.targets, d.labels, d.noisy, d.n_items(), c.batch_size, c.epochs};
    const Denoiser denoiser(method, info);
    const denoise::nn::adam_options adam = adam_from(c);
    train::evaluators::SequenceRanking evaluator;
    evaluator.cutoffs.assign(c.ks.begin(), c.ks.end());
    evaluator.exclude_history = !s.data.keep_history;
    train::Trainer<Model, denoise::losses::SoftmaxCrossEntropy, Denoiser, denoise::nn::Adam<E>,
                   train::evaluators::SequenceRanking>
        trainer(model, denoise::nn::Adam<E>(adam), denoiser, o, evaluator);
    const auto validation = train::evaluators::sequence_target::validation(d.split, s.data.protocol, s.data.window);
    const auto test = train::evaluators::sequence_target::test(d.split, s.data.protocol, s.data.window);
    const train::batchers::SequenceWindows batcher(d.split, s.data.window, s.data.protocol.positive_threshold);

    method_run out;
    out.method = method_name;
    out.seed = seed;
    train::early_stopping<E> select(c.monitor, c.patience, /*higher_is_better=*/true);
    train::progress line(c.monitor);
    out.fit = trainer.fit(batcher, &validation, select, line);
    out.test = trainer.evaluate(test).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.write_report = denoiser.report_slot();  // the trainer's copy shares the slots
    out.figure = denoiser.figure_slot();
    return out;
  }
};

/// Registers a model's two runners under its --model name: the weighting methods', and the
/// representation readers'.
template <class Model>
struct registered_seq_runners {
  using input = denoise::data::sequence_batch<eigen_backend>;
  explicit registered_seq_runners(const char* model) {
    register_seq_runner(model, false, std::make_unique<seq_runner<Model, cli_denoiser<input, false>>>());
    register_seq_runner(model, true, std::make_unique<seq_runner<Model, cli_denoiser<input, true>>>());
  }
};

}  // namespace denoise_cli
