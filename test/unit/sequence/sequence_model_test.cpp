// GRU4Rec and SASRec on every CPU backend (double): gradients of every parameter against central
// differences (full softmax and sampled candidates, dropout on and replayed), the causal mask of
// SASRec, the full softmax cross-entropy against hand-computed values, and errors on bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <denoise/data/sequence_windows.hpp>
#include <denoise/losses/softmax_cross_entropy.hpp>
#include <denoise/models/sequence/gru4rec.hpp>
#include <denoise/models/sequence/sasrec.hpp>
#include <denoise/nn/gradient_check.hpp>

#include "support/backend_list.hpp"

using namespace denoise;

namespace {
constexpr index_t kItems = 7;

template <class B>
data::sequence_batch<B> make_batch(std::vector<index_t> items, index_t steps, std::vector<index_t> candidates = {}) {
  data::sequence_host_batch h;
  h.items = std::move(items);
  h.steps = steps;
  const std::size_t n = h.items.size() / static_cast<std::size_t>(steps);
  for (std::size_t b = 0; b < n; ++b) {
    h.targets.push_back(static_cast<index_t>(b % kItems));
    h.users.push_back(static_cast<index_t>(b));
  }
  h.candidates = std::move(candidates);
  data::sequence_batch<B> out;
  data::SequenceWindows::upload(h, out);
  return out;
}

// Three windows of 4 steps; the first two are left-padded (padding id = kItems).
template <class B>
data::sequence_batch<B> windows(std::vector<index_t> candidates = {}) {
  return make_batch<B>({kItems, kItems, 1, 2, kItems, 3, 4, 5, 6, 0, 2, 1}, 4, std::move(candidates));
}

template <class Model>
void check_gradients_of(Model& m, const typename Model::batch_type& batch, std::uint64_t seed) {
  using B = typename Model::backend;
  typename Model::workspace ws;
  typename B::vector logits;
  m.forward(batch, ws, logits);
  typename B::vector c(logits.size());
  B::fill_uniform(c, seed, typename B::scalar(-1), typename B::scalar(1));
  nn::gradient_check_options o;
  o.tolerance = 1e-6;
  o.max_per_parameter = 48;
  const auto r = nn::check_model_gradients(m, batch, c, o);
  BOOST_TEST(r.passed, B::name() << " " << Model::name() << ": " << r.report());
  BOOST_TEST(r.checked > 0u);
}

template <class B>
models::GRU4Rec<B> small_gru4rec(double dropout) {
  models::gru4rec_options o;
  o.embedding = 4;
  o.hidden = 5;
  o.dropout = dropout;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  return models::GRU4Rec<B>(3, kItems, o, 11);
}

template <class B>
models::SASRec<B> small_sasrec(double dropout) {
  models::sasrec_options o;
  o.dim = 4;
  o.heads = 2;
  o.blocks = 2;
  o.dropout = dropout;
  o.max_length = 5;
  o.embedding_init = nn::init::normal(0.0, 0.5);
  return models::SASRec<B>(3, kItems, o, 12);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_models)

DENOISE_TYPED_TEST(gru4rec_gradients, test::backend_list_double) {
  using B = TestType;
  auto m = small_gru4rec<B>(0.3);  // training mode: the mask is drawn once, then replayed
  const auto full = windows<B>();
  check_gradients_of(m, full, 1);
  const auto sampled = windows<B>({2, 0, 5, 4, 1, 6, 1, 3, 3});  // target + 2 negatives each
  check_gradients_of(m, sampled, 2);
  m.eval();
  check_gradients_of(m, full, 3);
}

DENOISE_TYPED_TEST(sasrec_gradients, test::backend_list_double) {
  using B = TestType;
  auto m = small_sasrec<B>(0.3);
  const auto full = windows<B>();
  check_gradients_of(m, full, 4);
  const auto sampled = windows<B>({2, 0, 5, 4, 1, 6, 1, 3, 3});
  check_gradients_of(m, sampled, 5);
  m.eval();
  check_gradients_of(m, full, 6);
}

DENOISE_TYPED_TEST(sasrec_is_causal, test::backend_list_double) {
  using B = TestType;
  auto m = small_sasrec<B>(0.2);
  m.eval();
  // Same windows but for the item at the last position (and, in the third, at position 2).
  const auto a = make_batch<B>({1, 2, 3, 4, 5, 6, 0, 1}, 4);
  const auto b = make_batch<B>({1, 2, 3, 6, 5, 6, 2, 3}, 4);
  typename models::SASRec<B>::workspace wa, wb;
  typename B::vector la, lb;
  m.forward(a, wa, la);
  m.forward(b, wb, lb);
  std::vector<typename B::scalar> oa, ob;
  B::to_host(m.sequence_output(wa), oa);
  B::to_host(m.sequence_output(wb), ob);
  const std::size_t d = 4;
  auto row_diff = [&](std::size_t row) {
    double m2 = 0;
    for (std::size_t k = 0; k < d; ++k) m2 = std::max(m2, std::abs(double(oa[row * d + k]) - double(ob[row * d + k])));
    return m2;
  };
  for (std::size_t t = 0; t < 3; ++t) BOOST_TEST(row_diff(t) == 0.0);  // window 0: positions before the change
  BOOST_TEST(row_diff(3) > 1e-6);                                        // ... the changed position moves
  for (std::size_t t = 0; t < 2; ++t) BOOST_TEST(row_diff(4 + t) == 0.0);
  BOOST_TEST(row_diff(6) > 1e-6);
  BOOST_TEST(row_diff(7) > 1e-6);  // a later position sees the earlier change
}

// Scoring three windows at once must give what each window gives alone (a batch of one needs no
// reordering): guards the time-major order the GRU reads and the last-position rows.
template <class Model>
void check_batch_equals_one_by_one(Model& m) {
  using B = typename Model::backend;
  m.eval();
  const std::vector<index_t> all{kItems, kItems, 1, 2, kItems, 3, 4, 5, 6, 0, 2, 1};
  typename B::matrix together, alone;
  m.score(make_batch<B>(all, 4), together);
  std::vector<typename B::scalar> t, a;
  B::to_host(together, t);
  for (std::ptrdiff_t b = 0; b < 3; ++b) {
    m.score(make_batch<B>(std::vector<index_t>(all.begin() + 4 * b, all.begin() + 4 * b + 4), 4), alone);
    B::to_host(alone, a);
    const auto row = static_cast<std::size_t>(b) * static_cast<std::size_t>(kItems);
    for (std::size_t j = 0; j < a.size(); ++j) BOOST_TEST(t[row + j] == a[j], boost::test_tools::tolerance(1e-12));
  }
}

DENOISE_TYPED_TEST(batch_equals_one_by_one, test::backend_list_double) {
  auto g = small_gru4rec<TestType>(0.3);
  check_batch_equals_one_by_one(g);
  auto s = small_sasrec<TestType>(0.3);
  check_batch_equals_one_by_one(s);
}

DENOISE_TYPED_TEST(score_matches_forward_in_eval_mode, test::backend_list_double) {
  using B = TestType;
  auto g = small_gru4rec<B>(0.5);
  g.eval();
  const auto batch = windows<B>();
  typename models::GRU4Rec<B>::workspace ws;
  typename B::vector logits;
  g.forward(batch, ws, logits);
  typename B::matrix scores;
  g.score(batch, scores);
  BOOST_TEST(scores.rows() == 3);
  BOOST_TEST(scores.cols() == kItems);
  std::vector<typename B::scalar> a, s;
  B::to_host(logits, a);
  B::to_host(scores, s);
  BOOST_TEST(a == s, boost::test_tools::per_element());
}

DENOISE_TYPED_TEST(bad_input_is_an_error, test::backend_list_double) {
  using B = TestType;
  auto m = small_sasrec<B>(0.0);
  auto g = small_gru4rec<B>(0.0);
  typename models::SASRec<B>::workspace ws;
  typename models::GRU4Rec<B>::workspace wg;
  typename B::vector logits;
  const auto too_long = make_batch<B>({1, 2, 3, 4, 5, 6}, 6);  // max_length 5
  BOOST_CHECK_THROW(m.forward(too_long, ws, logits), config_error);
  auto ragged = windows<B>();
  ragged.steps = 5;  // 12 items are not 3 windows of 5
  BOOST_CHECK_THROW(m.forward(ragged, ws, logits), config_error);
  BOOST_CHECK_THROW(g.forward(ragged, wg, logits), config_error);
  const auto outside = make_batch<B>({1, 2, 3, kItems + 1}, 4);
  BOOST_CHECK_THROW(g.forward(outside, wg, logits), std::exception);
  BOOST_CHECK_THROW(g.backward(wg, logits), config_error);  // no successful forward yet
  const auto bad_candidates = windows<B>({1, 2, 3, 4});      // 4 candidates for 3 examples
  BOOST_CHECK_THROW(g.forward(bad_candidates, wg, logits), config_error);
  models::sasrec_options o;
  o.heads = 3;
  BOOST_CHECK_THROW((models::SASRec<B>(3, kItems, o)), config_error);
  models::gru4rec_options q;
  q.dropout = 1.0;
  BOOST_CHECK_THROW((models::GRU4Rec<B>(3, kItems, q)), config_error);
}

DENOISE_TYPED_TEST(softmax_cross_entropy_by_hand, test::backend_list_double) {
  using B = TestType;
  using L = losses::SoftmaxCrossEntropy;
  // Two examples over 3 items: z = [0, ln 2, 0] with target 1, z = [1, 1, 1] with target 2.
  const std::vector<double> z{0, std::log(2.0), 0, 1, 1, 1};
  typename B::vector logits, labels, loss, pred, pos, w, dz;
  B::from_host(std::vector<typename B::scalar>(z.begin(), z.end()), logits);
  B::from_host(std::vector<typename B::scalar>{1, 2}, labels);
  B::from_host(std::vector<typename B::scalar>{1, 0.5}, w);
  const losses::layout l{2, 3};
  L::forward<B>(logits, labels, l, loss, pred, pos);
  std::vector<typename B::scalar> h;
  B::to_host(loss, h);
  BOOST_TEST(h[0] == std::log(2.0), boost::test_tools::tolerance(1e-12));  // softmax = [1/4, 1/2, 1/4]
  BOOST_TEST(h[1] == std::log(3.0), boost::test_tools::tolerance(1e-12));
  B::to_host(pred, h);
  BOOST_TEST(h[0] == 0.5, boost::test_tools::tolerance(1e-12));
  L::backward<B>(logits, labels, l, w, 2.0, dz);
  B::to_host(dz, h);
  const std::vector<double> expect{0.5, -1.0, 0.5, 1.0 / 3, 1.0 / 3, -2.0 / 3};  // scale 2, weights 1 and 0.5
  for (std::size_t j = 0; j < 6; ++j) BOOST_TEST(h[j] == expect[j], boost::test_tools::tolerance(1e-12));
  typename B::vector tan, lt;
  B::from_host(std::vector<typename B::scalar>{1, 0, 0, 0, 0, 1}, tan);
  L::tangent<B>(logits, labels, l, tan, lt);
  B::to_host(lt, h);
  BOOST_TEST(h[0] == 0.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(h[1] == -2.0 / 3, boost::test_tools::tolerance(1e-12));
  typename B::vector bad;
  B::from_host(std::vector<typename B::scalar>{1, 3}, bad);  // item 3 of a row of 3
  BOOST_CHECK_THROW(L::forward<B>(logits, bad, l, loss, pred, pos), config_error);
  BOOST_CHECK_THROW(L::forward<B>(logits, labels, losses::layout{2, 2}, loss, pred, pos), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
