// A user-written Optimizer without step(Model&) is rejected with the Optimizer policy's message.
// expect: denoise: an Optimizer policy needs 'template <class Model> void step\(Model&\)'
#include <denoise/backends/eigen.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/nn/optim/static_checks.hpp>
#include <denoise/nn/parameter.hpp>

#include <cstdint>

namespace {

// Plain gradient descent written by a user; the _ko build leaves out its step().
template <class B>
class descent {
 public:
  explicit descent(double lr) : lr_(lr) {}
#if !defined(DENOISE_SHOULD_FAIL)
  template <class Model>
  void step(Model& model) {
    model.visit_parameters([&](denoise::nn::param_ref<B> p) {
      B::axpy(static_cast<typename B::scalar>(-lr_), p.grad, p.value);
    });
    ++steps_;
  }
#endif
  void reset() { steps_ = 0; }
  void set_lr(double lr) { lr_ = lr; }
  std::uint64_t steps() const { return steps_; }

 private:
  double lr_;
  std::uint64_t steps_ = 0;
};

using B = denoise::backends::Eigen<float>;
static_assert(denoise::nn::check_optimizer<descent<B>, denoise::models::GMF<B>>(), "");

}  // namespace
