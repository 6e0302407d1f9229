// methods::SGDL: Self-Guided Denoising Learning (Gao et al., SIGIR'22), a step-owning Method
// (docs/policies/method.md, level 2). ALGORITHMS.md §2 is the specification; docs/sgdl.md the guide.
//
//   phase I   plain training steps; after each epoch the memorization test (Memorization), the
//             noise rate sigma_hat (a 2-component Gaussian mixture on the normalised losses of all
//             of D) and the switch once |M_t| >= (1 - sigma_hat)|D| (or at max_phase1_epochs).
//   phase II  per batch B with a memorized batch M_b:
//             1. w_k = g(l_k; psi) (l_k detached), assumed update theta_hat = theta - eta1/|B| sum w_k grad l_k
//             2. meta-loss on M_b at theta_hat (the scheduler's selection or the plain mean),
//                v = its gradient at theta_hat, c_k = v . grad l_k(theta) (exact JVP when the model has
//                one, else central differences), grad_psi = -(eta1/|B|) sum_k c_k grad_psi g(l_k),
//                Adam(eta2) on psi; the scheduler phi steps on the same meta-loss through the
//                straight-through Gumbel-softmax
//             3. the real update with w_k = g(l_k; psi_new), constants
//
// A "unit" k is one positive interaction of the batch: for BPR its pair(s), for BCE the positive
// plus its sampled negatives; l_k sums the unit's per-sample losses [ours, ALGORITHMS "BCE models"].
//
//   data::Interactions train = ...;
//   methods::SGDL sgdl(train, methods::sgdl::sgdl_options::paper());
//   train::Trainer<models::MF<B>, losses::BPR, methods::SGDL> trainer(model, nn::Adam<B>({1e-3}), sgdl);
//   trainer.fit(train, sampler, &valid);
//   sgdl.report()->switch_epoch;  // the copies share the report
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/macros.hpp"
#include "../../core/random.hpp"
#include "../../core/span.hpp"
#include "../../core/static_checks.hpp"
#include "../../data/interactions.hpp"
#include "../../data/pair_batch.hpp"
#include "../../data/uniform_negative_sampler.hpp"
#include "../../losses/detail/stable_math.hpp"
#include "../../losses/layout.hpp"
#include "../../losses/static_checks.hpp"
#include "../../nn/jvp.hpp"
#include "../../nn/optim/adam.hpp"
#include "../../nn/parameter.hpp"
#include "../../nn/per_sample.hpp"
#include "../../nn/snapshot.hpp"
#include "../../nn/virtual_step.hpp"
#include "gaussian_mixture.hpp"
#include "gumbel_softmax.hpp"
#include "loss_normalization.hpp"
#include "lstm_scheduler.hpp"
#include "memorization.hpp"
#include "mlp_scheduler.hpp"
#include "sgdl_options.hpp"
#include "sgdl_report.hpp"
#include "top_f_scheduler.hpp"
#include "weighting_net.hpp"

namespace denoise {
namespace methods {
namespace sgdl {
namespace kernels {
/// out[k] = sum of in[k * per .. k * per + per)
template <class T>
struct unit_sum {
  const T* in;
  T* out;
  std::size_t per;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    T acc = T(0);
    for (std::size_t j = 0; j < per; ++j) acc += in[k * per + j];
    out[k] = acc;
  }
};
/// out[k] = scale * mean of in[k * per .. k * per + per)
template <class T>
struct unit_mean {
  const T* in;
  T* out;
  std::size_t per;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const {
    T acc = T(0);
    for (std::size_t j = 0; j < per; ++j) acc += in[k * per + j];
    out[k] = acc / static_cast<T>(per);
  }
};
/// out[s] = in[s / per]
template <class T>
struct expand_units {
  const T* in;
  T* out;
  std::size_t per;
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const { out[s] = in[s / per]; }
};
/// out[k] = alpha * in[k]
template <class T>
struct scaled {
  const T* in;
  T* out;
  T alpha;
  DENOISE_HOST_DEVICE void operator()(std::size_t k) const { out[k] = alpha * in[k]; }
};
/// factors row m = (loss[m], cosine[m])
template <class T>
struct factor_rows {
  const T* loss;
  const T* cosine;
  T* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t m) const {
    out[2 * m] = loss[m];
    out[2 * m + 1] = cosine[m];
  }
};
/// dY[r, m] = loss_hat[m] / draws: the gradient of sum_m colmean(Y)_m loss_hat_m with respect to Y.
template <class T>
struct selection_gradient {
  const T* loss_hat;
  T* d_hard;
  std::size_t cols;
  T inv_draws;
  DENOISE_HOST_DEVICE void operator()(std::size_t i) const { d_hard[i] = loss_hat[i % cols] * inv_draws; }
};
/// Loss of each training positive for the noise-rate estimate, from the logits of its rows:
/// pairwise softplus(s_neg - s_pos) [code], pointwise -log sigmoid(s_pos) = softplus(-s_pos) [ours].
template <class T>
struct positive_loss {
  const T* logits;
  T* out;
  bool pairwise;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    out[r] = pairwise ? losses::detail::softplus(logits[2 * r + 1] - logits[2 * r])
                      : losses::detail::softplus(-logits[r]);
  }
};
}  // namespace kernels

namespace detail {
template <class O>
using set_lr_t = decltype(std::declval<O&>().set_lr(1.0), static_cast<double>(std::declval<const O&>().options().lr));
template <class O>
using reset_t = decltype(std::declval<O&>().reset());
template <class O>
inline constexpr bool has_lr_v = traits::is_detected_v<set_lr_t, O>;
template <class O>
inline constexpr bool has_reset_v = traits::is_detected_v<reset_t, O>;
}  // namespace detail

}  // namespace sgdl

class SGDL {
 public:
  static constexpr const char* name() { return "sgdl"; }

  /// `train` must outlive the trainings: phase I scores all of it every epoch and phase II draws
  /// the memorized batches from it. Bad options are a config_error naming the field.
  explicit SGDL(const data::Interactions& train, sgdl::sgdl_options options = sgdl::sgdl_options::paper())
      : train_(&train), options_(options), report_(std::make_shared<sgdl::sgdl_report>()),
        flags_(std::make_shared<std::vector<std::uint8_t>>()) {
    options_.validate();
    if (train.empty()) throw config_error("sgdl: the training data is empty", location::of_field("train"));
  }

  const sgdl::sgdl_options& options() const noexcept { return options_; }
  /// The run's record, shared by every copy of this policy (the trainer keeps one).
  const std::shared_ptr<sgdl::sgdl_report>& report() const noexcept { return report_; }

  /// Ground-truth noise flags per row of `train` (1 = noisy), used ONLY to log the memorization
  /// precision/recall in the report; no decision of the method reads them.
  void log_memorization_against(span<const std::uint8_t> noisy_per_row) {
    if (noisy_per_row.size() != train_->size()) {
      throw config_error("sgdl: the logging flags have " + std::to_string(noisy_per_row.size()) + " entries for " +
                             std::to_string(train_->size()) + " training rows",
                         location::of_field("flags"));
    }
    flags_->assign(noisy_per_row.begin(), noisy_per_row.end());
  }

  template <class B>
  class State;

 private:
  const data::Interactions* train_;
  sgdl::sgdl_options options_;
  std::shared_ptr<sgdl::sgdl_report> report_;
  std::shared_ptr<std::vector<std::uint8_t>> flags_;
};

template <class B>
class SGDL::State {
 public:
  using scalar = typename B::scalar;
  using vector = typename B::vector;
  using matrix = typename B::matrix;

  State(const SGDL& policy, std::uint64_t seed)
      : train_(*policy.train_), o_(policy.options_), report_(policy.report_), flags_(policy.flags_), seed_(seed),
        g_(static_cast<index_t>(o_.weight_hidden), random::derive_seed(seed, "sgdl-psi")),
        memorization_(static_cast<std::size_t>(train_.instance_capacity()), o_.history,
                      o_.code_memorization ? sgdl::memorization_profile::code : sgdl::memorization_profile::paper),
        full_sampler_(train_.positives_by_user(), train_.n_items()) {
    report_->clear();
    const auto labels = train_.labels();
    for (std::size_t r = 0; r < train_.size(); ++r) {
      if (labels[r] > 0.0f) positive_rows_.push_back(r);
    }
    if (positive_rows_.empty()) throw config_error("sgdl: the training data has no positive", location::of_field("train"));
    const auto users = train_.users();
    for (std::size_t r : positive_rows_) positive_users_.push_back(users[r]);
  }

  bool in_phase_two() const noexcept { return phase2_; }

  template <class Context>
  void step(Context& ctx) {
    using Model = typename Context::model_type;
    using Loss = typename Context::loss_type;
    static_assert(std::is_same<typename Model::batch_type::kind, data::pairs_tag>::value,
                  "denoise: SGDL needs a model of user-item pairs (MF, GMF, NeuMF, CDAE, LightGCN, NGCF); "
                  "see docs/sgdl.md");
    if (!started_) start(ctx);
    if (ctx.epoch() != epoch_) begin_epoch(ctx);
    if (!phase2_) {
      plain_step(ctx);
    } else if (o_.variant == sgdl::sgdl_variant::without_dls) {
      memorized_only_step(ctx);
    } else {
      self_guided_step<Model, Loss>(ctx);
    }
  }

  template <class EpochContext>
  void on_epoch_end(const EpochContext& ctx) {
    if (!started_) return;
    sgdl::sgdl_epoch_record record;
    record.epoch = ctx.epoch + 1;
    if (!phase2_) {
      record.phase = 1;
      memorization_.update(ctx.model, train_, ctx.epoch, random::derive_seed(random::derive_seed(seed_, "sgdl-memorization"), ctx.epoch));
      record.noise_rate = estimate_noise_rate(ctx.model, ctx.epoch);
      const double d = static_cast<double>(positive_rows_.size());
      const auto count = static_cast<double>(memorization_.memorized_count());
      record.memorized_share = count / d;
      log_memorization(record);
      report_->epochs.push_back(record);
      if (count >= (1.0 - record.noise_rate) * d || ctx.epoch + 1 >= o_.max_phase1_epochs) switch_phase(ctx);
      return;
    }
    record.phase = 2;
    record.memorized_share = static_cast<double>(memorized_rows_.size()) / static_cast<double>(positive_rows_.size());
    record.meta_loss = meta_batches_ > 0 ? meta_loss_sum_ / static_cast<double>(meta_batches_) : record.meta_loss;
    meta_loss_sum_ = 0.0;
    meta_batches_ = 0;
    report_->epochs.push_back(record);
    sample_curve();
  }

  /// g(l; psi) at each of `losses` (for plotting the learned weighting function).
  std::vector<double> weights_at(const std::vector<double>& losses) {
    std::vector<scalar> host(losses.begin(), losses.end());
    B::from_host(host, curve_in_);
    g_.forward(curve_in_, curve_out_);
    B::to_host(curve_out_, host);
    return {host.begin(), host.end()};
  }

  sgdl::WeightingNet<B>& weighting_net() noexcept { return g_; }

 private:
  // ---- run and epoch boundaries ------------------------------------------------------------------
  template <class Context>
  void start(Context& ctx) {
    using Model = typename Context::model_type;
    using Loss = typename Context::loss_type;
    theta0_.take(ctx.model());
    // BPR-like losses have one sample per (positive, negative) pair; BCE one per logit.
    pairwise_ = Loss::sample_count(losses::layout{1, 2}) == 1;
    if constexpr (sgdl::detail::has_lr_v<typename Context::optimizer_type>) {
      base_lr_ = ctx.optimizer().options().lr;
    } else {
      if (o_.assumed_lr <= 0.0 || o_.phase1_lr_factor != 1.0) {
        throw config_error("sgdl: the optimizer has no options().lr / set_lr(); set assumed_lr and leave "
                           "phase1_lr_factor at 1",
                           location::of_field("assumed_lr"));
      }
    }
    eta1_ = o_.assumed_lr > 0.0 ? o_.assumed_lr : base_lr_;
    eta2_ = o_.meta_lr > 0.0 ? o_.meta_lr : eta1_;
    g_adam_ = nn::Adam<B>({eta2_});
    scheduler_adam_ = nn::Adam<B>({o_.scheduler_lr});
    bound_ = std::make_unique<bound<Model, Loss>>(ctx.model(), nn::per_sample_options{o_.jvp, o_.jvp_eps});
    set_lr(ctx.optimizer(), base_lr_ * o_.phase1_lr_factor);
    started_ = true;
    epoch_ = ctx.epoch();
  }

  template <class Context>
  void begin_epoch(Context& ctx) {
    epoch_ = ctx.epoch();
    if (!phase2_) return;
    if (first_phase2_epoch_) {
      first_phase2_epoch_ = false;
      set_lr(ctx.optimizer(), base_lr_);
      // The control restarts from theta_0 with a fresh optimizer [ours, as the code's restart].
      if (o_.variant == sgdl::sgdl_variant::control || o_.reset_optimizers_each_epoch) reset_optimizer(ctx.optimizer());
    } else if (o_.reset_optimizers_each_epoch) {
      // code: every phase-II epoch recreates the model's and psi's Adam and a new scheduler.
      reset_optimizer(ctx.optimizer());
      g_adam_.reset();
      scheduler_adam_.reset();
      ++scheduler_generation_;
      reset_scheduler();
    }
  }

  template <class EpochContext>
  void switch_phase(const EpochContext& ctx) {
    phase2_ = true;
    first_phase2_epoch_ = true;
    report_->switch_epoch = ctx.epoch + 1;
    const auto& mask = memorization_.memorized();
    report_->memorized.assign(mask.begin(), mask.end());
    const auto instances = train_.instances();
    memorized_rows_.clear();
    for (std::size_t r : positive_rows_) {
      const auto id = static_cast<std::size_t>(instances[r]);
      if (id < mask.size() && mask[id] != 0) memorized_rows_.push_back(r);
    }
    if (memorized_rows_.empty()) {
      throw config_error("sgdl: nothing is memorized at the switch (epoch " + std::to_string(ctx.epoch + 1) +
                             "); raise max_phase1_epochs or lower history",
                         location::of_field("max_phase1_epochs"));
    }
    memorized_mask_.assign(static_cast<std::size_t>(train_.instance_capacity()), 0);
    for (std::size_t r : memorized_rows_) memorized_mask_[static_cast<std::size_t>(instances[r])] = 1;
    if (o_.negatives_avoid_memorized_only) {
      const data::Interactions memorized = train_.subset(span<const std::size_t>(memorized_rows_));
      memorized_sampler_ = std::make_unique<data::UniformNegativeSampler>(memorized.positives_by_user(),
                                                                          train_.n_items());
    }
    memorized_order_.resize(memorized_rows_.size());
    for (std::size_t m = 0; m < memorized_order_.size(); ++m) memorized_order_[m] = m;
    memorized_next_ = memorized_order_.size();  // shuffle at the first draw
    memorized_rng_.reseed(random::derive_seed(seed_, "sgdl-memorized-batches"));
    reset_scheduler();
    if (o_.variant == sgdl::sgdl_variant::control) theta0_.restore(ctx.model);
  }

  // ---- the three kinds of step ------------------------------------------------------------------
  template <class Context>
  void plain_step(Context& ctx) {
    ctx.forward();
    ones_.resize(ctx.samples());
    B::fill(ones_, scalar(1));
    const auto n = static_cast<scalar>(ctx.samples());
    ctx.report(ones_, n);
    ctx.backward(ones_, n);
    ctx.update();
  }

  // Phase II weighs whole units (a positive with its negatives, or a BPR pair): every unit must
  // carry the same number of samples.
  static std::size_t samples_per_unit(std::size_t samples, std::size_t units) {
    if (units == 0 || samples % units != 0) {
      throw config_error("sgdl: the batch's samples do not group into its positives", location::of_field("layout"));
    }
    return samples / units;
  }

  // w/o DLS: phase II keeps only the batch's memorized positives with all their samples (a BCE
  // unit's negatives, a BPR pair), plain mean loss over the kept samples, as phase I's plain step
  // [ours: the paper's "train on M only", with the trainer's fresh negatives]. Membership is the
  // unit's: its negatives carry no instance (-1), so the unit's id is the largest among its samples.
  template <class Context>
  void memorized_only_step(Context& ctx) {
    ctx.forward();
    const auto& ids = ctx.sample_instance();
    const std::size_t units = ctx.layout().groups;
    const std::size_t per = samples_per_unit(ids.size(), units);
    host_weights_.resize(ids.size());
    std::size_t kept_units = 0;
    for (std::size_t u = 0; u < units; ++u) {
      offset_t id = -1;
      for (std::size_t j = 0; j < per; ++j) id = std::max(id, ids[u * per + j]);
      const bool keep = id >= 0 && static_cast<std::size_t>(id) < memorized_mask_.size() &&
                        memorized_mask_[static_cast<std::size_t>(id)] != 0;
      std::fill_n(host_weights_.begin() + static_cast<std::ptrdiff_t>(u * per), per, keep ? scalar(1) : scalar(0));
      kept_units += keep ? 1 : 0;
    }
    B::from_host(host_weights_, weights_);
    const scalar divisor = kept_units > 0 ? static_cast<scalar>(kept_units * per) : scalar(1);
    ctx.report(weights_, divisor);
    if (kept_units == 0) return;
    ctx.backward(weights_, divisor);
    ctx.update();
  }

  template <class Model, class Loss, class Context>
  void self_guided_step(Context& ctx) {
    auto& model = ctx.model();
    auto& b = static_cast<bound<Model, Loss>&>(*bound_);
    ctx.forward();
    const std::size_t samples = ctx.samples();
    const std::size_t units = ctx.layout().groups;
    const std::size_t per = samples_per_unit(samples, units);
    const auto inv_units = scalar(1) / static_cast<scalar>(units);
    unit_loss_.resize(units);
    B::launch(units, sgdl::kernels::unit_sum<scalar>{B::ptr(ctx.loss()), B::ptr(unit_loss_), per}, per);

    // Step 1: g-weighted gradient (its sum normalised by |B|) for the assumed update.
    weigh(unit_loss_, per, samples);
    const bool learn_psi = o_.variant != sgdl::sgdl_variant::control;
    if (learn_psi) {
      ctx.backward(weights_, static_cast<scalar>(units));
      next_memorized_batch(b, ctx.layout().group_size, units);
      const std::size_t m_units = b.mem_layout.groups;
      const std::size_t m_per = Loss::sample_count(b.mem_layout) / m_units;
      const auto kind = o_.effective_scheduler();

      // The scheduler's selection weights ybar over M_b (or the plain mean).
      meta_unit_weights_.resize(m_units);
      if (kind == sgdl::scheduler_kind::none) {
        B::fill(meta_unit_weights_, scalar(1) / static_cast<scalar>(m_units));
      } else {
        scheduler_factors<Model, Loss>(b, m_units, m_per);
        if (kind == sgdl::scheduler_kind::top_f) {
          top_f_.select(factors_, meta_unit_weights_);
        } else {
          scheduler_forward();
          gumbel_.forward(scheduler_logits_, units, o_.tau,
                          random::derive_seed(random::derive_seed(seed_, "sgdl-gumbel"), ctx.iteration()), hard_);
          B::col_sum(hard_, meta_unit_weights_);
          B::scale(meta_unit_weights_, inv_units);
        }
      }

      // Step 2: the meta-loss at theta_hat and its gradient v there.
      meta_weights_.resize(m_units * m_per);
      B::launch(meta_weights_.size(),
                sgdl::kernels::expand_units<scalar>{B::ptr(meta_unit_weights_), B::ptr(meta_weights_), m_per});
      {
        nn::virtual_step<B, Model> assumed(model, eta1_);
        model.forward(b.mem_batch, b.mem_ws, b.mem_logits);
        Loss::template forward<B>(b.mem_logits, b.mem_labels, b.mem_layout, b.mem_loss, b.mem_prediction,
                                  b.mem_positive);
        meta_loss_sum_ += static_cast<double>(B::dot(meta_weights_, b.mem_loss));
        ++meta_batches_;
        nn::zero_grad<B>(model);
        Loss::template backward<B>(b.mem_logits, b.mem_labels, b.mem_layout, meta_weights_, scalar(1), b.mem_dlogits);
        model.backward(b.mem_ws, b.mem_dlogits);
        direction_.copy_grads(model);
        if (kind == sgdl::scheduler_kind::lstm || kind == sgdl::scheduler_kind::mlp) {
          loss_hat_.resize(m_units);
          B::launch(m_units, sgdl::kernels::unit_sum<scalar>{B::ptr(b.mem_loss), B::ptr(loss_hat_), m_per}, m_per);
        }
      }  // theta restored bit-identically

      // c_k = v . grad l_k(theta) on the trainer's forward, then grad_psi = -(eta1/|B|) sum c_k grad_psi g_k.
      direction_products<Model, Loss>(ctx, b);
      unit_c_.resize(units);
      B::launch(units, sgdl::kernels::unit_sum<scalar>{B::ptr(b.sample_c), B::ptr(unit_c_), per}, per);
      B::launch(units, sgdl::kernels::scaled<scalar>{B::ptr(unit_c_), B::ptr(unit_c_),
                                                     static_cast<scalar>(-eta1_) * inv_units});
      nn::zero_grad<B>(g_);
      g_.backward(unit_c_);
      g_adam_.step(g_);

      // phi on the same meta-loss: d L / d Y[r, m] = loss_hat[m] / draws, through the straight-through path.
      if (kind == sgdl::scheduler_kind::lstm || kind == sgdl::scheduler_kind::mlp) scheduler_step(units, m_units);

      // Step 3: the real update with psi_new.
      weigh(unit_loss_, per, samples);
    }
    ctx.report(weights_, static_cast<scalar>(units));
    ctx.backward(weights_, static_cast<scalar>(units));
    ctx.update();
  }

  // ---- pieces of the self-guided step -----------------------------------------------------------
  /// weights_ (per sample) = g(unit loss) of the sample's unit.
  void weigh(const vector& unit_loss, std::size_t per, std::size_t samples) {
    g_.forward(unit_loss, unit_weights_);
    weights_.resize(samples);
    B::launch(samples, sgdl::kernels::expand_units<scalar>{B::ptr(unit_weights_), B::ptr(weights_), per});
  }

  template <class Model, class Loss>
  struct bound;

  /// The next |B| (at most) memorized positives, each with fresh negatives, on b.mem_batch.
  template <class Bound>
  void next_memorized_batch(Bound& b, std::size_t group_size, std::size_t units) {
    const std::size_t n = memorized_order_.size();
    if (memorized_next_ >= n) {
      for (std::size_t m = n; m > 1; --m) {  // Fisher-Yates on the run's own stream
        const auto j = static_cast<std::size_t>(memorized_rng_.uniform_index(static_cast<std::uint64_t>(m)));
        std::swap(memorized_order_[m - 1], memorized_order_[j]);
      }
      memorized_next_ = 0;
    }
    const std::size_t take = std::min(units, n - memorized_next_);  // the pass's last batch is shorter [code]
    const auto& sampler = memorized_sampler_ ? *memorized_sampler_ : full_sampler_;
    const auto users = train_.users();
    const auto items = train_.items();
    host_users_.clear();
    host_items_.clear();
    host_labels_.clear();
    host_slots_.clear();
    for (std::size_t k = 0; k < take; ++k) {
      const std::size_t slot = memorized_order_[memorized_next_ + k];
      const std::size_t row = memorized_rows_[slot];
      host_slots_.push_back(static_cast<index_t>(slot));
      host_users_.push_back(users[row]);
      host_items_.push_back(items[row]);
      host_labels_.push_back(scalar(1));
      for (std::size_t j = 1; j < group_size; ++j) {
        host_users_.push_back(users[row]);
        host_items_.push_back(sampler.sample(users[row], memorized_rng_));
        host_labels_.push_back(scalar(0));
      }
    }
    memorized_next_ += take;
    B::from_host(host_users_, b.mem_batch.users);
    B::from_host(host_items_, b.mem_batch.items);
    B::from_host(host_labels_, b.mem_labels);
    B::from_host(host_slots_, slots_);
    b.mem_layout = losses::layout{take, group_size};
  }

  /// factors_ (|M_b| x 2) = (loss at theta, cos(grad l_m(theta), grad l_m(theta_hat))) [paper].
  template <class Model, class Loss, class Bound>
  void scheduler_factors(Bound& b, std::size_t m_units, std::size_t m_per) {
    auto& model = b.per_sample_model();
    theta_hat_.copy_values(model);
    gradient_.copy_grads(model);
    theta_hat_.axpy(static_cast<scalar>(-eta1_), gradient_);
    b.ps.forward(b.mem_batch, b.mem_labels, b.mem_layout);
    b.ps.gradient_cosines(theta_hat_, b.sample_cos);
    loss_theta_.resize(m_units);
    cos_.resize(m_units);
    B::launch(m_units, sgdl::kernels::unit_sum<scalar>{B::ptr(b.ps.loss()), B::ptr(loss_theta_), m_per}, m_per);
    B::launch(m_units, sgdl::kernels::unit_mean<scalar>{B::ptr(b.sample_cos), B::ptr(cos_), m_per}, m_per);
    factors_.resize(static_cast<index_t>(m_units), 2);
    B::launch(m_units, sgdl::kernels::factor_rows<scalar>{B::ptr(loss_theta_), B::ptr(cos_), B::ptr(factors_)});
  }

  void scheduler_forward() {
    if (o_.effective_scheduler() == sgdl::scheduler_kind::lstm) {
      lstm_->forward(factors_, slots_, scheduler_logits_);
    } else {
      mlp_->forward(factors_, slots_, scheduler_logits_);
    }
  }

  void scheduler_step(std::size_t draws, std::size_t m_units) {
    d_hard_.resize(hard_.rows(), hard_.cols());
    B::launch(d_hard_.size(), sgdl::kernels::selection_gradient<scalar>{B::ptr(loss_hat_), B::ptr(d_hard_), m_units,
                                                                         scalar(1) / static_cast<scalar>(draws)});
    gumbel_.backward(d_hard_, scheduler_dlogits_);
    if (o_.effective_scheduler() == sgdl::scheduler_kind::lstm) {
      nn::zero_grad<B>(*lstm_);
      lstm_->backward(scheduler_dlogits_);
      scheduler_adam_.step(*lstm_);
      lstm_->commit();
    } else {
      nn::zero_grad<B>(*mlp_);
      mlp_->backward(scheduler_dlogits_);
      scheduler_adam_.step(*mlp_);
    }
  }

  void reset_scheduler() {
    const auto seed = random::derive_seed(random::derive_seed(seed_, "sgdl-scheduler"), scheduler_generation_);
    const auto hidden = static_cast<index_t>(o_.scheduler_hidden);
    switch (o_.effective_scheduler()) {
      case sgdl::scheduler_kind::lstm:
        lstm_ = std::make_unique<sgdl::LSTMScheduler<B>>(hidden, seed);
        lstm_->begin(memorized_rows_.size());
        break;
      case sgdl::scheduler_kind::mlp:
        mlp_ = std::make_unique<sgdl::MLPScheduler<B>>(hidden, seed);
        break;
      default:
        break;
    }
  }

  /// b.sample_c[s] = v . grad l_s(theta) at the trainer's forward: exact JVP when available.
  template <class Model, class Loss, class Context, class Bound>
  void direction_products(Context& ctx, Bound& b) {
    auto& model = ctx.model();
    const auto& input = ctx.batch().input;
    const auto& labels = ctx.batch().labels;
    const losses::layout layout = ctx.layout();
    if constexpr (nn::has_exact_jvp_v<Model> && losses::has_tangent_v<Loss, B>) {
      if (o_.jvp != nn::jvp_mode::finite_difference) {
        model.jvp(static_cast<const typename Model::workspace&>(ctx.workspace()), direction_, b.logit_tangent);
        Loss::template tangent<B>(ctx.logits(), labels, layout, b.logit_tangent, b.sample_c);
        return;
      }
    } else {
      if (o_.jvp == nn::jvp_mode::exact) {
        throw config_error(std::string("sgdl: exact JVP requested but '") + Model::name() + "' / '" + Loss::name() +
                               "' has no jvp()/tangent()",
                           location::of_field("jvp"));
      }
    }
    nn::jvp_finite_difference<B>(
        model, ctx.workspace(), direction_,
        [&](typename Model::workspace& ws, vector& out) {
          model.forward(input, ws, b.fd_logits);
          Loss::template forward<B>(b.fd_logits, labels, layout, out, b.fd_prediction, b.fd_positive);
        },
        b.sample_c, b.fd, o_.jvp_eps);
  }

  // ---- phase I measurements -----------------------------------------------------------------------
  /// sigma_hat: the mean posterior of the larger-mean component of a 2-component Gaussian mixture
  /// fitted to the normalised losses of every training positive, in evaluation mode [paper, code].
  template <class Model>
  double estimate_noise_rate(Model& model, std::size_t epoch) {
    const bool was_training = model.training();
    model.train(false);
    typename Model::workspace ws;
    data::pair_batch<B> batch;
    vector logits, out;
    random::rng negatives(random::derive_seed(random::derive_seed(seed_, "sgdl-noise-negatives"), epoch));
    const auto users = train_.users();
    const auto items = train_.items();
    const std::size_t d = positive_rows_.size();
    losses_.resize(d);
    std::vector<scalar> host;
    for (std::size_t begin = 0; begin < d; begin += o_.loss_batch) {
      const std::size_t end = std::min(d, begin + o_.loss_batch);
      host_users_.clear();
      host_items_.clear();
      for (std::size_t k = begin; k < end; ++k) {
        const std::size_t r = positive_rows_[k];
        host_users_.push_back(users[r]);
        host_items_.push_back(items[r]);
        if (pairwise_) {  // one fresh uniform negative [code]
          host_users_.push_back(users[r]);
          host_items_.push_back(full_sampler_.sample(users[r], negatives));
        }
      }
      B::from_host(host_users_, batch.users);
      B::from_host(host_items_, batch.items);
      model.forward(batch, ws, logits);
      out.resize(end - begin);
      B::launch(out.size(), sgdl::kernels::positive_loss<scalar>{B::ptr(logits), B::ptr(out), pairwise_});
      B::to_host(out, host);
      for (std::size_t k = begin; k < end; ++k) losses_[k] = static_cast<double>(host[k - begin]);
    }
    model.train(was_training);
    if (o_.per_user_normalization) {
      sgdl::normalize_min_max_per_user(losses_, span<const index_t>(positive_users_));
    } else {
      sgdl::normalize_min_max(losses_);
    }
    const sgdl::GaussianMixture mixture;
    const auto fit = mixture.fit(span<const double>(losses_));
    return sgdl::noise_rate(fit, span<const double>(losses_));
  }

  void log_memorization(sgdl::sgdl_epoch_record& record) {
    if (flags_->empty()) return;
    // Reporting only: the flags never reach a decision of the method.
    const auto instances = train_.instances();
    const auto& mask = memorization_.memorized();
    std::size_t memorized = 0, memorized_clean = 0, clean = 0;
    for (std::size_t r : positive_rows_) {
      const auto id = static_cast<std::size_t>(instances[r]);
      const bool m = id < mask.size() && mask[id] != 0;
      const bool is_clean = (*flags_)[r] == 0;
      memorized += m ? 1 : 0;
      memorized_clean += m && is_clean ? 1 : 0;
      clean += is_clean ? 1 : 0;
    }
    if (memorized > 0) record.memorization_precision = static_cast<double>(memorized_clean) / static_cast<double>(memorized);
    if (clean > 0) record.memorization_recall = static_cast<double>(memorized_clean) / static_cast<double>(clean);
  }

  void sample_curve() {
    auto& curve_loss = report_->curve_loss;
    curve_loss.resize(o_.curve_points);
    for (std::size_t i = 0; i < o_.curve_points; ++i) {
      curve_loss[i] = o_.curve_max_loss * static_cast<double>(i) / static_cast<double>(o_.curve_points - 1);
    }
    report_->curve_weight = weights_at(curve_loss);
  }

  // ---- optimizer helpers ----------------------------------------------------------------------------
  template <class Optimizer>
  static void set_lr(Optimizer& optimizer, double lr) {
    if constexpr (sgdl::detail::has_lr_v<Optimizer>) optimizer.set_lr(lr);
  }
  template <class Optimizer>
  static void reset_optimizer(Optimizer& optimizer) {
    if constexpr (sgdl::detail::has_reset_v<Optimizer>) optimizer.reset();
  }

  // Buffers that depend on the model and loss types, made at the first step (one virtual
  // destructor; the step casts to the known type, so nothing is dispatched at run time).
  struct bound_base {
    virtual ~bound_base() = default;
  };

  const data::Interactions& train_;
  sgdl::sgdl_options o_;
  std::shared_ptr<sgdl::sgdl_report> report_;
  std::shared_ptr<std::vector<std::uint8_t>> flags_;
  std::uint64_t seed_;

  sgdl::WeightingNet<B> g_;
  nn::Adam<B> g_adam_{};
  nn::Adam<B> scheduler_adam_{};
  std::unique_ptr<sgdl::LSTMScheduler<B>> lstm_;
  std::unique_ptr<sgdl::MLPScheduler<B>> mlp_;
  sgdl::TopFScheduler<B> top_f_;
  sgdl::StraightThroughGumbel<B> gumbel_;
  std::uint64_t scheduler_generation_ = 0;
  sgdl::Memorization<B> memorization_;
  data::UniformNegativeSampler full_sampler_;
  std::unique_ptr<data::UniformNegativeSampler> memorized_sampler_;
  std::unique_ptr<bound_base> bound_;
  nn::snapshot<B> theta0_;

  bool started_ = false, phase2_ = false, first_phase2_epoch_ = false, pairwise_ = true;
  std::size_t epoch_ = 0;
  double base_lr_ = 0.0, eta1_ = 0.0, eta2_ = 0.0;
  double meta_loss_sum_ = 0.0;
  std::size_t meta_batches_ = 0;

  std::vector<std::size_t> positive_rows_, memorized_rows_, memorized_order_;
  std::vector<index_t> positive_users_;
  std::vector<std::uint8_t> memorized_mask_;
  std::size_t memorized_next_ = 0;
  random::rng memorized_rng_;
  std::vector<double> losses_;

  std::vector<index_t> host_users_, host_items_, host_slots_;
  std::vector<scalar> host_labels_, host_weights_;
  typename B::index_vector slots_;
  vector ones_, weights_, unit_loss_, unit_weights_, unit_c_, meta_unit_weights_, meta_weights_, loss_hat_;
  vector loss_theta_, cos_, scheduler_logits_, scheduler_dlogits_, curve_in_, curve_out_;
  matrix factors_, hard_, d_hard_;
  nn::param_set<B> direction_, theta_hat_, gradient_;
};

template <class B>
template <class Model, class Loss>
struct SGDL::State<B>::bound : SGDL::State<B>::bound_base {
  bound(Model& m, nn::per_sample_options options) : model(&m), ps(m, options) {}
  Model& per_sample_model() { return *model; }
  Model* model;
  nn::per_sample<Model, Loss> ps;  ///< M_b at theta: the scheduler's loss and gradient cosines
  typename Model::workspace mem_ws;
  data::pair_batch<B> mem_batch;
  vector mem_labels, mem_logits, mem_loss, mem_prediction, mem_positive, mem_dlogits;
  losses::layout mem_layout{};
  vector logit_tangent, sample_c, sample_cos, fd_logits, fd_prediction, fd_positive;
  nn::finite_difference_buffers<B> fd;
};

}  // namespace methods
}  // namespace denoise
