// A user-written Model without a workspace (the pre-workspace contract: forward/backward on the
// model's own caches): check_model must name the missing member and the page.
// expect: denoise: a Model policy needs a nested 'class workspace'.*docs/policies/model.md
#include <denoise/data/pair_batch.hpp>
#include <denoise/models/static_checks.hpp>

#include <cstdint>
#include <vector>

namespace {

struct toy_backend {
  using scalar = float;
  using vector = std::vector<float>;
  using index_vector = std::vector<denoise::index_t>;
  struct matrix {};
};

/// Everything the Model policy asks for except the workspace (and the members that take it).
struct model_base {
  using backend = toy_backend;
  using scalar = float;
  using matrix = toy_backend::matrix;
  using vector = toy_backend::vector;
  using index_vector = toy_backend::index_vector;
  using batch_type = denoise::data::pair_batch<toy_backend>;
  static constexpr const char* name() { return "toy"; }
  model_base(denoise::index_t users, denoise::index_t items, int /*options*/ = 0, std::uint64_t /*seed*/ = 0)
      : users_(users), items_(items) {}
  denoise::index_t users() const noexcept { return users_; }
  denoise::index_t items() const noexcept { return items_; }
  void train(bool on = true) { training_ = on; }
  void eval() { training_ = false; }
  bool training() const noexcept { return training_; }
  void score(const index_vector&, matrix&) {}
  template <class F>
  void visit_parameters(F&&) {}
  void reset(std::uint64_t) {}
  void features(const batch_type&, matrix&) {}
  denoise::index_t feature_dim() const noexcept { return 0; }

  denoise::index_t users_, items_;
  bool training_ = true;
};

struct complete_model : model_base {
  using model_base::model_base;
  struct workspace {
    bool replay = false;
  };
  void forward(const batch_type& b, workspace&, vector& logits) { logits.assign(b.size(), 0.0f); }
  void backward(workspace&, const vector&) {}
};
/// The old contract: forward(users, items, logits) and backward(dlogits) on the model's own caches.
struct model_without_workspace : model_base {
  using model_base::model_base;
  void forward(const index_vector& u, const index_vector&, vector& logits) { logits.assign(u.size(), 0.0f); }
  void backward(const vector&) {}
};

#if defined(DENOISE_SHOULD_FAIL)
using model_under_test = model_without_workspace;
#else
using model_under_test = complete_model;
#endif

static_assert(denoise::models::check_model<model_under_test>(), "");

}  // namespace
