// Ranking: the Evaluator of top-K recommendation. Every user with relevant items scores all items
// (model.score in blocks), leaves out the excluded ones (the training items) and is judged on the
// relevant ones: Recall, NDCG, Precision, F1 and HitRate at each K of trainer_options::ks.
#pragma once

#include "../../core/span.hpp"
#include "../../core/types.hpp"
#include "../../metrics/ranking_evaluator.hpp"
#include "../../metrics/ranking_result.hpp"
#include "../options.hpp"
#include "model_block_scorer.hpp"

namespace denoise {
namespace train {
namespace evaluators {

struct Ranking {
  using target_type = ranking_target;
  using result_type = metrics::ranking_result;
  static constexpr const char* name() { return "ranking"; }

  template <class B>
  class State {
   public:
    State(const Ranking& /*policy*/, const trainer_options& options)
        : evaluator_(metrics::ranking_options{options.ks, options.eval_block_users, 0, metrics::top_k_method::partial}) {}

    /// Ranking metrics of `model` on `target`; the model is in evaluation mode meanwhile.
    template <class Model>
    result_type evaluate(Model& model, const target_type& target) {
      const bool was_training = model.training();
      model.eval();
      auto scorer = [&](span<const index_t> users) { return scorer_(model, users); };
      auto result = evaluator_.evaluate(scorer, model.items(), target.exclude, target.relevant);
      model.train(was_training);
      return result;
    }

   private:
    metrics::ranking_evaluator evaluator_;
    model_block_scorer<B> scorer_;
  };
};

}  // namespace evaluators
}  // namespace train
}  // namespace denoise
