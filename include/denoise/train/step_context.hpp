// step_context: what a step-owning method (SGDL) is given for one mini-batch. The method performs
// the update itself; the standard pieces it may reuse run on the trainer's buffers:
//
//   ctx.forward();                      // logits of the batch on ctx.workspace(), per-sample loss
//   ctx.report(weights, divisor);       // required once per step: the loss the trainer records
//   ctx.backward(weights, divisor);     // gradients of sum_s w_s l_s / divisor on the workspace
//   ctx.update();                       // one optimizer step
//
// Anything else (an assumed update, the loss of another batch at other parameters) uses
// ctx.model() with a workspace of the method's own, so the pending backward is never disturbed.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../nn/parameter.hpp"
#include "batch.hpp"
#include "detail/instance_tracker.hpp"

namespace denoise {
namespace train {
namespace detail {

/// The trainer's per-step buffers and running sums, shared by the step context it hands out.
template <class B>
struct step_buffers {
  typename B::vector logits, loss, prediction, positive, dlogits, weights;
  typename B::index_vector anchor;     ///< device: batch row of each sample's anchor
  std::vector<index_t> host_anchor;    ///< host: the same
  std::vector<offset_t> sample_instance;  ///< host: instance id of each sample (-1: none)
  std::vector<index_t> sample_item;       ///< host: item of each sample's anchor (pair inputs)
  double loss_sum = 0.0, weight_sum = 0.0;
  std::size_t samples = 0;
  bool reported = false;
  double divergence_ratio = 0.0;  ///< trainer_options::divergence_ratio
  double first_loss = -1.0;       ///< the run's first batch loss (negative: not seen yet)
  bool track = true;
  instance_tracker<B> tracker;
};

}  // namespace detail

template <class Model, class Loss, class Optimizer>
class step_context {
 public:
  using backend = typename Model::backend;
  using B = backend;
  using scalar = typename B::scalar;
  using vector = typename B::vector;
  using model_type = Model;
  using loss_type = Loss;
  using optimizer_type = Optimizer;
  using input_type = typename Model::batch_type;
  using batch_type = train::batch<B, input_type>;
  using workspace_type = typename Model::workspace;

  step_context(Model& model, Optimizer& optimizer, const batch_type& batch, workspace_type& workspace,
               detail::step_buffers<B>& buffers, std::size_t epoch, std::uint64_t iteration)
      : model_(model), optimizer_(optimizer), batch_(batch), workspace_(workspace), buf_(buffers), epoch_(epoch),
        iteration_(iteration) {}

  Model& model() noexcept { return model_; }
  Optimizer& optimizer() noexcept { return optimizer_; }
  const batch_type& batch() const noexcept { return batch_; }
  /// The trainer's workspace for this batch (forward() fills it, backward() reads it).
  workspace_type& workspace() noexcept { return workspace_; }
  std::size_t epoch() const noexcept { return epoch_; }          ///< 0-based
  std::uint64_t iteration() const noexcept { return iteration_; }  ///< 0-based over the run
  /// The loss layout of the batch (groups of a positive and its negatives).
  const losses::layout& layout() const noexcept { return batch_.layout; }
  std::size_t samples() const noexcept { return Loss::sample_count(batch_.layout); }

  /// logits = model(batch) on workspace(); per-sample loss, prediction and positive flag.
  void forward() {
    model_.forward(batch_.input, workspace_, buf_.logits);
    Loss::template forward<B>(buf_.logits, batch_.labels, batch_.layout, buf_.loss, buf_.prediction, buf_.positive);
  }
  const vector& logits() const noexcept { return buf_.logits; }
  const vector& loss() const noexcept { return buf_.loss; }
  const vector& prediction() const noexcept { return buf_.prediction; }
  const vector& positive() const noexcept { return buf_.positive; }
  /// Device: the batch row each loss sample is about (its anchor); host: sample_instance().
  const typename B::index_vector& anchor() const noexcept { return buf_.anchor; }
  const std::vector<offset_t>& sample_instance() const noexcept { return buf_.sample_instance; }

  /// Zeroes the gradients, then accumulates those of sum_s weights_s loss_s / divisor through the
  /// model's backward on workspace() (forward() must have run on this batch).
  void backward(const vector& weights, scalar divisor) {
    B::require_same_size(weights.size(), buf_.loss.size(), "step_context::backward weights");
    nn::zero_grad<B>(model_);
    const scalar scale = divisor > scalar(0) ? scalar(1) / divisor : scalar(0);
    Loss::template backward<B>(buf_.logits, batch_.labels, batch_.layout, weights, scale, buf_.dlogits);
    model_.backward(workspace_, buf_.dlogits);
  }

  /// One optimizer step on the accumulated gradients.
  void update() { optimizer_.step(model_); }

  /// Records the step's per-sample weights and the current loss() for the epoch's training loss
  /// and the per-instance tracking; stops with divergence_error when the weighted loss is not finite.
  void report(const vector& weights, scalar divisor) {
    B::require_same_size(weights.size(), buf_.loss.size(), "step_context::report weights");
    const double weighted = static_cast<double>(B::dot(weights, buf_.loss));
    if (!std::isfinite(weighted)) {
      throw divergence_error("the training loss is not finite at epoch " + std::to_string(epoch_ + 1) +
                                 ", iteration " + std::to_string(iteration_ + 1) +
                                 " (lower the learning rate or check the data)",
                             location::of_field("loss"));
    }
    const double batch_loss = divisor > scalar(0) ? weighted / static_cast<double>(divisor) : 0.0;
    if (buf_.first_loss < 0.0) {
      buf_.first_loss = batch_loss;
    } else if (buf_.divergence_ratio > 0.0 && buf_.first_loss > 1e-12 &&
               batch_loss > buf_.divergence_ratio * buf_.first_loss) {
      throw divergence_error("the training loss grew from " + std::to_string(buf_.first_loss) +
                                 " (first batch) to " + std::to_string(batch_loss) + " at epoch " +
                                 std::to_string(epoch_ + 1) + ", iteration " + std::to_string(iteration_ + 1) +
                                 ": the run diverged (lower the learning rate)",
                             location::of_field("learning_rate"));
    }
    buf_.loss_sum += weighted;
    buf_.weight_sum += static_cast<double>(divisor);
    buf_.samples += buf_.loss.size();
    if (buf_.track) buf_.tracker.add(buf_.sample_instance, weights, buf_.loss);
    buf_.reported = true;
  }

 private:
  Model& model_;
  Optimizer& optimizer_;
  const batch_type& batch_;
  workspace_type& workspace_;
  detail::step_buffers<B>& buf_;
  std::size_t epoch_;
  std::uint64_t iteration_;
};

}  // namespace train
}  // namespace denoise
