// The snippets of docs/data.md, compiled and run on small files written here (and on SGDL's split
// of MovieLens-100K when DENOISE_DATA_DIR points at the shared data).
#include <denoise/data/data.hpp>
#include <denoise/metrics/holdout_target.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/denoise_docs_" + std::to_string(static_cast<long>(::getpid())) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

// 40 ratings of 4 users on 10 items, MovieLens 100K's u.data layout.
std::string tiny_u_data() {
  std::string text;
  for (int u = 1; u <= 4; ++u)
    for (int i = 1; i <= 10; ++i)
      text += std::to_string(u) + '\t' + std::to_string(i) + '\t' + std::to_string(1 + (u + i) % 5) + '\t' +
              std::to_string(880000000 + 10 * u + i) + '\n';
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(docs_data)

BOOST_AUTO_TEST_CASE(load_convert_split) {
  const std::string path = write_file("u.data", tiny_u_data());
  // [doc: data.md split]
  namespace dd = denoise::data;
  dd::Interactions data = dd::load_movielens_100k(path);   // user \t item \t rating \t timestamp
  dd::make_implicit(data);                                 // every row a positive; noisy = rating < 3
  dd::Split split = dd::random_split(data, /*seed*/ 1);    // 8:1:1, ColdStart::drop
  const dd::Interactions& train = split.train;             // also split.validation, split.test
  std::size_t cold = split.report.cold_validation + split.report.cold_test;   // rows whose user/item
  const std::vector<denoise::offset_t>& removed = split.report.dropped;       // has no training row
  // [end]
  std::remove(path.c_str());
  BOOST_TEST(data.size() == 40u);
  BOOST_TEST(dd::count_noisy(data) > 0u);
  BOOST_TEST(train.size() + split.validation.size() + split.test.size() + removed.size() == data.size());
  BOOST_TEST(removed.size() == cold);
  BOOST_TEST(train.n_items() == data.n_items());  // the parts share the id maps
}

BOOST_AUTO_TEST_CASE(generic_three_file_split) {
  const std::string tr = write_file("tr.txt", "1\t10\t1\n1\t11\t0\n2\t10\t1\n2\t12\t1\n");
  const std::string va = write_file("va.txt", "1\t12\t1\n");
  const std::string te = write_file("te.txt", "2\t11\t1\n");
  const std::string train_path = tr, valid_path = va, test_path = te;
  // [doc: data.md split-files]
  namespace dd = denoise::data;
  dd::SplitFileOptions opt;          // tab-separated, flag column optional, dense ids, unseen ids kept
  dd::SplitFileReport report;        // one LoadReport per file, noisy row counts
  dd::Split g = dd::load_split_files(train_path, valid_path, test_path, opt, &report);
  // [end]
  for (const auto& p : {tr, va, te}) std::remove(p.c_str());
  BOOST_TEST(g.train.size() == 4u);
  BOOST_TEST(report.noisy_train == 1u);
  BOOST_TEST(g.test.size() == 1u);
}

BOOST_AUTO_TEST_CASE(sgdl_split_when_the_data_is_there) {
  const char* env = std::getenv("DENOISE_DATA_DIR");
  const std::string data_dir = env != nullptr ? env : "";
  struct stat info {};
  if (data_dir.empty() || ::stat((data_dir + "/sgdl-ml100k").c_str(), &info) != 0) {
    BOOST_TEST_MESSAGE("DENOISE_DATA_DIR/sgdl-ml100k absent: the snippet is only compiled");
    return;
  }
  // [doc: data.md sgdl]
  namespace dd = denoise::data;
  namespace dm = denoise::metrics;
  dd::Split s = dd::load_sgdl_split(data_dir + "/sgdl-ml100k");   // finds the one *.train.rating
  dm::holdout_target validation = dm::holdout_target::validation(s);   // exclude train, rank validation
  dm::holdout_target test = dm::holdout_target::test(s);               // exclude train ∪ validation
  // [end]
  BOOST_TEST(s.train.size() == 66899u);
  BOOST_TEST(validation.n_items() == test.n_items());
}

BOOST_AUTO_TEST_SUITE_END()
