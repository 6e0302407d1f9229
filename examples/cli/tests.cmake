# More end-to-end refusals of the CLI (issue 18), included from examples/CMakeLists.txt inside its
# DENOISE_BUILD_TESTS block, where denoise_cli_refusal is defined: each fails before any training
# with an error naming the flag.
denoise_cli_refusal(empty_test_set "field '--ratios': the test set is empty" --ratios 1:1:0)
denoise_cli_refusal(empty_validation_set "field '--leave-last': the validation set is empty"
                    --split leave-last --leave-last 1000)
denoise_cli_refusal(synthetic_positives_inf "field '--synthetic-positives': must be in \\(0, 800\\]"
                    --synthetic-positives inf)
denoise_cli_refusal(popularity_skew_named "field '--popularity-skew': must be in \\[0, 100\\]" --popularity-skew -1)
denoise_cli_refusal(unknown_metric "field '--metrics': no run reports 'recall@10'" --metrics recall@10)
denoise_cli_refusal(k_beyond_items "field '--k': cut-off 5000 exceeds the 800 items" --k 5000)
denoise_cli_refusal(split_flags_with_given_split "field '--ratios': does not apply to --data split:DIR"
                    --data split:${CMAKE_CURRENT_BINARY_DIR} --ratios 8:1:1)
# More threads than processors: a warning, and the run goes on.
add_test(NAME cli.threads_capped COMMAND denoise_cli --threads 100000 --epochs 1 --methods normal
                                         --synthetic-users 40 --synthetic-items 60 --synthetic-positives 10)
set_tests_properties(cli.threads_capped PROPERTIES LABELS integration
                     PASS_REGULAR_EXPRESSION "warning: --threads 100000 capped at the [0-9]+ processors")
# SGDL's split end to end: the table has SGDL's columns and the result file says how it was run.
if(DENOISE_DATA_DIR)
  add_test(NAME cli.sgdl_split
           COMMAND denoise_cli --data split:${DENOISE_DATA_DIR}/sgdl-ml100k --methods normal --epochs 2)
  set_tests_properties(cli.sgdl_split PROPERTIES LABELS "integration;data" SKIP_REGULAR_EXPRESSION "cannot list the folder"
                       PASS_REGULAR_EXPRESSION "recall@5 +\\| precision@5 +\\| ndcg@5 +\\| recall@20[^\n]*\nnormal +\\| 0\\.[0-9]+")
endif()
# A pair listed twice in a data file is an error naming the file and the flag that chooses a policy.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/cli_duplicates.csv "1,10,5\n2,10,4\n1,10,5\n2,11,4\n3,10,4\n3,11,5\n")
denoise_cli_refusal(duplicate_rows "cli_duplicates.csv: duplicate rows: user 1, item 10 at records 1 and 3[^\n]*--duplicates"
                    --data csv:${CMAKE_CURRENT_BINARY_DIR}/cli_duplicates.csv)
# Ge et al.'s AutoDenoise controller (issue 15): MF, whose per-row representation the controller
# reads, on small synthetic data; the result file's method_report holds the reward and the baseline
# per epoch and the mean weight of true vs false positives (the planted noise), and validation
# reports the reward's "auc". Bad controller settings and a model without a representation are
# refused before training, naming the flag.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/cli_controller_run.cmake [==[
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${CLI}" --methods ${METHOD} --model mf --epochs 3 --synthetic-users 80 --synthetic-items 120
          --synthetic-positives 15 --out "${WORK_DIR}/result.json"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the CLI failed (${rc}): ${err}")
endif()
file(READ "${WORK_DIR}/result.json" json)
string(JSON epochs LENGTH "${json}" runs 0 method_report epochs)
if(NOT epochs EQUAL 3)
  message(FATAL_ERROR "method_report has ${epochs} epochs, expected 3")
endif()
foreach(e 0 1 2)
  foreach(key reward baseline mean_weight_true_positives mean_weight_false_positives)
    string(JSON value GET "${json}" runs 0 method_report epochs ${e} ${key})
    if(NOT value MATCHES "^-?[0-9]")
      message(FATAL_ERROR "method_report epoch ${e}: ${key} is '${value}', not a number")
    endif()
  endforeach()
  string(JSON reward GET "${json}" runs 0 method_report epochs ${e} reward)
  string(JSON auc GET "${json}" runs 0 epochs ${e} validation auc)
  if(NOT reward EQUAL auc AND NOT reward STREQUAL auc)
    message(FATAL_ERROR "epoch ${e}: the reward ${reward} is not the validation auc ${auc}")
  endif()
endforeach()
# b starts at 0 (the paper), so the first advantage is the first reward; then b moves toward R.
string(JSON b0 GET "${json}" runs 0 method_report epochs 0 baseline)
string(JSON b1 GET "${json}" runs 0 method_report epochs 1 baseline)
if(NOT b0 EQUAL 0 OR NOT b1 GREATER 0)
  message(FATAL_ERROR "baseline per epoch ${b0}, ${b1}: expected 0, then positive")
endif()
]==])
foreach(_method autodenoise-h autodenoise-s)
  add_test(NAME cli.${_method}_run
           COMMAND ${CMAKE_COMMAND} -D CLI=$<TARGET_FILE:denoise_cli> -D METHOD=${_method}
                   -D WORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli_${_method}
                   -P ${CMAKE_CURRENT_BINARY_DIR}/cli_controller_run.cmake)
  set_tests_properties(cli.${_method}_run PROPERTIES LABELS integration TIMEOUT 300)
endforeach()
denoise_cli_refusal(controller_actions_zero "field '--actions': must be in 1..5" --methods autodenoise-h --actions 0)
denoise_cli_refusal(controller_actions_six "field '--actions': must be in 1..5" --methods autodenoise-h --actions 6)
denoise_cli_refusal(controller_needs_representation
                    "field '--model': autodenoise-s reads the model's per-row representation[^\n]*--model neumf does not offer; models with one: gmf, mf"
                    --methods normal,autodenoise-s --model neumf)
denoise_cli_refusal(controller_select_every "field '--select-every': does not apply to autodenoise-h"
                    --methods autodenoise-h --select-every 10)
# --plot with a controller draws its own figure (reward, baseline, weights per epoch).
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/cli_controller_plot)
add_test(NAME cli.controller_plot
         COMMAND denoise_cli --methods autodenoise-s --model mf --epochs 2 --synthetic-users 60 --synthetic-items 80
                 --synthetic-positives 10 --plot ${CMAKE_CURRENT_BINARY_DIR}/cli_controller_plot/run)
set_tests_properties(cli.controller_plot PROPERTIES LABELS integration
                     PASS_REGULAR_EXPRESSION "plot: [^\n]*cli_controller_plot/run_autodenoise-s_report\\.svg")
# --export-split writes the split the run trains on (the PyTorch twins read it): three interactions
# CSV files whose rows match the counts the CLI prints -- every training row with its noise flag,
# the clean validation and test rows among all of theirs.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/cli_export_split_run.cmake [==[
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${CLI}" --methods normal --epochs 1 --synthetic-users 60 --synthetic-items 90 --synthetic-positives 12
          --export-split "${WORK_DIR}/split"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the export run failed (${rc}): ${err}")
endif()
string(REGEX MATCH "train ([0-9]+) \\(([0-9]+) noisy\\), clean validation ([0-9]+), clean test ([0-9]+)" line "${out}")
if(line STREQUAL "")
  message(FATAL_ERROR "no data line in: ${out}")
endif()
set(expected_train ${CMAKE_MATCH_1})
set(expected_noisy ${CMAKE_MATCH_2})
set(expected_validation ${CMAKE_MATCH_3})
set(expected_test ${CMAKE_MATCH_4})
foreach(part train validation test)
  file(STRINGS "${WORK_DIR}/split_${part}.csv" head LIMIT_COUNT 1)
  if(NOT head MATCHES "^# denoise-interactions v1 n_users=60 n_items=90")
    message(FATAL_ERROR "split_${part}.csv starts with '${head}'")
  endif()
  file(STRINGS "${WORK_DIR}/split_${part}.csv" rows REGEX "^[0-9]")
  file(STRINGS "${WORK_DIR}/split_${part}.csv" clean REGEX ",0$")
  file(STRINGS "${WORK_DIR}/split_${part}.csv" noisy REGEX ",1$")
  list(LENGTH rows n_${part})
  list(LENGTH clean clean_${part})
  list(LENGTH noisy noisy_${part})
endforeach()
if(NOT n_train EQUAL expected_train OR NOT noisy_train EQUAL expected_noisy)
  message(FATAL_ERROR "train: ${n_train} rows (${noisy_train} noisy) written, ${expected_train} (${expected_noisy}) used")
endif()
if(NOT clean_validation EQUAL expected_validation OR NOT clean_test EQUAL expected_test)
  message(FATAL_ERROR "clean validation/test: ${clean_validation}/${clean_test} written, "
                      "${expected_validation}/${expected_test} used")
endif()
]==])
add_test(NAME cli.export_split
         COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:denoise_cli> -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli_export_split
                 -P ${CMAKE_CURRENT_BINARY_DIR}/cli_export_split_run.cmake)
set_tests_properties(cli.export_split PROPERTIES LABELS integration)
denoise_cli_refusal(export_split_per_seed "field '--export-split': writes one split"
                    --export-split ${CMAKE_CURRENT_BINARY_DIR}/never --split-seed per-seed)
