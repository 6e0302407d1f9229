// A user-written Evaluator whose State has no evaluate(model, target) is rejected with the
// Evaluator policy's message.
// expect: denoise: an Evaluator's State<B> needs 'result_type evaluate
#include <denoise/backends/eigen.hpp>
#include <denoise/metrics/metric_value.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/train/evaluators/static_checks.hpp>

namespace {

struct parameter_norm {
  struct target_type {};
  struct result_type {
    double norm = 0.0;
    denoise::metrics::metric_list metrics() const { return {{"norm", norm}}; }
  };
  template <class B>
  class State {
   public:
    State(const parameter_norm&, const denoise::train::trainer_options&) {}
#if !defined(DENOISE_SHOULD_FAIL)
    template <class Model>
    result_type evaluate(Model&, const target_type&) {
      return {};
    }
#endif
  };
};

using B = denoise::backends::Eigen<float>;
static_assert(denoise::train::evaluators::check_evaluator<parameter_norm, B, denoise::models::GMF<B>>(), "");

}  // namespace
