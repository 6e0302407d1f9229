#include <denoise/core/error.hpp>
#include <denoise/denoise.hpp>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(core_error)

BOOST_AUTO_TEST_CASE(message_names_file_line_and_field) {
  const denoise::input_error e("not a number: 'x3'", denoise::location::at("data/u.data", 17, "rating"));
  BOOST_TEST(std::string(e.what()) == "denoise: data/u.data:17: field 'rating': not a number: 'x3'");
  BOOST_TEST(e.file() == "data/u.data");
  BOOST_TEST(e.line() == 17u);
  BOOST_TEST(e.field() == "rating");
  BOOST_TEST(e.reason() == "not a number: 'x3'");
}

BOOST_AUTO_TEST_CASE(message_leaves_out_unknown_parts) {
  BOOST_TEST(std::string(denoise::config_error("must be positive", denoise::location::of_field("--epochs")).what()) ==
             "denoise: field '--epochs': must be positive");
  BOOST_TEST(std::string(denoise::io_error("cannot open", denoise::location::in_file("/x")).what()) ==
             "denoise: /x: cannot open");
  BOOST_TEST(std::string(denoise::divergence_error("loss is NaN").what()) == "denoise: loss is NaN");
}

BOOST_AUTO_TEST_CASE(every_error_is_a_denoise_error) {
  BOOST_CHECK_THROW(throw denoise::input_error("x"), denoise::error);
  BOOST_CHECK_THROW(throw denoise::io_error("x"), denoise::error);
  BOOST_CHECK_THROW(throw denoise::config_error("x"), denoise::error);
  BOOST_CHECK_THROW(throw denoise::divergence_error("x"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(version_string_matches_macros) {
  const std::string expected = std::to_string(denoise::version::major) + "." +
                               std::to_string(denoise::version::minor) + "." +
                               std::to_string(denoise::version::patch);
  BOOST_TEST(denoise::version::string() == expected);
}

BOOST_AUTO_TEST_SUITE_END()
