# Small example programs for a new user (examples/quickstart/), one .cpp each. Each is built here
# and run by ctest (label integration): it exits non-zero when training did not improve the
# validation metric over the untrained model, so a passing run means the example really trains.
#   quickstart      load MovieLens-100K ($DENOISE_DATA_DIR) or synthetic data, split, GMF + T-CE
#   user_method     a user-written weighting method (docs/policies/method.md, level 1)
#   user_model      a user-written model (docs/policies/model.md), gradient-checked, then trained
#   thrust_backend  the quickstart's training on backends::Thrust<thrust_system::omp>, beside Eigen
#   ctr             MovieLens-100K CTR fields (or planted synthetic fields), DeepFM, early stopping on AUC
#   sgdl            SGDL on planted-noise data: the switch, the memorized set's precision, learned weights
#   autodenoise_subset  AutoDenoise instance selection with DeepFM, subset export, transfer to FM, and a
#                   user-written reward (small_loss_reward.hpp)
set(DENOISE_EXAMPLE_PROGRAMS quickstart user_method user_model thrust_backend ctr sgdl autodenoise_subset)
foreach(_program IN LISTS DENOISE_EXAMPLE_PROGRAMS)
  add_executable(example_${_program} quickstart/${_program}.cpp)
  target_link_libraries(example_${_program} PRIVATE denoise::denoise denoise_warnings)
endforeach()
target_link_libraries(example_thrust_backend PRIVATE denoise::thrust)

if(DENOISE_BUILD_TESTS)
  foreach(_program IN LISTS DENOISE_EXAMPLE_PROGRAMS)
    add_test(NAME example.${_program} COMMAND example_${_program})
    set_tests_properties(example.${_program} PROPERTIES LABELS integration TIMEOUT 300)
  endforeach()
  # The quickstart reads MovieLens-100K when the shared data is there, the synthetic data otherwise.
  if(EXISTS "${DENOISE_DATA_DIR}/ml-100k/u.data")
    set_tests_properties(example.quickstart example.ctr PROPERTIES ENVIRONMENT "DENOISE_DATA_DIR=${DENOISE_DATA_DIR}")
  endif()
endif()
