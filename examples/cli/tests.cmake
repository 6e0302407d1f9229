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
