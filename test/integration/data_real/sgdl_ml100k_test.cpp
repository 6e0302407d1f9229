// SGDL's split of MovieLens-100K from ../shared/data/sgdl-ml100k: the counts its SOURCE.md states,
// the id layouts, and the protocol's targets (validation items excluded at test time).
// (The data-dir fixture is declared once for this executable, in ml100k_test.cpp.)
#include <denoise/data/split_files.hpp>
#include <denoise/metrics/holdout_target.hpp>
#include <denoise/metrics/ranking_evaluator.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support/data_dir.hpp"

namespace dd = denoise::data;
namespace dm = denoise::metrics;
using denoise::index_t;

namespace {
std::string sgdl_dir() { return denoise::test::data_dir() + "/sgdl-ml100k"; }

std::size_t distinct_users(const dd::Interactions& d) {
  std::vector<char> seen(static_cast<std::size_t>(d.n_users()), 0);
  std::size_t n = 0;
  for (index_t u : d.users()) {
    char& s = seen[static_cast<std::size_t>(u)];
    n += s == 0 ? 1u : 0u;
    s = 1;
  }
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_real_sgdl_ml100k)

BOOST_AUTO_TEST_CASE(documented_counts) {
  dd::SplitFileReport rep;
  const auto s = dd::load_sgdl_split(sgdl_dir(), "", {}, &rep);
  BOOST_TEST(s.train.size() == 66899u);
  BOOST_TEST(s.validation.size() == 8652u);
  BOOST_TEST(s.test.size() == 7208u);
  BOOST_TEST(distinct_users(s.train) == 497u);
  BOOST_TEST(distinct_users(s.validation) == 497u);
  BOOST_TEST(distinct_users(s.test) == 497u);
  BOOST_TEST(s.train.n_users() == 497);
  BOOST_TEST(s.train.n_items() == 1512);  // distinct item ids over the three files
  BOOST_TEST(rep.noisy_train == 11899u);
  BOOST_TEST(rep.noisy_validation == 1532u);
  BOOST_TEST(rep.noisy_test == 0u);
  std::size_t noisy = 0;
  for (auto f : s.train.noisy()) noisy += f;
  BOOST_TEST(noisy == 11899u);
  // Items that occur in validation/test but not in train: kept, as SGDL's loader keeps them.
  BOOST_TEST(s.report.cold_validation == 6u);
  BOOST_TEST(s.report.cold_test == 5u);
  BOOST_TEST(rep.train.blank == 0u);
}

BOOST_AUTO_TEST_CASE(raw_layout_sizes_tables_as_sgdl) {
  dd::SplitFileOptions raw;
  raw.ids = dd::IdLayout::raw;
  const auto s = dd::load_sgdl_split(sgdl_dir(), "ml100k", raw);
  BOOST_TEST(s.train.n_users() == 497);
  BOOST_TEST(s.train.n_items() == 1683);  // 0..1682, SGDL's m_item
  BOOST_TEST(s.test.size() == 7208u);
}

BOOST_AUTO_TEST_CASE(protocol_targets) {
  const auto s = dd::load_sgdl_split(sgdl_dir());
  const auto v = dm::holdout_target::validation(s);
  const auto vc = dm::holdout_target::validation(s, dm::relevance::clean_only);
  const auto t = dm::holdout_target::test(s);
  BOOST_TEST(v.exclude().nnz() == 66899u);   // no duplicate rows in the files
  BOOST_TEST(v.relevant().nnz() == 8652u);   // noisy validation rows count
  BOOST_TEST(vc.relevant().nnz() == 7120u);  // clean ones only
  BOOST_TEST(t.exclude().nnz() == 66899u + 8652u);
  BOOST_TEST(t.relevant().nnz() == 7208u);
  BOOST_TEST(t.users_evaluated() == 497u);
  // Every validation item is excluded at test time.
  const auto excl = t.exclude();
  std::size_t missing = 0;
  for (std::size_t k = 0; k < s.validation.size(); ++k) {
    const auto row = excl.row(static_cast<std::size_t>(s.validation.users()[k]));
    missing += std::binary_search(row.begin(), row.end(), s.validation.items()[k]) ? 0u : 1u;
  }
  BOOST_TEST(missing == 0u);

  // Scores that put every validation item on top give the same test metrics as scores that put
  // them at the bottom: they are never ranked at test time.
  const auto vrel = v.relevant();
  auto scorer = [&](bool valid_on_top) {
    return [&, valid_on_top](denoise::span<const index_t> users, denoise::span<float> scores) {
      const std::size_t n = scores.size() / users.size();
      for (std::size_t j = 0; j < users.size(); ++j) {
        for (std::size_t i = 0; i < n; ++i) scores[j * n + i] = static_cast<float>((i * 7919u) % 1000u);
        for (index_t i : vrel.row(static_cast<std::size_t>(users[j])))
          scores[j * n + static_cast<std::size_t>(i)] = valid_on_top ? 1e6f : -1e6f;
      }
    };
  };
  dm::ranking_options opt;
  opt.ks = {5, 20};
  const auto top = dm::evaluate_ranking(scorer(true), t.n_items(), t.exclude(), t.relevant(), opt);
  const auto bottom = dm::evaluate_ranking(scorer(false), t.n_items(), t.exclude(), t.relevant(), opt);
  BOOST_TEST(top.users_evaluated == 497u);
  for (int k : {5, 20}) {
    BOOST_TEST(top.at_k(k).recall == bottom.at_k(k).recall);
    BOOST_TEST(top.at_k(k).ndcg == bottom.at_k(k).ndcg);
    BOOST_TEST(top.at_k(k).precision == bottom.at_k(k).precision);
  }
}

BOOST_AUTO_TEST_SUITE_END()
