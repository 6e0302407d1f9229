// Reinforce<B>: the REINFORCE (score-function) estimator, at the level of a policy network's
// output. The network is anything with `backward(dlogits)` (or a callable that runs it) and
// `visit_parameters(f)` (nn/parameter.hpp); the estimator never sees its layers.
//
// 1. The score of each sample, scaled by its advantage, w.r.t. the logits:
//      A >= 2 columns (softmax policy):   dlogits[r, :] = adv_r · (onehot(a_r) - softmax(logits_r))
//      1 column (Bernoulli, p = σ(z)):     dlogits[r, 0] = adv_r · (a_r - σ(z_r))
//    i.e. d/dlogits of Σ_r adv_r log π(a_r | s_r). (For the soft Gaussian head use
//    GaussianWeight::State::score_dhead, which has the same meaning.)
// 2. Backpropagating dlogits through the network gives Σ_r adv_r ∇Φ log π(a_r | s_r);
//    accumulate() adds it to G, a param_set shaped like the network's parameters.
// 3. scale(R - b) for a per-epoch scalar advantage applied once (Ge et al.), normalise() to divide
//    by the samples seen (|D|), then write_descent(net) stores -G as the network's gradients, so
//    a minimising optimizer's step ascends the expected reward.
//
// Sign: G is the ascent direction of J = E[(R - b) log π]. Sparse-row parameters (embedding
// tables) keep the union of their touched rows across accumulations.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "../core/types.hpp"
#include "../nn/parameter.hpp"

namespace denoise {
namespace rl {

namespace detail {

/// Row r: adv_r · d log π(a_r | logits_r) / d logits_r.
template <class S>
struct categorical_score {
  const S* logits;
  const index_t* actions;
  const S* advantage;  // per row, or nullptr: use `scalar_advantage`
  S scalar_advantage;
  S* dlogits;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S* z = logits + r * cols;
    S* g = dlogits + r * cols;
    const S adv = advantage != nullptr ? advantage[r] : scalar_advantage;
    const auto a = static_cast<std::size_t>(actions[r]);
    if (cols == 1) {  // Bernoulli: π(1) = σ(z)
      const S p = z[0] >= S(0) ? S(1) / (S(1) + std::exp(-z[0])) : std::exp(z[0]) / (S(1) + std::exp(z[0]));
      g[0] = adv * ((a == 1 ? S(1) : S(0)) - p);
      return;
    }
    S m = z[0];
    for (std::size_t k = 1; k < cols; ++k) m = z[k] > m ? z[k] : m;
    S total = S(0);
    for (std::size_t k = 0; k < cols; ++k) total += std::exp(z[k] - m);
    for (std::size_t k = 0; k < cols; ++k) {
      const S p = std::exp(z[k] - m) / total;
      g[k] = adv * ((k == a ? S(1) : S(0)) - p);
    }
  }
};

/// out[r] = log π(a_r | logits_r).
template <class S>
struct categorical_log_prob {
  const S* logits;
  const index_t* actions;
  S* out;
  std::size_t cols;
  DENOISE_HOST_DEVICE void operator()(std::size_t r) const {
    const S* z = logits + r * cols;
    const auto a = static_cast<std::size_t>(actions[r]);
    if (cols == 1) {  // log σ(z) = -softplus(-z), log(1 - σ(z)) = -softplus(z)
      const S x = a == 1 ? -z[0] : z[0];
      const S ax = x < S(0) ? -x : x;
      out[r] = -((x > S(0) ? x : S(0)) + std::log1p(std::exp(-ax)));
      return;
    }
    S m = z[0];
    for (std::size_t k = 1; k < cols; ++k) m = z[k] > m ? z[k] : m;
    S total = S(0);
    for (std::size_t k = 0; k < cols; ++k) total += std::exp(z[k] - m);
    out[r] = z[a] - m - std::log(total);
  }
};

}  // namespace detail

template <class B>
class Reinforce {
 public:
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;

  // ---- score functions --------------------------------------------------------------------

  /// out[r] = log π(a_r | s_r) for logits rows x A (A = 1: Bernoulli with p = σ(z)).
  static void log_prob(const matrix& logits, const index_vector& actions, vector& out) {
    check(logits, actions, nullptr);
    const auto rows = static_cast<std::size_t>(logits.rows());
    if (out.size() != rows) out.resize(rows);
    B::launch(rows, detail::categorical_log_prob<scalar>{B::ptr(logits), B::ptr(actions), B::ptr(out), cols(logits)},
              cols(logits));
  }

  /// dlogits[r, :] = advantage[r] · d log π(a_r | s_r) / d logits[r, :].
  static void score_dlogits(const matrix& logits, const index_vector& actions, const vector& advantage,
                            matrix& dlogits) {
    check(logits, actions, &advantage);
    dlogits.resize(logits.rows(), logits.cols());
    B::launch(static_cast<std::size_t>(logits.rows()),
              detail::categorical_score<scalar>{B::ptr(logits), B::ptr(actions), B::ptr(advantage), scalar(0),
                                                B::ptr(dlogits), cols(logits)},
              cols(logits));
  }
  /// The same with one advantage for every row (1 to get the plain score ∇ log π).
  static void score_dlogits(const matrix& logits, const index_vector& actions, scalar advantage, matrix& dlogits) {
    check(logits, actions, nullptr);
    dlogits.resize(logits.rows(), logits.cols());
    B::launch(static_cast<std::size_t>(logits.rows()),
              detail::categorical_score<scalar>{B::ptr(logits), B::ptr(actions), nullptr, advantage, B::ptr(dlogits),
                                                cols(logits)},
              cols(logits));
  }

  // ---- accumulation -----------------------------------------------------------------------

  /// G = 0, shaped like the network's parameters; forgets samples and touched rows.
  template <class Net>
  void reset(Net& net) {
    gradient_.zeros_like(net);
    touched_.assign(gradient_.size(), index_vector{});
    sparse_.assign(gradient_.size(), false);
    samples_ = 0;
  }

  /// Zeroes the network's gradients, runs `backward(dlogits)` (which must fill them) and adds
  /// them to G; `samples` rows of data contributed. Use this overload when the network's
  /// backward needs more than dlogits (a workspace, a cache): pass a callable that runs it.
  template <class Net, class Backward>
  void accumulate(Net& net, const matrix& dlogits, std::size_t samples, Backward&& backward) {
    nn::zero_grad<B>(net);
    std::forward<Backward>(backward)(dlogits);
    add_gradients(net, samples);
  }
  /// The same with `net.backward(dlogits)`.
  template <class Net>
  void accumulate(Net& net, const matrix& dlogits, std::size_t samples) {
    accumulate(net, dlogits, samples, [&net](const matrix& d) { net.backward(d); });
  }

  /// G += the network's current gradients (already computed by the caller).
  template <class Net>
  void add_gradients(Net& net, std::size_t samples) {
    if (gradient_.size() == 0) reset(net);
    std::size_t i = 0;
    net.visit_parameters([&](nn::param_ref<B> p) {
      if (i >= gradient_.size() || gradient_[i].rows() != p.grad.rows() || gradient_[i].cols() != p.grad.cols()) {
        throw config_error(std::string("Reinforce: parameter '") + p.name + "' (#" + std::to_string(i) +
                               ") does not match the accumulated gradient's shape; call reset(net) first",
                           location::of_field("net"));
      }
      B::axpy(scalar(1), p.grad, gradient_[i]);
      if (p.touched != nullptr) {
        sparse_[i] = true;
        B::merge_rows(touched_[i], *p.touched, scratch_);
      }
      ++i;
    });
    if (i != gradient_.size()) {
      throw config_error("Reinforce: the network has " + std::to_string(i) + " parameters, the accumulated gradient " +
                             std::to_string(gradient_.size()),
                         location::of_field("net"));
    }
    samples_ += samples;
  }

  /// G *= alpha (e.g. the epoch's advantage R - b, when G was accumulated with advantage 1).
  void scale(scalar alpha) { gradient_.scale(alpha); }
  /// G /= the samples accumulated (|D| for a whole epoch). No-op when none were.
  void normalise() {
    if (samples_ != 0) normalise(samples_);
  }
  /// G /= count. Throws config_error (field 'count') when count is 0.
  void normalise(std::size_t count) {
    if (count == 0) throw config_error("Reinforce: cannot normalise by 0 samples", location::of_field("count"));
    gradient_.scale(scalar(1) / static_cast<scalar>(count));
  }

  /// The network's gradients := -G (descent form for a minimising optimizer). Sparse parameters
  /// get the union of the rows touched during accumulation as their touched rows.
  template <class Net>
  void write_descent(Net& net) const {
    std::size_t i = 0;
    net.visit_parameters([&](nn::param_ref<B> p) {
      if (i >= gradient_.size() || gradient_[i].rows() != p.grad.rows() || gradient_[i].cols() != p.grad.cols()) {
        throw config_error(std::string("Reinforce: parameter '") + p.name + "' (#" + std::to_string(i) +
                               ") does not match the accumulated gradient's shape",
                           location::of_field("net"));
      }
      B::copy(gradient_[i], p.grad);
      B::scale(p.grad, scalar(-1));
      if (p.touched != nullptr && sparse_[i]) B::copy(touched_[i], *p.touched);
      ++i;
    });
  }

  /// G: Σ adv · ∇ log π accumulated so far (scaled / normalised if asked).
  const nn::param_set<B>& gradient() const noexcept { return gradient_; }
  nn::param_set<B>& gradient() noexcept { return gradient_; }
  /// Samples accumulated since the last reset.
  std::size_t samples() const noexcept { return samples_; }

 private:
  static std::size_t cols(const matrix& m) { return static_cast<std::size_t>(m.cols()); }

  static void check(const matrix& logits, const index_vector& actions, const vector* advantage) {
    const auto rows = static_cast<std::size_t>(logits.rows());
    if (logits.cols() < 1) throw config_error("Reinforce: logits need at least one column", location::of_field("logits"));
    if (actions.size() != rows) {
      throw config_error("Reinforce: " + std::to_string(actions.size()) + " actions for " + std::to_string(rows) +
                             " rows of logits",
                         location::of_field("actions"));
    }
    if (advantage != nullptr && advantage->size() != rows) {
      throw config_error("Reinforce: " + std::to_string(advantage->size()) + " advantages for " +
                             std::to_string(rows) + " rows of logits",
                         location::of_field("advantage"));
    }
    // Actions index the logits: reject any outside [0, A) (Bernoulli: {0, 1}) with input_error.
    B::check_indices(actions, logits.cols() == 1 ? index_t(2) : logits.cols(), "Reinforce (actions)");
  }

  nn::param_set<B> gradient_;
  std::vector<index_vector> touched_;
  std::vector<bool> sparse_;
  index_vector scratch_;
  std::size_t samples_ = 0;
};

}  // namespace rl
}  // namespace denoise
