// Run-time configuration errors name the offending flag; the dynamic denoiser dispatches to the
// chosen policy.
#include <denoise/runtime/dynamic_denoiser.hpp>
#include <denoise/runtime/experiment_config.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

namespace dr = denoise::runtime;

namespace {
std::string field_of(const dr::experiment_config& c) {
  try {
    c.validate();
  } catch (const denoise::config_error& e) {
    return e.field();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(runtime_config)

BOOST_AUTO_TEST_CASE(defaults_are_valid) { BOOST_TEST(field_of(dr::experiment_config{}).empty()); }

BOOST_AUTO_TEST_CASE(each_bad_setting_names_its_flag) {
  auto with = [](auto change) {
    dr::experiment_config c;
    change(c);
    return field_of(c);
  };
  BOOST_TEST(with([](auto& c) { c.model = "svd"; }) == "--model");
  BOOST_TEST(with([](auto& c) { c.loss = "hinge"; }) == "--loss");
  BOOST_TEST(with([](auto& c) { c.methods = {"normal", "co-teaching"}; }) == "--methods");
  BOOST_TEST(with([](auto& c) { c.lr = 0.0; }) == "--lr");
  BOOST_TEST(with([](auto& c) { c.epochs = 0; }) == "--epochs");
  BOOST_TEST(with([](auto& c) { c.seeds.clear(); }) == "--seeds");
  BOOST_TEST(with([](auto& c) { c.ks = {20, 0}; }) == "--k");
  BOOST_TEST(with([](auto& c) { c.max_drop_rate = 1.0; }) == "--drop-rate");
  BOOST_TEST(with([](auto& c) { c.beta = -1.0; }) == "--beta");
  BOOST_TEST(with([](auto& c) { c.data.kind = dr::data_kind::movielens_100k; }) == "--data");
  BOOST_TEST(with([](auto& c) { c.loss = "bpr"; c.negatives = 0; }) == "--negatives");
}

BOOST_AUTO_TEST_CASE(dynamic_denoiser_holds_the_chosen_policy) {
  BOOST_TEST(std::string(dr::DynamicDenoiser(denoise::methods::ReweightedLoss(0.3)).held_name()) == "r-ce");
  BOOST_TEST(std::string(dr::DynamicDenoiser(denoise::methods::TruncatedLoss<>()).held_name()) == "t-ce");
  BOOST_TEST(std::string(dr::DynamicDenoiser().held_name()) == "none");
}

BOOST_AUTO_TEST_SUITE_END()
