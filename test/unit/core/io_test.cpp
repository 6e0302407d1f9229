#include <denoise/core/atomic_file.hpp>
#include <denoise/core/json_writer.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <dirent.h>
#include <unistd.h>

namespace {
std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
// True when a leftover temporary of `path` (path.tmp.XXXXXX) exists in its directory.
bool temporary_left(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = path.substr(0, slash), base = path.substr(slash + 1) + ".tmp.";
  DIR* d = ::opendir(dir.c_str());
  bool found = false;
  while (dirent* e = ::readdir(d)) found = found || std::string(e->d_name).rfind(base, 0) == 0;
  ::closedir(d);
  return found;
}
std::string temp_path(const std::string& name) {
  return "/tmp/denoise_core_io_" + std::to_string(static_cast<long>(::getpid())) + "_" + name;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(core_io)

BOOST_AUTO_TEST_CASE(atomic_write_replaces_the_file) {
  const std::string path = temp_path("a.txt");
  denoise::write_file_atomically(path, [](std::ostream& out) { out << "first"; });
  denoise::write_file_atomically(path, [](std::ostream& out) { out << "second"; });
  BOOST_TEST(read_all(path) == "second");
  BOOST_TEST(!temporary_left(path));
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(failed_write_keeps_the_old_file_and_no_temporary) {
  const std::string path = temp_path("b.txt");
  denoise::write_file_atomically(path, [](std::ostream& out) { out << "kept"; });
  BOOST_CHECK_THROW(denoise::write_file_atomically(path,
                                                   [](std::ostream& out) {
                                                     out << "half";
                                                     throw std::runtime_error("interrupted");
                                                   }),
                    std::runtime_error);
  BOOST_TEST(read_all(path) == "kept");
  BOOST_TEST(!temporary_left(path));
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(unwritable_directory_is_an_io_error_naming_the_path) {
  try {
    denoise::write_file_atomically("/nonexistent-dir/x.json", [](std::ostream& out) { out << 1; });
    BOOST_FAIL("expected an io_error");
  } catch (const denoise::io_error& e) {
    BOOST_TEST(e.file() == "/nonexistent-dir/x.json");
  }
}

BOOST_AUTO_TEST_CASE(json_writer_output_is_exact) {
  std::ostringstream s;
  denoise::json_writer w(s, /*pretty=*/false);
  w.begin_object()
      .field("method", "T-CE")
      .field("seed", 3)
      .field("recall@20", 0.25)
      .field("nan", std::nan(""))
      .field("ok", true)
      .key("curve")
      .array(std::vector<double>{1.5, 2})
      .key("quote")
      .value("a\"b\\c\n\x01")
      .end_object();
  BOOST_TEST(w.complete());
  BOOST_TEST(s.str() ==
             R"({"method":"T-CE","seed":3,"recall@20":0.25,"nan":null,"ok":true,"curve":[1.5,2],"quote":"a\"b\\c\n\u0001"})");
}

BOOST_AUTO_TEST_CASE(json_writer_pretty_nesting) {
  std::ostringstream s;
  denoise::json_writer w(s);
  w.begin_object().key("a").begin_array().value(1).begin_object().end_object().end_array().end_object();
  BOOST_TEST(s.str() == "{\n  \"a\": [\n    1,\n    {}\n  ]\n}");
  BOOST_CHECK_THROW(w.end_object(), denoise::error);
}

BOOST_AUTO_TEST_SUITE_END()
