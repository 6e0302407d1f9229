// A user-written per-batch Reward for AutoDenoise instance selection, in one file: the small-loss
// trick as a reward, r_i = -ℓ_i(W) (an instance the current model already fits is worth
// selecting). It keeps no history, so record() and end_epoch() do nothing; the warm-up still runs
// (C models) but nothing reads it. Plug it in as the first parameter:
//
//   using SmallLossSelection = methods::InstanceSelection<SmallLossReward>;
//   SmallLossSelection::State<B> state(SmallLossSelection(options), seed);
//
// It is the example of docs/autodenoise_selection.md, tested in
// test/unit/autodenoise_selection/user_reward_test.cpp and run by autodenoise_subset.cpp.
#pragma once

#include <cstddef>

#include <denoise/core/error.hpp>
#include <denoise/core/macros.hpp>
#include <denoise/rl/timing.hpp>

// [doc: autodenoise_selection.md small-loss-reward]
struct SmallLossReward {
  using timing = denoise::rl::per_batch;  // one reward per instance of every mini-batch
  static constexpr const char* name() { return "small_loss"; }

  template <class S>
  struct negate {  // out[j] = -loss[j]
    const S* loss;
    S* out;
    DENOISE_HOST_DEVICE void operator()(std::size_t j) const { out[j] = -loss[j]; }
  };

  template <class B>
  class State {
   public:
    State(const SmallLossReward& /*policy*/, std::size_t /*instances*/) {}
    void reward(const typename B::index_vector& ids, const typename B::vector& loss, typename B::vector& out) {
      if (ids.size() != loss.size()) {
        throw denoise::config_error("SmallLossReward: one loss per instance id", denoise::location::of_field("loss"));
      }
      out.resize(loss.size());
      B::launch(loss.size(), negate<typename B::scalar>{B::ptr(loss), B::ptr(out)});
    }
    void record(const typename B::index_vector& /*ids*/, const typename B::vector& /*loss*/) {}
    void end_epoch() {}
  };
};
// [end]
