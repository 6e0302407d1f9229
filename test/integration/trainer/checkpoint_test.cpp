// Checkpoints round-trip bit-identically, are written atomically, and reject files that do not
// match the model before touching it.
#include <denoise/backends/eigen.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/train/checkpoint.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

namespace {
std::vector<float> flat_parameters(dn::models::GMF<B>& m) {
  std::vector<float> all, part;
  m.visit_parameters([&](dn::nn::param_ref<B> p) {
    B::to_host(p.value, part);
    all.insert(all.end(), part.begin(), part.end());
  });
  return all;
}
std::string temp_path(const std::string& name) {
  return "/tmp/denoise_ckpt_" + std::to_string(static_cast<long>(::getpid())) + "_" + name;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(round_trip_is_bit_identical) {
  dn::models::GMF<B> a(20, 30, {}, 1), b(20, 30, {}, 2);
  const std::string path = temp_path("a.ckpt");
  dn::train::save_checkpoint<B>(a, path);
  BOOST_TEST(flat_parameters(a) != flat_parameters(b));
  dn::train::load_checkpoint<B>(b, path);
  const auto pa = flat_parameters(a), pb = flat_parameters(b);
  BOOST_TEST(pa == pb, boost::test_tools::per_element());
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(mismatched_or_damaged_files_leave_the_model_untouched) {
  dn::models::GMF<B> a(20, 30, {}, 1), other_shape(21, 30, {}, 1);
  const std::string path = temp_path("b.ckpt");
  dn::train::save_checkpoint<B>(a, path);
  const auto before = flat_parameters(other_shape);
  BOOST_CHECK_THROW(dn::train::load_checkpoint<B>(other_shape, path), dn::input_error);
  BOOST_TEST(flat_parameters(other_shape) == before, boost::test_tools::per_element());

  // Truncate the file: the error names the file.
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  dn::models::GMF<B> c(20, 30, {}, 9);
  const auto c_before = flat_parameters(c);
  try {
    dn::train::load_checkpoint<B>(c, path);
    BOOST_FAIL("expected an input_error");
  } catch (const dn::input_error& e) {
    BOOST_TEST(e.file() == path);
    BOOST_TEST(std::string(e.what()).find("truncated") != std::string::npos);
  }
  BOOST_TEST(flat_parameters(c) == c_before, boost::test_tools::per_element());

  std::ofstream(path, std::ios::trunc) << "not a checkpoint at all";
  BOOST_CHECK_THROW(dn::train::load_checkpoint<B>(c, path), dn::input_error);
  BOOST_CHECK_THROW(dn::train::load_checkpoint<B>(c, "/nonexistent/x.ckpt"), dn::io_error);
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
