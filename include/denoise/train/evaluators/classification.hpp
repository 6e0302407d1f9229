// Classification: the Evaluator of click-through-rate prediction. Scores every labelled row of
// the target (model.forward in evaluation mode, on its own workspace): labelled pairs
// (target.rows) for pair models, feature-field rows (target.fields) for the CTR models
// (batch kind data::fields_tag); it reports the AUC over all
// rows and the LogLoss of sigmoid(logit). The target's labels must contain both classes.
#pragma once

#include <cmath>
#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/span.hpp"
#include "../../data/batch.hpp"
#include "../../data/batcher.hpp"
#include "../../data/field_batch.hpp"
#include "../../data/field_dataset.hpp"
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
  const data::Interactions* rows = nullptr;  ///< for pair models
  const data::FieldDataset* fields = nullptr;  ///< for field-row (CTR) models
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
      if constexpr (std::is_same<typename Model::batch_type::kind, data::fields_tag>::value) {
        return evaluate_fields(model, target);
      } else {
        return evaluate_pairs(model, target);
      }
    }

   private:
    template <class Model>
    result_type evaluate_fields(Model& model, const target_type& target) {
      if (target.fields == nullptr || target.fields->size() == 0) {
        throw config_error("the classification target has no field rows", location::of_field("validation"));
      }
      const data::FieldDataset& d = *target.fields;
      const bool was_training = model.training();
      model.eval();
      typename Model::workspace workspace;
      const auto offsets = data::field_offsets(d.cardinalities());
      const std::size_t nf = d.n_fields();
      const auto labels = d.labels();
      scores_.clear();
      labels_.clear();
      for (std::size_t first = 0; first < d.size(); first += batch_rows_) {
        const std::size_t n = std::min(batch_rows_, d.size() - first);
        host_index_.resize(n * nf);
        for (std::size_t k = 0; k < n; ++k) {
          const auto codes = d.row(first + k);
          for (std::size_t f = 0; f < nf; ++f) host_index_[k * nf + f] = codes[f] + offsets[f];
        }
        B::from_host(host_index_, fields_.index);
        fields_.fields = static_cast<index_t>(nf);
        model.forward(fields_, workspace, logits_);
        B::to_host(logits_, host_logits_);
        for (std::size_t k = 0; k < n; ++k) {
          scores_.push_back(static_cast<float>(host_logits_[k]));
          labels_.push_back(labels[first + k] > 0.0f ? 1.0f : 0.0f);
        }
      }
      model.train(was_training);
      return finish();
    }

    template <class Model>
    result_type evaluate_pairs(Model& model, const target_type& target) {
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
      return finish();
    }

    result_type finish() {
      probabilities_.resize(scores_.size());
      for (std::size_t i = 0; i < scores_.size(); ++i) probabilities_[i] = sigmoid(scores_[i]);
      result_type r;
      r.rows = scores_.size();
      r.auc = metrics::auc(span<const float>(scores_), span<const float>(labels_));
      r.log_loss = metrics::log_loss(span<const float>(probabilities_), span<const float>(labels_));
      return r;
    }

    static float sigmoid(float z) noexcept {
      return z >= 0.0f ? 1.0f / (1.0f + std::exp(-z)) : std::exp(z) / (1.0f + std::exp(z));
    }

    std::size_t batch_rows_;
    data::Batch host_;
    data::pair_batch<B> input_;
    data::field_batch<B> fields_;
    std::vector<index_t> host_index_;
    typename B::vector logits_;
    std::vector<typename B::scalar> host_logits_;
    std::vector<float> scores_, labels_, probabilities_;
  };
};

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
