// A user program against the installed package: the umbrella header, a seeded stream, the error
// type, and a few training steps of GMF on the built-in planted-noise data through the Trainer.
// [doc: ../README.md consumer]
#include <denoise/denoise.hpp>
// [end]

#include <cstdio>
#include <cstring>

int main() {
  if (std::strcmp(denoise::version::string(), DENOISE_VERSION_STRING) != 0) return 1;
  denoise::random::rng a(42, "consumer"), b(42, "consumer");
  for (int i = 0; i < 16; ++i)
    if (a() != b()) return 2;
  try {
    throw denoise::input_error("not a number", denoise::location::at("u.data", 3, "rating"));
  } catch (const denoise::error& e) {
    if (std::strstr(e.what(), "u.data:3") == nullptr) return 3;
  }

  using B = denoise::backends::Eigen<float>;
  denoise::data::SyntheticConfig config;
  config.n_users = 50;
  config.n_items = 80;
  config.mean_positives = 10;
  const auto synthetic = denoise::data::make_synthetic(config);
  const auto& train = synthetic.interactions;
  denoise::models::GMF<B> model(train.n_users(), train.n_items(), {}, 1);
  denoise::data::UniformNegativeSampler sampler(train);
  denoise::train::trainer_options options;
  options.epochs = 2;
  options.batch_size = 64;
  denoise::train::Trainer<denoise::models::GMF<B>, denoise::losses::BCE, denoise::methods::ReweightedLoss> trainer(
      model, denoise::nn::Adam<B>(), denoise::methods::ReweightedLoss(0.25), options);
  const auto result = trainer.fit(train, sampler, nullptr);
  if (result.history.size() != 2 || !(result.history.back().train_loss > 0.0)) return 4;
  std::printf("denoise %s consumer: ok (loss %.4f)\n", denoise::version::string(), result.history.back().train_loss);
  return 0;
}
