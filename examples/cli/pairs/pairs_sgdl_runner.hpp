// pairs_sgdl_runner<Model, Loss, Backend>: SGDL (methods::SGDL, a step-owning method) on a pairs
// model, one Trainer<Model, Loss, methods::SGDL> per instantiation (pairs_sgdl_eigen.cpp).
//
// Selection as SGDL's code does it [ours, as the code]: validation counts only in phase II, every
// --sgdl-eval-every epochs, on --monitor; --patience counts those evaluations; the best evaluated
// epoch is restored and tested once (methods::sgdl::phase_two_selection). The training data's
// ground-truth noise flags go to the method for LOGGING the memorization precision/recall only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include <denoise/core/random.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>
#include <denoise/methods/sgdl/phase_two_selection.hpp>
#include <denoise/methods/sgdl/sgdl.hpp>
#include <denoise/nn/optim/adam.hpp>
#include <denoise/train/train.hpp>

#include "prepared_data.hpp"
#include "../registry/sgdl_settings.hpp"
#include "pairs_models.hpp"
#include "pairs_runner_base.hpp"
#include "pairs_training.hpp"

namespace denoise_cli {

/// The SGDL report as the result file's "method_report" object.
inline void write_sgdl_report(denoise::json_writer& w, const denoise::methods::sgdl::sgdl_report& r,
                              std::size_t selected_epoch) {
  w.field("switch_epoch", r.switch_epoch).field("selected_epoch", selected_epoch);
  std::size_t memorized = 0;
  for (auto m : r.memorized) memorized += m;
  w.field("memorized", memorized);
  w.key("epochs").begin_array();
  for (const auto& e : r.epochs) {
    w.begin_object()
        .field("epoch", e.epoch)
        .field("phase", e.phase)
        .field("noise_rate", e.noise_rate)
        .field("memorized_share", e.memorized_share)
        .field("memorization_precision", e.memorization_precision)
        .field("memorization_recall", e.memorization_recall)
        .field("meta_loss", e.meta_loss)
        .end_object();
  }
  w.end_array();
  w.key("weighting_function").begin_object();
  w.key("loss").array(r.curve_loss);
  w.key("weight").array(r.curve_weight);
  w.end_object();
}

template <class Model, class Loss, class Backend>
class pairs_sgdl_runner final : public pairs_runner_base {
  static_assert(std::is_same<typename Model::backend, Backend>::value, "a pairs runner trains a model on its own backend");

 public:
  method_run run(const pairs_settings& s, const experiment_config& c, const prepared_data& d,
                 const cli_method& method, const std::string& method_name, std::uint64_t seed) const override {
    namespace train = denoise::train;
    namespace sg = denoise::methods::sgdl;
    const sgdl_settings& settings = *method.sgdl();
    Model model = make_pairs_model(model_tag<Model>{}, s, d, denoise::random::derive_seed(seed, "model"));
    const auto started = std::chrono::steady_clock::now();
    denoise::methods::SGDL sgdl(d.split.train, settings.options);
    sgdl.log_memorization_against(d.split.train.noisy());
    train::Trainer<Model, Loss, denoise::methods::SGDL, denoise::nn::Adam<Backend>> trainer(
        model, denoise::nn::Adam<Backend>(adam_from(c)), sgdl, pairs_trainer_options(c, s, seed));
    denoise::data::UniformNegativeSampler sampler(d.split.train, sampler_budget_from(c));
    const auto validation = d.validation_target();
    sg::phase_two_selection<Backend> select(sgdl.report(), c.monitor, settings.eval_every, c.patience);
    train::progress line(c.monitor);

    method_run out;
    out.method = method_name;
    out.seed = seed;
    out.fit = trainer.fit(d.split.train, sampler, &validation, select, line);
    out.test = trainer.evaluate(d.test_target()).metrics();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::shared_ptr<const sg::sgdl_report> report = sgdl.report();
    const std::size_t selected = select.best_epoch();
    out.write_report = [report, selected](denoise::json_writer& w) { write_sgdl_report(w, *report, selected); };
    return out;
  }
};

/// The sgdl runners of a model, one per loss: `const pairs_sgdl_runners<E, models::MF<E>, losses::BCE> mf{};`
template <class Backend, class Model, class... Losses>
using pairs_sgdl_runners = registered_runners<pairs_sgdl_runner, method_level::sgdl, Backend, Model, Losses...>;

}  // namespace denoise_cli
