// "sgdl": SGDL (Gao et al., SIGIR'22), methods::SGDL: phase I memorizes, phase II meta-learns a
// per-sample weighting from the memorized data. A step-owning method: the pairs family trains it
// with its own runner (pairs/pairs_sgdl_runner.hpp), validating in phase II only. Not in the default
// --methods list (slow, and its epochs are selected on its own schedule).
#include <string>

#include <denoise/core/error.hpp>
#include <denoise/methods/sgdl/sgdl_options.hpp>

#include "../registry/sgdl_settings.hpp"
#include "../registry/weighting.hpp"

namespace denoise_cli {
namespace {

namespace sg = denoise::methods::sgdl;

class sgdl_method final : public cli_method {
 public:
  explicit sgdl_method(const method_flags& f) {
    const flags& v = f.values;
    const std::string profile = v.text("--sgdl-profile", "paper");
    if (profile == "paper") s_.options = sg::sgdl_options::paper();
    else if (profile == "code") s_.options = sg::sgdl_options::code();
    else flags::fail("--sgdl-profile", "unknown profile '" + profile + "' (paper, code)");
    sg::sgdl_options& o = s_.options;
    const std::string variant = v.text("--sgdl-variant", "full");
    if (variant == "full") o.variant = sg::sgdl_variant::full;
    else if (variant == "without-dls") o.variant = sg::sgdl_variant::without_dls;
    else if (variant == "without-ads") o.variant = sg::sgdl_variant::without_ads;
    else if (variant == "control") o.variant = sg::sgdl_variant::control;
    else flags::fail("--sgdl-variant", "unknown variant '" + variant + "' (full, without-dls, without-ads, control)");
    const std::string scheduler = v.text("--sgdl-scheduler", sg::to_string(o.scheduler));
    if (scheduler == "lstm") o.scheduler = sg::scheduler_kind::lstm;
    else if (scheduler == "mlp") o.scheduler = sg::scheduler_kind::mlp;
    else if (scheduler == "top-f") o.scheduler = sg::scheduler_kind::top_f;
    else if (scheduler == "none") o.scheduler = sg::scheduler_kind::none;
    else flags::fail("--sgdl-scheduler", "unknown scheduler '" + scheduler + "' (lstm, mlp, top-f, none)");
    o.history = v.integer_as<std::size_t>("--sgdl-history", o.history, 1);
    o.max_phase1_epochs = v.integer_as<std::size_t>("--sgdl-phase1-epochs", o.max_phase1_epochs, 1);
    o.tau = v.number("--sgdl-tau", o.tau);
    if (!(o.tau > 0.0)) flags::fail("--sgdl-tau", "must be positive");
    o.meta_lr = v.number("--sgdl-meta-lr", o.meta_lr);
    if (!(o.meta_lr >= 0.0)) flags::fail("--sgdl-meta-lr", "must be >= 0 (0: the model's learning rate)");
    o.weight_hidden = v.integer_as<std::size_t>("--sgdl-hidden", o.weight_hidden, 1);
    s_.eval_every = v.integer_as<std::size_t>("--sgdl-eval-every", s_.eval_every, 1);
    try {
      o.validate();
    } catch (const denoise::config_error& e) {
      flags::fail("--methods", "sgdl: " + e.reason());
    }
  }

  void check(const method_use& use) const override {
    if (use.loss != "bce" && use.loss != "bpr")
      flags::fail("--loss", "sgdl is defined for bce and bpr, not " + use.loss);
  }

  void write_config(denoise::json_writer& out) const override {
    const sg::sgdl_options& o = s_.options;
    static const char* variants[] = {"full", "without-dls", "without-ads", "control"};
    out.field("sgdl_profile", sg::to_string(o.profile))
        .field("sgdl_variant", variants[static_cast<int>(o.variant)])
        .field("sgdl_scheduler", sg::to_string(o.scheduler))
        .field("sgdl_history", o.history)
        .field("sgdl_phase1_epochs", o.max_phase1_epochs)
        .field("sgdl_tau", o.tau)
        .field("sgdl_meta_lr", o.meta_lr)
        .field("sgdl_hidden", o.weight_hidden)
        .field("sgdl_eval_every", s_.eval_every);
  }

  const sgdl_settings* sgdl() const override { return &s_; }

 private:
  sgdl_settings s_;
};

const method_registrar sgdl_registration{{
    "sgdl",
    40,
    {{"--sgdl-profile", "P", "SGDL: paper (default: the paper's definitions) | code (the authors'\n"
                             "public code's choices; ALGORITHMS.md §2)"},
     {"--sgdl-variant", "V", "full (default) | without-dls | without-ads | control (phase II from the\n"
                             "initial weights with the weighting net frozen)"},
     {"--sgdl-scheduler", "S", "lstm (default) | mlp | top-f | none"},
     {"--sgdl-history", "H", "memorization history length h (default 10)"},
     {"--sgdl-phase1-epochs", "N", "switch to phase II by this epoch at the latest (default 50)"},
     {"--sgdl-tau", "X", "Gumbel-softmax temperature (paper 0.05, code 1)"},
     {"--sgdl-meta-lr", "X", "Adam rate of the weighting net (default: the model's --lr; code 5e-4)"},
     {"--sgdl-hidden", "N", "hidden width of the weighting net (paper 64, code 100)"},
     {"--sgdl-eval-every", "N", "phase-II epochs between validations; --patience counts them (5)"}},
    [](const method_flags& f) -> std::unique_ptr<cli_method> { return std::make_unique<sgdl_method>(f); },
    /*by_default=*/false,
}};

}  // namespace
}  // namespace denoise_cli
