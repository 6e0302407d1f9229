// SGDL's memorization test on hand-built rankings: an MF with identity item embeddings, so each
// user's score row is its own embedding, set by hand; the paper and code profiles, the history
// rules over several epochs, precision/recall, and the errors. Every CPU backend.
#include "support/backend_list.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <denoise/data/interactions.hpp>
#include <denoise/methods/sgdl/memorization.hpp>
#include <denoise/models/mf.hpp>

namespace sg = denoise::methods::sgdl;
using denoise::index_t;
using denoise::test::backend_list_double;

namespace {

template <class B>
denoise::models::MF<B> identity_mf(index_t users, index_t items) {
  denoise::models::mf_options o;
  o.factor = items;
  o.user_bias = o.item_bias = o.global_bias = false;
  denoise::models::MF<B> m(users, items, o, 1);
  std::vector<typename B::scalar> eye(static_cast<std::size_t>(items) * static_cast<std::size_t>(items), 0);
  for (index_t j = 0; j < items; ++j) eye[static_cast<std::size_t>(j) * static_cast<std::size_t>(items + 1)] = 1;
  B::from_host(eye, items, items, m.item_embedding().table());
  return m;
}

// score(u, j) = rows[u][j]
template <class B>
void set_scores(denoise::models::MF<B>& m, const std::vector<std::vector<double>>& rows) {
  std::vector<typename B::scalar> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  B::from_host(flat, static_cast<index_t>(rows.size()), static_cast<index_t>(rows[0].size()), m.user_embedding().table());
}

struct row {
  index_t user, item;
  float label;
  bool noisy;
};

denoise::data::Interactions make(index_t users, index_t items, const std::vector<row>& rows) {
  denoise::data::Interactions d;
  for (index_t u = 0; u < users; ++u) d.add_user(u);
  for (index_t i = 0; i < items; ++i) d.add_item(i);
  for (const auto& r : rows) d.push_back(r.user, r.item, r.label, 0.0f, 0, r.noisy);
  return d;
}

// Six items, six users (u4 has only a label-0 row, u5 none). Score rows and the top N_u:
//  u0 positives {1,3,4}, [.1 .9 .1 .8 .3 .1]: every non-positive below -> all three memorized (both profiles)
//  u1 positives {0,5},   [.2 .6 .6 .6 .6 .7]: paper top 2 = {5, 1}; code [.2 .7 | .6 .6] top 2 = {.7, .6}
//                        -> item 5 memorized, item 0 not (both profiles)
//  u2 positive  {2},     all .3: paper top 1 = item 0 (ties to the lower id) -> not memorized;
//                        code [.3 | .3] -> the positive wins the tie -> memorized
//  u3 positives {0..4},  [.5 .4 .3 .2 .1 .95]: paper top 5 = {5,0,1,2,3} -> 0..3 memorized, 4 not;
//                        code: the only outside item 5 is drawn five times (duplicates allowed) and
//                        fills the top 5 -> none memorized
const std::vector<std::vector<double>> hand_scores{
    {.1, .9, .1, .8, .3, .1}, {.2, .6, .6, .6, .6, .7}, {.3, .3, .3, .3, .3, .3},
    {.5, .4, .3, .2, .1, .95}, {0, 0, 0, 0, 0, 0},      {0, 0, 0, 0, 0, 0}};
// Rows deliberately not grouped by user; instance id = position.
const std::vector<row> hand_rows{
    {1, 5, 1, false},  // 0
    {0, 1, 1, false},  // 1
    {3, 0, 1, false},  // 2
    {2, 2, 1, true},   // 3
    {0, 3, 1, false},  // 4
    {3, 1, 1, false},  // 5
    {4, 0, 0, false},  // 6  label 0: not a positive, never tested
    {3, 2, 1, false},  // 7
    {1, 0, 1, true},   // 8
    {0, 4, 1, true},   // 9
    {3, 3, 1, true},   // 10
    {3, 4, 1, false},  // 11
};
const std::vector<std::uint8_t> paper_states{1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0};
const std::vector<std::uint8_t> code_states{1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0};

std::vector<std::uint8_t> noisy_flags(const std::vector<row>& rows) {
  std::vector<std::uint8_t> out;
  for (const auto& r : rows) out.push_back(r.noisy ? 1 : 0);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sgdl_memorization)

BOOST_AUTO_TEST_CASE(nth_non_positive_walks_the_complement) {
  const std::vector<index_t> positives{2, 3, 7};  // of 10 items: the rest is 0 1 4 5 6 8 9
  const std::vector<index_t> expect{0, 1, 4, 5, 6, 8, 9};
  for (index_t j = 0; j < 7; ++j) BOOST_TEST(sg::detail::nth_non_positive(positives, j) == expect[static_cast<std::size_t>(j)]);
  const std::vector<index_t> none;
  BOOST_TEST(sg::detail::nth_non_positive(none, 4) == 4);
}

DENOISE_TYPED_TEST(paper_profile_ranks_over_all_items, backend_list_double) {
  using B = TestType;
  auto model = identity_mf<B>(6, 6);
  set_scores<B>(model, hand_scores);
  const auto train = make(6, 6, hand_rows);
  for (index_t block : {256, 1, 2}) {  // the result does not depend on how users are blocked
    sg::Memorization<B> mem(train.size(), 1, sg::memorization_profile::paper, block);
    model.train(true);
    mem.update(model, train, 0, 42);
    BOOST_TEST(model.training());  // restored after the test ran in eval mode
    BOOST_TEST(mem.last_test() == paper_states, boost::test_tools::per_element());
    BOOST_TEST(mem.memorized() == paper_states, boost::test_tools::per_element());  // h = 1
    BOOST_TEST(mem.memorized_count() == 8u);
    BOOST_TEST(mem.share() == 8.0 / 12.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(mem.tested()[6] == 0);
  }
  sg::Memorization<B> mem(train.size(), 1);
  model.eval();
  mem.update(model, train, 3, 42);
  BOOST_TEST(!model.training());  // an eval-mode model stays in eval mode
}

DENOISE_TYPED_TEST(code_profile_ranks_positives_against_sampled_negatives, backend_list_double) {
  using B = TestType;
  auto model = identity_mf<B>(6, 6);
  set_scores<B>(model, hand_scores);
  const auto train = make(6, 6, hand_rows);
  for (std::uint64_t seed : {1u, 2u, 3u}) {  // every case above is seed-independent
    sg::Memorization<B> mem(train.size(), 1, sg::memorization_profile::code);
    mem.update(model, train, 0, seed);
    BOOST_TEST(mem.last_test() == code_states, boost::test_tools::per_element());
    BOOST_TEST(mem.memorized() == code_states, boost::test_tools::per_element());  // h = 1: sum >= 1/2
    BOOST_TEST(mem.memorized_count() == 5u);
  }
}

// The code profile's negatives are uniform over the items outside the positives: 400 users, each
// with positive item 0 (score .5) among 10 items, items 1-3 scoring .9 and 4-9 scoring .1. The one
// negative lands below the positive with probability 6/9, and so the positive is memorized.
DENOISE_TYPED_TEST(code_profile_negatives_are_uniform_outside_the_positives, backend_list_double) {
  using B = TestType;
  const index_t users = 400, items = 10;
  auto model = identity_mf<B>(users, items);
  std::vector<std::vector<double>> scores(static_cast<std::size_t>(users),
                                          {.5, .9, .9, .9, .1, .1, .1, .1, .1, .1});
  set_scores<B>(model, scores);
  std::vector<row> rows;
  for (index_t u = 0; u < users; ++u) rows.push_back({u, 0, 1, false});
  const auto train = make(users, items, rows);
  sg::Memorization<B> mem(train.size(), 1, sg::memorization_profile::code, 64);
  mem.update(model, train, 0, 9);
  const double share = mem.share();
  BOOST_TEST(share == 6.0 / 9.0, boost::test_tools::tolerance(0.15));  // sd 0.024: about 4 sd
  // Same seed and epoch, same draws; another epoch, other draws.
  sg::Memorization<B> again(train.size(), 1, sg::memorization_profile::code, 7);
  again.update(model, train, 0, 9);
  BOOST_TEST(again.last_test() == mem.last_test(), boost::test_tools::per_element());
  again.update(model, train, 1, 9);
  BOOST_TEST(again.last_test() != mem.last_test());
}

// The history rules on one positive per user (item 0 of 2 items): user u's state at test t is
// seq[u][t], set through its score row. Expected memorized flags worked out per rule.
DENOISE_TYPED_TEST(history_rules_over_epochs, backend_list_double) {
  using B = TestType;
  const std::vector<std::vector<std::uint8_t>> seq{
      {1, 0, 0, 1, 1, 1},  // u0
      {1, 1, 1, 1, 1, 1},  // u1
      {0, 1, 1, 0, 0, 0},  // u2
      {0, 0, 1, 1, 0, 1},  // u3
  };
  // paper, h = 3: memorized iff the mean of the last min(t, 3) states > 0.5
  //   u0: [1]=1 ✓, [1,0] .5 ✗, [1,0,0] ✗, [0,0,1] ✗, [0,1,1] ✓, [1,1,1] ✓
  //   u1: always ✓
  //   u2: [0] ✗, [0,1] ✗, [0,1,1] ✓, [1,1,0] ✓, [1,0,0] ✗, [0,0,0] ✗
  //   u3: ✗, ✗, [0,0,1] ✗, [0,1,1] ✓, [1,1,0] ✓, [1,0,1] ✓
  const std::vector<std::vector<std::uint8_t>> paper_h3{
      {1, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, 1}, {1, 1, 0, 1}, {1, 1, 0, 1}};
  // code, h = 3: zero ring, memorized iff sum >= 1.5, i.e. >= 2
  //   u0: sums 1,1,1,1,2,3 -> ✗✗✗✗✓✓    u1: 1,2,3,3,3,3 -> ✗✓✓✓✓✓
  //   u2: 0,1,2,2,1,0 -> ✗✗✓✓✗✗         u3: 0,0,1,2,2,2 -> ✗✗✗✓✓✓
  const std::vector<std::vector<std::uint8_t>> code_h3{
      {0, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, 1}, {1, 1, 0, 1}, {1, 1, 0, 1}};
  // code, h = 4: memorized iff sum >= 2 of a zero ring of 4
  //   u0: 1,1,1,2,2,3 -> ✗✗✗✓✓✓         u1: 1,2,3,4,4,4 -> ✗✓✓✓✓✓
  //   u2: 0,1,2,2,2,1 -> ✗✗✓✓✓✗         u3: 0,0,1,2,2,3 -> ✗✗✗✓✓✓
  const std::vector<std::vector<std::uint8_t>> code_h4{
      {0, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 0, 1}};
  // paper, h = 4: mean of the last min(t, 4) > 0.5
  //   u0: [1] ✓, [1,0] ✗, [1,0,0] ✗, [1,0,0,1] ✗, [0,0,1,1] ✗, [0,1,1,1] ✓
  //   u2: ✗, ✗ (.5), [0,1,1] ✓, [0,1,1,0] ✗, [1,1,0,0] ✗, [1,0,0,0] ✗
  //   u3: ✗, ✗, ✗, [0,0,1,1] ✗, [0,1,1,0] ✗, [1,1,0,1] ✓
  const std::vector<std::vector<std::uint8_t>> paper_h4{
      {1, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 1}};

  const index_t users = 4;
  auto model = identity_mf<B>(users, 2);
  std::vector<row> rows;
  for (index_t u = 0; u < users; ++u) rows.push_back({u, 0, 1, false});
  const auto train = make(users, 2, rows);
  const auto run = [&](sg::memorization_profile profile, std::size_t h,
                       const std::vector<std::vector<std::uint8_t>>& expect) {
    sg::Memorization<B> mem(train.size(), h, profile);
    for (std::size_t t = 0; t < 6; ++t) {
      std::vector<std::vector<double>> scores;
      for (index_t u = 0; u < users; ++u) {
        const bool on = seq[static_cast<std::size_t>(u)][t] != 0;
        scores.push_back(on ? std::vector<double>{1.0, 0.0} : std::vector<double>{0.0, 1.0});
      }
      set_scores<B>(model, scores);
      mem.update(model, train, t + 1, 5);
      BOOST_TEST(mem.memorized() == expect[t], boost::test_tools::per_element());
    }
  };
  run(sg::memorization_profile::paper, 3, paper_h3);
  run(sg::memorization_profile::code, 3, code_h3);
  run(sg::memorization_profile::code, 4, code_h4);
  run(sg::memorization_profile::paper, 4, paper_h4);
}

// The code ring memorizes nothing before the ceil(h/2)-th test, even when every state is 1.
DENOISE_TYPED_TEST(code_ring_waits_for_half_the_history, backend_list_double) {
  using B = TestType;
  auto model = identity_mf<B>(1, 2);
  set_scores<B>(model, {{1.0, 0.0}});
  const auto train = make(1, 2, {{0, 0, 1, false}});
  for (std::size_t h : {1u, 2u, 5u, 10u}) {
    sg::Memorization<B> code(1, h, sg::memorization_profile::code);
    sg::Memorization<B> paper(1, h, sg::memorization_profile::paper);
    const std::size_t first = (h + 1) / 2;
    for (std::size_t t = 1; t <= h + 1; ++t) {
      code.update(model, train, t, 0);
      paper.update(model, train, t, 0);
      BOOST_TEST(code.memorized_count() == (t >= first ? 1u : 0u));
      BOOST_TEST(paper.memorized_count() == 1u);
    }
  }
}

// Precision and recall against the noise flags, by hand on the paper case (h = 1):
// memorized {0,1,2,4,5,7,9,10}; noisy {3,8,9,10}; tested = every row but 6.
// precision = clean memorized / memorized = |{0,1,2,4,5,7}| / 8 = 0.75
// recall = clean memorized / tested clean = 6 / |{0,1,2,4,5,7,11}| = 6/7
DENOISE_TYPED_TEST(precision_and_recall_by_hand, backend_list_double) {
  using B = TestType;
  auto model = identity_mf<B>(6, 6);
  set_scores<B>(model, hand_scores);
  const auto train = make(6, 6, hand_rows);
  sg::Memorization<B> mem(train.size(), 1);
  const auto flags = noisy_flags(hand_rows);
  const auto before = mem.precision_recall(flags);
  BOOST_TEST(before.first == 0.0);  // nothing memorized, nothing tested yet
  BOOST_TEST(before.second == 0.0);
  mem.update(model, train, 0, 0);
  const auto pr = mem.precision_recall(flags);
  BOOST_TEST(pr.first == 0.75, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(pr.second == 6.0 / 7.0, boost::test_tools::tolerance(1e-12));
  // code profile: memorized {0,1,3,4,9}; clean among them {0,1,4} -> 3/5; recall 3/7
  sg::Memorization<B> code(train.size(), 1, sg::memorization_profile::code);
  code.update(model, train, 0, 0);
  const auto cpr = code.precision_recall(flags);
  BOOST_TEST(cpr.first == 0.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(cpr.second == 3.0 / 7.0, boost::test_tools::tolerance(1e-12));
}

DENOISE_TYPED_TEST(misuse_is_a_named_error, backend_list_double) {
  using B = TestType;
  const auto field_is = [](const char* f) { return [f](const denoise::error& e) { return e.field() == f; }; };
  BOOST_CHECK_EXCEPTION(sg::Memorization<B>(0, 3), denoise::config_error, field_is("instances"));
  BOOST_CHECK_EXCEPTION(sg::Memorization<B>(5, 0), denoise::config_error, field_is("history"));
  BOOST_CHECK_EXCEPTION(sg::Memorization<B>(5, 3, sg::memorization_profile::paper, 0), denoise::config_error,
                        field_is("block_users"));
  auto model = identity_mf<B>(6, 6);
  set_scores<B>(model, hand_scores);
  const auto train = make(6, 6, hand_rows);
  sg::Memorization<B> mem(train.size(), 2);
  mem.update(model, train, 4, 0);
  BOOST_CHECK_EXCEPTION(mem.update(model, train, 4, 0), denoise::config_error, field_is("epoch"));
  BOOST_CHECK_EXCEPTION(mem.precision_recall(std::vector<std::uint8_t>(3, 0)), denoise::input_error,
                        field_is("noisy_flags"));
  sg::Memorization<B> small(5, 2);  // instance ids go up to 11
  BOOST_CHECK_EXCEPTION(small.update(model, train, 0, 0), denoise::input_error, field_is("instance"));
  auto narrow = identity_mf<B>(6, 4);  // scores 4 items, the data has 6
  sg::Memorization<B> fresh(train.size(), 2);
  BOOST_CHECK_EXCEPTION(fresh.update(narrow, train, 0, 0), denoise::config_error, field_is("train"));
  auto diverged = hand_scores;
  diverged[3][2] = std::nan("");
  set_scores<B>(model, diverged);
  model.train(true);
  BOOST_CHECK_EXCEPTION(fresh.update(model, train, 0, 0), denoise::divergence_error, field_is("scores"));
  BOOST_TEST(model.training());  // restored on the error path too
}

BOOST_AUTO_TEST_SUITE_END()
