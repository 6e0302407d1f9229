#include <denoise/data/batcher.hpp>
#include <denoise/data/negative_batcher.hpp>
#include <denoise/data/popularity_negative_sampler.hpp>
#include <denoise/data/synthetic.hpp>
#include <denoise/data/uniform_negative_sampler.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace dd = denoise::data;
using denoise::index_t;
using denoise::offset_t;

namespace {
dd::SyntheticData data() {
  dd::SyntheticConfig c;
  c.n_users = 80;
  c.n_items = 200;
  c.negatives_per_user = 2;
  c.seed = 5;
  return dd::make_synthetic(c);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_batcher)

BOOST_AUTO_TEST_CASE(fixed_order_visits_every_instance_in_place_each_epoch) {
  const auto syn = data();
  const auto& d = syn.interactions;
  dd::Batcher b(d, 64);
  BOOST_TEST(b.batches_per_epoch() == (d.size() + 63) / 64);
  for (std::uint64_t epoch = 0; epoch < 2; ++epoch) {
    b.start_epoch(epoch);
    dd::Batch batch;
    std::size_t seen = 0;
    while (b.next(batch)) {
      BOOST_REQUIRE(batch.size() <= 64u);
      for (std::size_t k = 0; k < batch.size(); ++k) {
        BOOST_REQUIRE_EQUAL(batch.instances()[k], static_cast<offset_t>(seen + k));
        BOOST_REQUIRE_EQUAL(batch.users()[k], d.users()[seen + k]);
        BOOST_REQUIRE_EQUAL(batch.labels()[k], d.labels()[seen + k]);
      }
      seen += batch.size();
    }
    BOOST_TEST(seen == d.size());
  }
}

BOOST_AUTO_TEST_CASE(shuffled_order_is_a_seeded_permutation_per_epoch) {
  const auto syn = data();
  const auto& d = syn.interactions;
  dd::Batcher a(d, 50, dd::Order::shuffled, 7), b(d, 50, dd::Order::shuffled, 7);
  std::vector<offset_t> first, second, again;
  dd::Batch batch;
  while (a.next(batch)) first.insert(first.end(), batch.instances().begin(), batch.instances().end());
  a.start_epoch(1);
  while (a.next(batch)) second.insert(second.end(), batch.instances().begin(), batch.instances().end());
  while (b.next(batch)) again.insert(again.end(), batch.instances().begin(), batch.instances().end());
  BOOST_TEST(first == again, boost::test_tools::per_element());
  BOOST_TEST(!(first == second));
  std::sort(second.begin(), second.end());
  for (std::size_t k = 0; k < second.size(); ++k) BOOST_REQUIRE_EQUAL(second[k], static_cast<offset_t>(k));
}

BOOST_AUTO_TEST_CASE(buffers_are_reused_across_batches) {
  const auto syn = data();
  dd::Batcher b(syn.interactions, 32, dd::Order::shuffled, 1);
  dd::Batch batch;
  b.next(batch);
  const index_t* users = batch.users().data();
  const offset_t* inst = batch.instances().data();
  for (int k = 0; k < 5 && b.next(batch); ++k) {
    BOOST_TEST(batch.users().data() == users);
    BOOST_TEST(batch.instances().data() == inst);
  }
}

BOOST_AUTO_TEST_CASE(features_are_gathered_row_major) {
  dd::Interactions d;
  for (int k = 0; k < 5; ++k) d.push_back(d.add_user(k), d.add_item(k), 1.0f);
  d.add_field("a", {0, 1, 2, 3, 4}, 5);
  d.add_field("b", {4, 3, 2, 1, 0}, 5);
  dd::Batcher b(d, 2);
  dd::Batch batch;
  b.next(batch);
  b.next(batch);
  BOOST_TEST(batch.n_fields == 2u);
  BOOST_TEST(batch.features().size() == 4u);
  BOOST_TEST(batch.features()[0] == 2);
  BOOST_TEST(batch.features()[1] == 2);
  BOOST_TEST(batch.features()[2] == 3);
  BOOST_TEST(batch.features()[3] == 1);
}

BOOST_AUTO_TEST_CASE(positives_with_k_negatives_never_hit_positives) {
  const auto syn = data();
  const auto& d = syn.interactions;
  const dd::UniformNegativeSampler sampler(d);
  const auto pos = d.by_user();
  const std::size_t k = 4;
  dd::NegativeBatcher<dd::UniformNegativeSampler> nb(d, sampler, 100, k, dd::Order::shuffled, 3);
  std::size_t positives = 0;
  for (float l : d.labels()) positives += l > 0;
  BOOST_TEST(nb.positives() == positives);
  dd::Batch batch;
  std::size_t seen = 0;
  while (nb.next(batch)) {
    BOOST_REQUIRE_EQUAL(batch.size() % (k + 1), 0u);
    for (std::size_t r = 0; r < batch.size(); r += k + 1) {
      BOOST_REQUIRE_EQUAL(batch.labels()[r], 1.0f);
      BOOST_REQUIRE(batch.instances()[r] >= 0);
      for (std::size_t n = 1; n <= k; ++n) {
        BOOST_REQUIRE_EQUAL(batch.labels()[r + n], 0.0f);
        BOOST_REQUIRE_EQUAL(batch.instances()[r + n], -1);
        BOOST_REQUIRE_EQUAL(batch.users()[r + n], batch.users()[r]);
        BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(batch.users()[r]), batch.items()[r + n]));
      }
    }
    seen += batch.size() / (k + 1);
  }
  BOOST_TEST(seen == positives);
}

BOOST_AUTO_TEST_CASE(negative_batcher_shuffles_into_every_order_equally_often) {
  // Four positives in one batch: over 2,400 epochs each of the 24 orders should come ~100 times
  // (binomial sd ~9.8). A shuffle that never leaves a row in place (Sattolo's) reaches 6 orders,
  // one that skips the last swap 12.
  dd::Interactions d;
  d.add_user(0);
  for (index_t j = 0; j < 10; ++j) d.add_item(j);
  for (index_t j : {1, 3, 5, 7}) d.push_back(0, j, 1.0f);
  const dd::UniformNegativeSampler sampler(d);
  dd::NegativeBatcher<dd::UniformNegativeSampler> nb(d, sampler, 4, 1, dd::Order::shuffled, 19);
  std::vector<int> count(24, 0);
  dd::Batch batch;
  for (std::uint64_t epoch = 0; epoch < 2400; ++epoch) {
    nb.start_epoch(epoch);
    BOOST_REQUIRE(nb.next(batch));
    std::vector<offset_t> order;
    for (std::size_t r = 0; r < batch.size(); r += 2) order.push_back(batch.instances()[r]);
    std::vector<offset_t> left{0, 1, 2, 3};
    int code = 0;  // the order's rank among the 24 (Lehmer code)
    for (const offset_t id : order) {
      const auto at = std::find(left.begin(), left.end(), id);
      BOOST_REQUIRE(at != left.end());
      code = code * static_cast<int>(left.size()) + static_cast<int>(at - left.begin());
      left.erase(at);
    }
    ++count[static_cast<std::size_t>(code)];
    BOOST_REQUIRE(!nb.next(batch));
  }
  for (int c : count) BOOST_TEST((c >= 50 && c <= 200), "an order came " << c << " times of ~100");
}

BOOST_AUTO_TEST_CASE(bpr_triples_are_reproducible_per_epoch) {
  const auto syn = data();
  const auto& d = syn.interactions;
  const dd::PopularityNegativeSampler sampler(d);
  const auto pos = d.by_user();
  dd::NegativeBatcher<dd::PopularityNegativeSampler> a(d, sampler, 64, 2, dd::Order::shuffled, 11), b(d, sampler, 64, 2, dd::Order::shuffled, 11);
  a.start_epoch(3);
  b.start_epoch(3);
  dd::TripleBatch ta, tb;
  while (a.next(ta)) {
    BOOST_REQUIRE(b.next(tb));
    BOOST_REQUIRE(ta.size() == tb.size());
    for (std::size_t k = 0; k < ta.size(); ++k) {
      BOOST_REQUIRE_EQUAL(ta.negatives()[k], tb.negatives()[k]);
      BOOST_REQUIRE(pos.contains(static_cast<std::size_t>(ta.users()[k]), ta.positives()[k]));
      BOOST_REQUIRE(!pos.contains(static_cast<std::size_t>(ta.users()[k]), ta.negatives()[k]));
    }
  }
  BOOST_TEST(!b.next(tb));
}

BOOST_AUTO_TEST_SUITE_END()
