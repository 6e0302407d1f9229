// Training paths: MF and GMF fit a tiny synthetic matrix with Adam and BCE gradients (in float,
// on every CPU backend); every model's score() and features() leave a pending backward intact.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/models/models.hpp>
#include <denoise/nn/optim/adam.hpp>

#include "model_checks.hpp"
#include "support/backend_list.hpp"

using namespace denoise;
using namespace denoise::test;

namespace {

/// Labels of a rank-2 sign pattern: y(u, i) = [a_u · b_i > 0], every pair of users x items.
struct toy_matrix {
  index_t users = 24, items = 18;
  std::vector<index_t> u, i;
  std::vector<double> y;
  toy_matrix() {
    random::counter_stream s(42);
    std::vector<double> a(static_cast<std::size_t>(users) * 2), b(static_cast<std::size_t>(items) * 2);
    for (std::size_t k = 0; k < a.size(); ++k) a[k] = s.normal<double>(k);
    for (std::size_t k = 0; k < b.size(); ++k) b[k] = s.normal<double>(1000 + k);
    for (index_t uu = 0; uu < users; ++uu) {
      for (index_t ii = 0; ii < items; ++ii) {
        const auto pu = static_cast<std::size_t>(uu) * 2, pi = static_cast<std::size_t>(ii) * 2;
        u.push_back(uu);
        i.push_back(ii);
        y.push_back(a[pu] * b[pi] + a[pu + 1] * b[pi + 1] > 0 ? 1.0 : 0.0);
      }
    }
  }
};

/// Mean BCE of the model on the whole matrix after `steps` full-batch Adam steps, and before.
template <class Model>
std::pair<double, double> fit(Model& model, const toy_matrix& data, int steps) {
  using B = typename Model::backend;
  using S = typename B::scalar;
  const auto users = to_index<B>(data.u);
  const auto items = to_index<B>(data.i);
  nn::adam_options ao;
  ao.lr = 0.05;
  nn::Adam<B> adam(ao);
  typename B::vector logits, dlogits;
  std::vector<S> g(data.y.size());
  double first = 0.0, last = 0.0;
  for (int step = 0; step <= steps; ++step) {
    model.forward(users, items, logits);
    const auto z = host_of<B>(logits);
    double loss = 0.0;
    for (std::size_t n = 0; n < z.size(); ++n) {
      const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(z[n])));
      loss -= data.y[n] * std::log(std::max(p, 1e-12)) + (1.0 - data.y[n]) * std::log(std::max(1.0 - p, 1e-12));
      g[n] = static_cast<S>((p - data.y[n]) / static_cast<double>(z.size()));
    }
    loss /= static_cast<double>(z.size());
    if (step == 0) first = loss;
    last = loss;
    if (step == steps) break;
    B::from_host(g, dlogits);
    nn::zero_grad<B>(model);
    model.backward(dlogits);
    adam.step(model);
  }
  return {first, last};
}

template <class Model>
void check_score_leaves_backward_intact(Model& model) {
  using B = typename Model::backend;
  std::vector<index_t> hu, hi;
  random_pairs(model.users(), model.items(), 12, 8, hu, hi);
  const auto u = to_index<B>(hu);
  const auto i = to_index<B>(hi);
  std::vector<typename B::scalar> hc(12, typename B::scalar(0.5));
  hc[3] = -1;
  const auto c = to_vector<B>(hc);
  typename B::vector logits;
  auto grads = [&](bool interleave) {
    nn::zero_grad<B>(model);
    model.forward(u, i, logits);
    if (interleave) {
      typename B::matrix scores, features;
      model.score(to_index<B>({1, 0}), scores);
      model.features(to_index<B>({0}), to_index<B>({2}), features);
    }
    model.backward(c);
    std::vector<std::vector<typename B::scalar>> out;
    model.visit_parameters([&](nn::param_ref<B> p) { out.push_back(host_of<B>(p.grad.values())); });
    return out;
  };
  model.eval();  // deterministic forwards
  BOOST_TEST((grads(false) == grads(true)), Model::name() << ": score() or features() disturbed backward()");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_learning)

DENOISE_TYPED_TEST(mf_and_gmf_fit_a_small_matrix, backend_list_float) {
  using B = TestType;
  const toy_matrix data;
  models::gmf_options go;
  go.factor = 8;
  go.embedding_init = nn::init::normal(0.0, 0.1);
  models::GMF<B> gmf(data.users, data.items, go, 1);
  const auto g = fit(gmf, data, 300);
  BOOST_TEST(g.second < 0.25 * g.first, "GMF: loss " << g.first << " -> " << g.second);
  models::mf_options mo;
  mo.factor = 8;
  mo.embedding_init = nn::init::normal(0.0, 0.1);
  models::MF<B> mf(data.users, data.items, mo, 1);
  const auto m = fit(mf, data, 300);
  BOOST_TEST(m.second < 0.25 * m.first, "MF: loss " << m.first << " -> " << m.second);
}

BOOST_AUTO_TEST_CASE(training_is_bit_reproducible) {
  using B = backends::Eigen<float>;
  const toy_matrix data;
  models::neumf_options o;
  o.factor = 4;
  o.dropout = 0.2;
  models::NeuMF<B> a(data.users, data.items, o, 5), b(data.users, data.items, o, 5);
  const auto ra = fit(a, data, 20);
  const auto rb = fit(b, data, 20);
  BOOST_TEST(ra.second == rb.second);
  BOOST_TEST(ra.second < ra.first);
}

BOOST_AUTO_TEST_CASE(score_and_features_leave_a_pending_backward_intact) {
  using B = backends::Eigen<double>;
  models::MF<B> mf(5, 7);
  check_score_leaves_backward_intact(mf);
  models::GMF<B> gmf(5, 7);
  check_score_leaves_backward_intact(gmf);
  models::neumf_options no;
  no.factor = 4;
  models::NeuMF<B> neumf(5, 7, no);
  check_score_leaves_backward_intact(neumf);
  const std::vector<offset_t> offsets{0, 2, 3, 3, 5, 6};
  const std::vector<index_t> items{1, 4, 0, 2, 6, 3};
  models::cdae_options co;
  co.hidden = 6;
  co.user_items = csr_view{{offsets.data(), offsets.size()}, {items.data(), items.size()}};
  models::CDAE<B> cdae(5, 7, co);
  check_score_leaves_backward_intact(cdae);
}

BOOST_AUTO_TEST_SUITE_END()
