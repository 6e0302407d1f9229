// AutoDenoise instance selection (Lin et al., WWW'23) end to end on CTR field rows: search a
// denoised subset with DeepFM, save it (instance ids and rows in the AutoDenoise CSV format), read
// the ids back, and train another backbone (FM) on the subset: the paper's transfer experiment;
// then the same search with a user-written reward (small_loss_reward.hpp).
//
//   autodenoise_subset [seed [searching epochs]]
//
// Data: the built-in planted-signal field dataset (planted_fields.hpp, as ctr.cpp uses it), so the
// example runs anywhere in a minute. Files go to the current directory. Exits with status 1 when
// FM trained on the subset does not reach validation AUC 0.6.
#include <denoise/backends/eigen.hpp>
#include <denoise/core/random.hpp>
#include <denoise/data/exchange.hpp>
#include <denoise/data/field_split.hpp>
#include <denoise/methods/autodenoise_selection/autodenoise_selection.hpp>
#include <denoise/models/ctr/ctr.hpp>
#include <denoise/train/selection_context.hpp>
#include <denoise/train/selector_checks.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "planted_fields.hpp"
#include "small_loss_reward.hpp"  // a user-written reward, one file

namespace dn = denoise;
using B = dn::backends::Eigen<float>;

namespace {

dn::train::trainer_options options(std::uint64_t seed) {
  dn::train::trainer_options o;
  o.batch_size = 512;
  o.epochs = 30;
  o.seed = seed;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
    const std::size_t searching = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 3;
    const auto split = dn::data::split_fields(planted_fields(12000), /*split seed*/ 1);
    dn::train::evaluators::classification_target validation, test;
    validation.fields = &split.validation;
    test.fields = &split.test;

    // 1. Search with DeepFM: C = 2 warm-up models, `searching` epochs, TopK 0.98 per batch.
    dn::models::DeepFM<B> deepfm(split.train.cardinalities());
    dn::train::field_selection_context<dn::models::DeepFM<B>> search(deepfm, split.train, &validation, options(seed));
    dn::methods::instance_selection_options o;
    o.history = 2;
    o.searching_epochs = searching;
    dn::methods::AutoDenoiseSelection::State<B> state(dn::methods::AutoDenoiseSelection(o), seed);
    state.on_epoch([](const dn::methods::search_epoch_record& r) {
      std::printf("search epoch %zu: subset %zu rows, retrained DeepFM validation AUC %.4f\n", r.epoch, r.kept,
                  r.validation);
    });
    const std::vector<dn::offset_t> subset = dn::train::select<dn::methods::AutoDenoiseSelection>(state, search);
    std::printf("kept %zu of %zu training rows (the subset of search epoch %zu, chosen on validation AUC)\n",
                subset.size(), split.train.size(), state.best_epoch());

    // 2. Save it: the ids (any copy of the training set), and the rows themselves.
    dn::data::write_subset_csv(subset, "autodenoise_subset_ids.csv");
    dn::methods::write_subset_rows_csv(split.train, subset, "autodenoise_subset_rows.csv");
    const std::vector<dn::offset_t> loaded = dn::data::read_subset_csv("autodenoise_subset_ids.csv");
    if (loaded != subset) {
      std::fprintf(stderr, "autodenoise_subset: the ids read back differ from the ids written\n");
      return 1;
    }

    // 3. Transfer: FM trained on all rows and on DeepFM's subset, each selected on validation.
    dn::models::FM<B> fm(split.train.cardinalities());
    dn::train::field_selection_context<dn::models::FM<B>> other(fm, split.train, &validation, options(seed));
    const auto all_ids = split.train.instances();
    other.retrain(std::vector<dn::offset_t>(all_ids.begin(), all_ids.end()), seed, "auc", 2);
    const double fm_all = other.evaluate(test).auc;
    other.retrain(loaded, seed, "auc", 2);
    const auto valid_on_subset = other.evaluate(validation).auc;
    const double fm_subset = other.evaluate(test).auc;
    std::printf("FM test AUC: all rows %.4f, DeepFM's subset %.4f\n", fm_all, fm_subset);

    // 4. The same search with a user-written reward (small_loss_reward.hpp: r = -loss) plugged in
    //    as the Reward policy, one searching epoch.
    using SmallLossSelection = dn::methods::InstanceSelection<SmallLossReward>;
    dn::methods::instance_selection_options one = o;
    one.searching_epochs = 1;
    SmallLossSelection::State<B> user(SmallLossSelection(one), seed);
    const auto user_subset = dn::train::select<SmallLossSelection>(user, search);
    std::printf("with the user's small-loss reward: kept %zu of %zu rows\n", user_subset.size(), split.train.size());
    return valid_on_subset > 0.6 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "autodenoise_subset: %s\n", e.what());
    return 1;
  }
}
