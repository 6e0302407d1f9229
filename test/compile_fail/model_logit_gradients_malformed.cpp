// A model whose optional logit_gradients() has the wrong signature is named, not silently sent
// down per_sample's brute-force path.
// expect: denoise: Model::logit_gradients must be 'void logit_gradients
#include <denoise/backends/eigen.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/nn/logit_gradients.hpp>

#include <vector>

namespace {

using B = denoise::backends::Eigen<double>;

struct mf_with_hook : denoise::models::MF<B> {
  using denoise::models::MF<B>::MF;
#if defined(DENOISE_SHOULD_FAIL)
  void logit_gradients(const workspace&, std::vector<double>&) {}  // the out parameter is wrong
#else
  void logit_gradients(const workspace&, denoise::nn::logit_gradients<B>&) {}
#endif
};

static_assert(denoise::nn::check_logit_gradients<mf_with_hook>(), "");

}  // namespace
