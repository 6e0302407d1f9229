// methods::sgdl::LSTMScheduler<B>: the LSTM variant (the paper's default) of SGDL's adaptive
// denoising scheduler. Each memorized sample has its own LSTM state (h, c); at each visit its
// factors (loss at theta, gradient cosine theta vs theta_hat) are fed for one step and its logit
// is Linear(H -> 1)(h'). The state is kept per sample and detached between visits [ours: the paper
// says "LSTM" over the training trajectory without fixing how; the authors' code uses sequences of
// length 1, i.e. no history]. Interface: see mlp_scheduler.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../nn/dense.hpp"
#include "../../nn/lstm_cell.hpp"
#include "../../nn/parameter.hpp"
#include "weighting_net.hpp"

namespace denoise {
namespace methods {
namespace sgdl {

template <class B>
class LSTMScheduler {
 public:
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using scalar = typename B::scalar;

  explicit LSTMScheduler(index_t hidden = 64, std::uint64_t seed = 0) : cell_(2, hidden), head_(hidden, 1) {
    reset(seed);
  }

  index_t hidden() const noexcept { return cell_.hidden(); }

  /// Zero state for `population` memorized samples.
  void begin(std::size_t population) {
    h_all_.resize(static_cast<index_t>(population), hidden());
    c_all_.resize(static_cast<index_t>(population), hidden());
    B::fill(h_all_, scalar(0));
    B::fill(c_all_, scalar(0));
  }

  void forward(const matrix& factors, const typename B::index_vector& slots, vector& logits) {
    if (factors.cols() != 2) throw config_error("LSTMScheduler: factors must have 2 columns");
    B::require_same_size(slots.size(), static_cast<std::size_t>(factors.rows()), "LSTMScheduler slots");
    if (B::count_out_of_range(slots, h_all_.rows()) != 0) {
      throw config_error("LSTMScheduler: a slot is outside the population given to begin()");
    }
    B::copy(slots, slots_);
    B::gather_rows(h_all_, slots_, h_in_);
    B::gather_rows(c_all_, slots_, c_in_);
    cell_.forward(factors, h_in_, c_in_, h_out_, c_out_, cell_cache_);
    head_.forward(h_out_, y_, head_cache_);
    logits.resize(static_cast<std::size_t>(y_.rows()));
    B::launch(logits.size(), kernels::copy_values<scalar>{B::ptr(y_), B::ptr(logits)});
  }

  /// Backpropagates through this visit only (the incoming state is detached).
  void backward(const vector& dlogits) {
    B::require_same_size(dlogits.size(), static_cast<std::size_t>(y_.rows()), "LSTMScheduler::backward");
    dy_.resize(y_.rows(), 1);
    B::launch(dlogits.size(), kernels::copy_values<scalar>{B::ptr(dlogits), B::ptr(dy_)});
    head_.backward(head_cache_, dy_, dh_);
    cell_.backward(cell_cache_, dh_, nullptr, dx_, dh_prev_, dc_prev_);
  }

  /// Stores the visited samples' new (h, c).
  void commit() {
    if (slots_.size() == 0) return;
    B::scatter_rows(h_all_, slots_, h_out_);
    B::scatter_rows(c_all_, slots_, c_out_);
  }

  template <class F>
  void visit_parameters(F&& f) {
    cell_.visit_parameters(f);
    head_.visit_parameters(f);
  }
  void reset(std::uint64_t seed) {
    cell_.reset(random::derive_seed(seed, "sgdl-lstm-cell"));
    head_.reset(random::derive_seed(seed, "sgdl-lstm-head"));
    B::fill(h_all_, scalar(0));
    B::fill(c_all_, scalar(0));
  }

 private:
  nn::LSTMCell<B> cell_;
  nn::Dense<B> head_;
  typename nn::LSTMCell<B>::cache cell_cache_;
  typename nn::Dense<B>::cache head_cache_;
  matrix h_all_, c_all_;
  typename B::index_vector slots_;
  matrix h_in_, c_in_, h_out_, c_out_, y_, dy_, dh_, dx_, dh_prev_, dc_prev_;
};

}  // namespace sgdl
}  // namespace methods
}  // namespace denoise
