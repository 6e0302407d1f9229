// "autodenoise": AutoDenoise by deep-RL instance selection (Lin et al., WWW'23; issue 13;
// methods/autodenoise_selection/). A step-owning method of --task ctr: it searches a denoised
// subset of the training rows (C warm-up models, T searching epochs, a validation phase after each
// that retrains a fresh model on the policy's subset), then the reported model is the backbone
// retrained on the subset chosen on validation, tested once. The ctr family trains it with a runner
// of its own (ctr/ctr_selection_runner.hpp); it has no per-batch weighting state.
#include <string>

#include <denoise/core/json_writer.hpp>

#include "../ctr/autodenoise_selection_settings.hpp"
#include "../registry/method_registry.hpp"

namespace denoise_cli {
namespace {

class autodenoise_selection_method final : public cli_method {
 public:
  explicit autodenoise_selection_method(const method_flags& f) {
    namespace m = denoise::methods;
    const flags& v = f.values;
    auto& o = s_.options;
    o.history = v.integer_as<std::size_t>("--ad-history", o.history, 1);
    o.searching_epochs = v.integer_as<std::size_t>("--ad-search-epochs", o.searching_epochs, 1);
    o.ratio = v.number("--ad-ratio", o.ratio);
    if (!(o.ratio > 0.0 && o.ratio <= 1.0)) flags::fail("--ad-ratio", "must be in (0, 1]");
    const std::string selection = v.text("--ad-selection", "topk");
    if (selection == "topk") o.validation = m::validation_selection::top_k;
    else if (selection == "individual") o.validation = m::validation_selection::individual;
    else flags::fail("--ad-selection", "unknown selection '" + selection + "' (topk, individual)");
    const std::string profile = v.text("--ad-profile", "paper");
    if (profile == "paper") o.profile = m::selection_profile::paper;
    else if (profile == "code") o.profile = m::selection_profile::code;
    else flags::fail("--ad-profile", "unknown profile '" + profile + "' (paper, code)");
    o.policy_lr = v.number("--ad-policy-lr", o.policy_lr);
    if (!(o.policy_lr > 0.0)) flags::fail("--ad-policy-lr", "must be positive");
    o.policy_weight_decay = v.number("--ad-policy-weight-decay", o.policy_weight_decay);
    if (!(o.policy_weight_decay >= 0.0)) flags::fail("--ad-policy-weight-decay", "must be >= 0");
    s_.subset_path = v.text("--ad-subset", "");
    if (v.has("--ad-subset") && s_.subset_path.empty()) flags::fail("--ad-subset", "needs a file name");
  }

  void write_config(denoise::json_writer& out) const override {
    namespace m = denoise::methods;
    const auto& o = s_.options;
    out.field("ad_history", o.history)
        .field("ad_search_epochs", o.searching_epochs)
        .field("ad_ratio", o.ratio)
        .field("ad_selection", o.validation == m::validation_selection::top_k ? "topk" : "individual")
        .field("ad_profile", m::name_of(o.profile))
        .field("ad_policy_lr", o.policy_lr)
        .field("ad_policy_weight_decay", o.policy_weight_decay);
  }

  bool runs_in(const std::string& task) const override { return task == "ctr"; }
  bool draws_figure() const override { return true; }  // --plot: <prefix>_autodenoise_report.svg
  const autodenoise_selection_settings* autodenoise_selection() const override { return &s_; }

 private:
  autodenoise_selection_settings s_;
};

const method_registrar autodenoise_selection_registration{{
    "autodenoise",
    60,
    {{"--ad-history", "C", "AutoDenoise (--task ctr): warm-up models = rows of the loss matrix\n(default 4)"},
     {"--ad-search-epochs", "T", "searching epochs, each followed by a validation phase (default 50)"},
     {"--ad-ratio", "R", "validation phase: kept share of each batch (default 0.98)"},
     {"--ad-selection", "S", "topk (AutoDenoise, default) | individual (AutoDenoise-v: sampled)"},
     {"--ad-profile", "P", "paper (default) | code (the public code: greedy with 0.2 flips, 3 policy\n"
                           "updates per batch, one batch-summed reward)"},
     {"--ad-policy-lr", "X", "the policy network's Adam learning rate (default 0.01)"},
     {"--ad-policy-weight-decay", "X", "its weight decay (default 1e-5)"},
     {"--ad-subset", "FILE", "the first seed's chosen subset: instance ids to FILE, rows (AutoDenoise\n"
                             "CSV) to FILE with _rows before the extension"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> { return std::make_unique<autodenoise_selection_method>(f); },
    /*by_default=*/false,
}};

}  // namespace
}  // namespace denoise_cli
