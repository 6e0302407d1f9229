// Classification: the Evaluator of click-through-rate prediction. Scores every labelled row of
// the target (model.forward in evaluation mode, on its own workspace; pair models here, the
// field-row models of the CTR family the same way) and reports the AUC over all
// rows and the LogLoss of sigmoid(logit). The target's labels must contain both classes.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../data/batch.hpp"
#include "../../data/batcher.hpp"
#include "../../data/interactions.hpp"
#include "../../data/pair_batch.hpp"
#include "../../metrics/auc.hpp"
#include "../../metrics/log_loss.hpp"
#include "../../metrics/metric_value.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {
namespace evaluators {

/// Labelled rows to classify (label 1 / 0).
struct classification_target {
  const data::Interactions* rows = nullptr;
};

struct classification_result {
  double auc = 0.0;
  double log_loss = 0.0;
  std::size_t rows = 0;
  metrics::metric_list metrics() const { return {{"auc", auc}, {"logloss", log_loss}}; }
};

struct Classification {
  using target_type = classification_target;
  using result_type = classification_result;
  static constexpr const char* name() { return "classification"; }

  template <class B>
  class State {
   public:
    State(const Classification& /*policy*/, const trainer_options& options) : batch_rows_(options.batch_size * 4) {}

    template <class Model>
    result_type evaluate(Model& model, const target_type& target) {
      if (target.rows == nullptr || target.rows->size() == 0) {
        throw config_error("the classification target has no rows", location::of_field("validation"));
      }
      const bool was_training = model.training();
      model.eval();
      typename Model::workspace workspace;  // once per evaluation: a pending training step is untouched
      data::Batcher batcher(*target.rows, batch_rows_, data::Order::fixed);
      scores_.clear();
      labels_.clear();
      while (batcher.next(host_)) {
        B::from_host(host_.user_buffer, input_.users);
        B::from_host(host_.item_buffer, input_.items);
        model.forward(input_, workspace, logits_);
        B::to_host(logits_, host_logits_);
        for (std::size_t r = 0; r < host_.size(); ++r) {
          scores_.push_back(static_cast<float>(host_logits_[r]));
          labels_.push_back(host_.label_buffer[r] > 0.0f ? 1.0f : 0.0f);
        }
      }
      model.train(was_training);
      probabilities_.resize(scores_.size());
      for (std::size_t i = 0; i < scores_.size(); ++i) probabilities_[i] = sigmoid(scores_[i]);
      result_type r;
      r.rows = scores_.size();
      r.auc = metrics::auc(span<const float>(scores_), span<const float>(labels_));
      r.log_loss = metrics::log_loss(span<const float>(probabilities_), span<const float>(labels_));
      return r;
    }

   private:
    static float sigmoid(float z) noexcept {
      return z >= 0.0f ? 1.0f / (1.0f + std::exp(-z)) : std::exp(z) / (1.0f + std::exp(z));
    }

    std::size_t batch_rows_;
    data::Batch host_;
    data::pair_batch<B> input_;
    typename B::vector logits_;
    std::vector<typename B::scalar> host_logits_;
    std::vector<float> scores_, labels_, probabilities_;
  };
};

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
