// "autodenoise-h" and "autodenoise-s": Ge et al.'s AutoDenoise, an RL controller that weights each
// training positive from its state [e_u || e_i || loss || epoch] and learns from the validation AUC
// once per epoch (methods::AutoDenoiseController with HardHead / SoftHead; ALGORITHMS.md §4).
//
// The controller reads the model's per-row representation, so a family trains these two with a
// runner of its own whose validation also reports "auc", the reward (rl::ValidationMetric "auc"):
// pairs (pairs/pairs_representation_runner.hpp: MF and GMF, the models with sample_representation)
// and seq (MF, GRU4Rec, SASRec). Other models are refused before training, naming --model. Not in the default --methods
// list. The run's "method_report" holds, per epoch, the reward, the baseline the advantage used,
// the advantage, the mean weight, and the mean weight of true vs false positives (the data's noise
// flags: rating below --noisy-below, or the planted noise; reporting only, never seen by the
// controller).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <denoise/backends/eigen.hpp>
#include <denoise/core/error.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/data/sequence_batch.hpp>
#include <denoise/methods/autodenoise_controller/autodenoise_controller.hpp>

#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

namespace dm = denoise::methods;

enum class controller_head { hard, soft };

/// The controller's settings as the flags give them (library defaults otherwise).
struct controller_settings {
  denoise::index_t actions = 3;
  dm::autodenoise_controller_options options;
  double baseline_decay = 0.9;
  bool baseline_from_first_reward = false;
  denoise::rl::gaussian_scale soft_scale = denoise::rl::gaussian_scale::variance;
};

/// The library's field names in a config_error, as the flags that set them.
const char* controller_flag_of(const std::string& field) {
  if (field == "hidden") return "--controller-hidden";
  if (field == "learning_rate") return "--controller-lr";
  if (field == "l2") return "--controller-l2";
  if (field == "decay") return "--baseline-decay";
  if (field == "actions") return "--actions";
  return "--methods";
}

controller_settings read_controller_settings(const flags& v) {
  controller_settings s;
  const auto actions = v.integer("--actions", s.actions, std::numeric_limits<std::int64_t>::min());
  if (actions < 1 || actions > dm::HardHead::max_actions)
    flags::fail("--actions", "must be in 1..5 (AutoDenoise-H's actions, weights 0..A-1), got " + std::to_string(actions));
  s.actions = static_cast<denoise::index_t>(actions);
  s.options.hidden = v.integer_as<denoise::index_t>("--controller-hidden", s.options.hidden, 1);
  s.options.learning_rate = v.number("--controller-lr", s.options.learning_rate);
  if (!(s.options.learning_rate > 0.0) || !std::isfinite(s.options.learning_rate))
    flags::fail("--controller-lr", "must be positive and finite");
  s.options.l2 = v.number("--controller-l2", s.options.l2);
  if (!(s.options.l2 >= 0.0) || !std::isfinite(s.options.l2)) flags::fail("--controller-l2", "must be >= 0 and finite");
  s.baseline_decay = v.number("--baseline-decay", s.baseline_decay);
  if (!(s.baseline_decay >= 0.0 && s.baseline_decay < 1.0)) flags::fail("--baseline-decay", "must be in [0, 1)");
  const std::string start = v.text("--baseline-start", "zero");
  if (start != "zero" && start != "first")
    flags::fail("--baseline-start", "unknown start '" + start + "' (zero, first)");
  s.baseline_from_first_reward = start == "first";
  const std::string scale = v.text("--soft-scale", "variance");
  if (scale == "variance") s.soft_scale = denoise::rl::gaussian_scale::variance;
  else if (scale == "stddev") s.soft_scale = denoise::rl::gaussian_scale::stddev;
  else flags::fail("--soft-scale", "unknown scale '" + scale + "' (variance, stddev)");
  try {  // the library's own checks, named by flag (they agree with the ones above)
    s.options.validate();
    static_cast<void>(dm::HardHead(s.actions));
    static_cast<void>(denoise::rl::MovingAverage(s.baseline_decay));
  } catch (const denoise::config_error& e) {
    flags::fail(controller_flag_of(e.field()), e.reason());
  }
  return s;
}

/// Ground-truth noise flags by instance id (0 clean, 1 noisy, 2 no flag), for the report only.
std::vector<std::uint8_t> noise_flags_by_instance(const run_info& run) {
  std::vector<std::uint8_t> flags;
  if (run.noisy.empty()) return flags;
  std::size_t size = 0;
  for (auto id : run.instances) size = std::max(size, static_cast<std::size_t>(id) + 1);
  flags.assign(size, 2);
  for (std::size_t r = 0; r < run.instances.size(); ++r)
    flags[static_cast<std::size_t>(run.instances[r])] = run.noisy[r] != 0 ? 1 : 0;
  return flags;
}

void write_controller_report(denoise::json_writer& w, const char* head, denoise::index_t actions,
                             const std::vector<dm::controller_epoch>& history) {
  w.field("head", head);
  if (actions > 0) w.field("actions", static_cast<int>(actions));
  w.field("reward_metric", "auc");
  w.key("epochs").begin_array();
  for (const auto& e : history) {
    w.begin_object()
        .field("epoch", e.epoch)
        .field("reward", e.reward)
        .field("baseline", e.baseline)
        .field("advantage", e.advantage)
        .field("mean_weight", e.mean_weight)
        .field("samples", e.samples)
        .field("mean_weight_true_positives", e.mean_weight_clean)
        .field("mean_weight_false_positives", e.mean_weight_noisy)
        .end_object();
  }
  w.end_array();
}

/// --plot's figure of a run: the reward and the baseline per epoch, and the mean weight of true
/// and of false positives (when the data has noise flags).
method_figure controller_figure(const char* head, const std::vector<dm::controller_epoch>& history) {
  method_figure f{std::string("AutoDenoise (") + head + " head): reward, baseline and mean weights per epoch", "epoch",
                  "value", {}};
  plot_series reward{"reward (validation AUC)", {}, {}}, baseline{"baseline", {}, {}};
  plot_series clean{"mean weight, true positives", {}, {}}, noisy{"mean weight, false positives", {}, {}};
  for (const auto& e : history) {
    const double x = static_cast<double>(e.epoch);
    reward.x.push_back(x), reward.y.push_back(e.reward);
    baseline.x.push_back(x), baseline.y.push_back(e.baseline);
    if (std::isfinite(e.mean_weight_clean)) clean.x.push_back(x), clean.y.push_back(e.mean_weight_clean);
    if (std::isfinite(e.mean_weight_noisy)) noisy.x.push_back(x), noisy.y.push_back(e.mean_weight_noisy);
  }
  for (auto* line : {&reward, &baseline, &clean, &noisy})
    if (!line->x.empty()) f.lines.push_back(std::move(*line));
  return f;
}

/// One run of the controller behind a family's weighting_state (pairs or sequences); its report
/// reads the policy's history, which every copy of the policy shares.
template <class Erased, class Head>
class controller_weighting final : public Erased {
  using policy_type = dm::AutoDenoiseController<Head>;
  using B = eigen_backend;
  using input = typename Erased::input;

 public:
  controller_weighting(policy_type policy, std::uint64_t seed, const char* head, denoise::index_t actions)
      : policy_(std::move(policy)), state_(policy_, seed), head_(head), actions_(actions) {}

  B::scalar on_batch(const batch_view<B, input>& batch, B::vector& weights) override {
    return state_.on_batch(batch, weights);
  }
  void on_epoch_end(const epoch_view& epoch) override { state_.on_epoch_end(epoch); }

  std::function<void(denoise::json_writer&)> report() const override {
    return [policy = policy_, head = head_, actions = actions_](denoise::json_writer& w) {
      write_controller_report(w, head, actions, policy.history());
    };
  }

  std::function<method_figure()> figure() const override {
    return [policy = policy_, head = head_]() { return controller_figure(head, policy.history()); };
  }

 private:
  policy_type policy_;
  typename policy_type::template State<B> state_;
  const char* head_;
  denoise::index_t actions_;
};

class autodenoise_controller_method final : public cli_method {
 public:
  autodenoise_controller_method(const method_flags& f, controller_head head)
      : head_(head), s_(read_controller_settings(f.values)) {}

  bool reads_representation() const override { return true; }
  bool draws_figure() const override { return true; }

  void check(const method_use& use) const override {
    for (const auto& model : use.representation_models)
      if (model == use.model) return;
    std::string with;
    for (const auto& model : use.representation_models) with += (with.empty() ? "" : ", ") + model;
    flags::fail("--model", std::string(name()) + " reads the model's per-row representation (sample_representation), " +
                               "which --model " + use.model + " does not offer" +
                               (with.empty() ? std::string(" (no model offers one with --loss ") + use.loss + ")"
                                             : "; models with one: " + with));
  }

  // Both registrations read the same flags; the shared ones are written once (by -h).
  void write_config(denoise::json_writer& out) const override {
    if (head_ == controller_head::soft) {
      out.field("soft_scale", s_.soft_scale == denoise::rl::gaussian_scale::variance ? "variance" : "stddev");
      return;
    }
    out.field("actions", static_cast<int>(s_.actions))
        .field("controller_hidden", static_cast<int>(s_.options.hidden))
        .field("controller_lr", s_.options.learning_rate)
        .field("controller_l2", s_.options.l2)
        .field("baseline_decay", s_.baseline_decay)
        .field("baseline_start", s_.baseline_from_first_reward ? "first" : "zero")
        .field("controller_reward", "auc");
  }

  bool runs_in(const std::string& task) const override { return task == "pairs" || task == "seq"; }
  std::unique_ptr<pairs_weighting> start_pairs(const run_info& run, std::uint64_t seed) const override {
    return start<pairs_weighting>(run, seed);
  }
  std::unique_ptr<sequence_weighting> start_sequences(const run_info& run, std::uint64_t seed) const override {
    return start<sequence_weighting>(run, seed);
  }

 private:
  template <class Erased>
  std::unique_ptr<Erased> start(const run_info& run, std::uint64_t seed) const {
    denoise::rl::MovingAverage baseline(s_.baseline_decay);
    baseline.start_at_first_reward(s_.baseline_from_first_reward);
    const denoise::rl::ValidationMetric reward("auc");
    if (head_ == controller_head::hard) {
      dm::AutoDenoiseController<dm::HardHead> policy(dm::HardHead(s_.actions), s_.options, reward, baseline);
      policy.set_noise_flags(noise_flags_by_instance(run));
      return std::make_unique<controller_weighting<Erased, dm::HardHead>>(std::move(policy), seed, "hard", s_.actions);
    }
    dm::AutoDenoiseController<dm::SoftHead> policy(dm::SoftHead(s_.soft_scale), s_.options, reward, baseline);
    policy.set_noise_flags(noise_flags_by_instance(run));
    return std::make_unique<controller_weighting<Erased, dm::SoftHead>>(std::move(policy), seed, "soft", 0);
  }

  const char* name() const { return head_ == controller_head::hard ? "autodenoise-h" : "autodenoise-s"; }

  controller_head head_;
  controller_settings s_;
};

const method_registrar autodenoise_h_registration{{
    "autodenoise-h",
    50,
    {{"--actions", "A", "AutoDenoise-H: actions, weights 0..A-1 (default 3: delete, keep,\nduplicate; 1..5)"},
     {"--controller-hidden", "N", "AutoDenoise-H/-S: controller hidden width, both layers (default 64)"},
     {"--controller-lr", "X", "AutoDenoise-H/-S: controller Adam learning rate (default 1e-3)"},
     {"--controller-l2", "X", "AutoDenoise-H/-S: controller L2 λ2 (default 1e-5)"},
     {"--baseline-decay", "X", "AutoDenoise-H/-S: reward baseline b <- X b + (1 - X) R (default 0.9)"},
     {"--baseline-start", "S", "AutoDenoise-H/-S: b starts at zero (paper, default) | first (the\nfirst reward)"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> {
      return std::make_unique<autodenoise_controller_method>(f, controller_head::hard);
    },
    /*by_default=*/false,
}};

const method_registrar autodenoise_s_registration{{
    "autodenoise-s",
    51,
    {{"--soft-scale", "S", "AutoDenoise-S: softplus gives the variance (paper, default) | stddev"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> {
      return std::make_unique<autodenoise_controller_method>(f, controller_head::soft);
    },
    /*by_default=*/false,
}};

}  // namespace
}  // namespace denoise_cli
