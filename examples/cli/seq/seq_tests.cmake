# --task seq (issue 14), included from examples/CMakeLists.txt inside its DENOISE_BUILD_TESTS block:
# a small synthetic run reports Precision/Recall/F1/NDCG at Ge et al.'s cut-offs in the JSON and the
# table, the controller's reward is each epoch's validation AUC, the weights export has one row per
# training window; bad flags are refused naming them; on MovieLens 100K the 10-core filter gives the
# sizes a separate count gives (943 users, 1152 items, 97,953 interactions in 2 rounds).
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/cli_seq_run.cmake [==[
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${CLI}" --task seq --model mf --factor 16 --methods normal,t-ce,autodenoise-s --epochs 3 --threads 1
          --synthetic-users 80 --synthetic-items 100 --synthetic-positives 25 --out "${WORK_DIR}/result.json"
          --export-weights "${WORK_DIR}/w.csv" --metrics precision@10,recall@10,f1@10,ndcg@10,ndcg@50
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the CLI failed (${rc}): ${err}")
endif()
if(NOT out MATCHES "method +\\| precision@10 +\\| recall@10 +\\| f1@10 +\\| ndcg@10 +\\| ndcg@50")
  message(FATAL_ERROR "the table's columns are not the ones --metrics asked for")
endif()
file(READ "${WORK_DIR}/result.json" json)
string(JSON protocol GET "${json}" config protocol)
string(JSON window GET "${json}" config window)
if(NOT protocol STREQUAL "chrono" OR NOT window EQUAL 10)
  message(FATAL_ERROR "config: protocol '${protocol}', window '${window}'")
endif()
# F1 is the harmonic mean of the precision and the recall of each user, averaged: never above both.
string(JSON p GET "${json}" runs 0 test precision@10)
string(JSON r GET "${json}" runs 0 test recall@10)
string(JSON f GET "${json}" runs 0 test f1@10)
if(NOT p GREATER 0 OR NOT r GREATER 0 OR (f GREATER p AND f GREATER r))
  message(FATAL_ERROR "test P ${p}, R ${r}, F1 ${f}")
endif()
string(JSON m GET "${json}" runs 2 method)
if(NOT m STREQUAL "autodenoise-s")
  message(FATAL_ERROR "run 2 is '${m}'")
endif()
foreach(e 0 1 2)
  string(JSON reward GET "${json}" runs 2 method_report epochs ${e} reward)
  string(JSON auc GET "${json}" runs 2 epochs ${e} validation auc)
  if(NOT reward STREQUAL auc)
    message(FATAL_ERROR "epoch ${e}: the controller's reward ${reward} is not the validation auc ${auc}")
  endif()
endforeach()
# One row per training window; the first window of a user is at position 1 (the target after one item).
file(STRINGS "${WORK_DIR}/w_t-ce.csv" lines)
list(GET lines 0 header)
list(GET lines 1 first)
if(NOT header STREQUAL "instance,user,position,item,weight,loss,noisy" OR NOT first MATCHES "^[0-9]+,0,1,")
  message(FATAL_ERROR "weights export: '${header}' / '${first}'")
endif()
string(REGEX MATCH "([0-9]+) training windows" windows "${out}")
list(LENGTH lines n)
math(EXPR n "${n} - 1")
if(NOT "${CMAKE_MATCH_1}" EQUAL n)
  message(FATAL_ERROR "the export has ${n} rows, the data ${CMAKE_MATCH_1} training windows")
endif()
]==])
add_test(NAME cli.seq_run COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:denoise_cli> -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli_seq_run
                                  -P ${CMAKE_CURRENT_BINARY_DIR}/cli_seq_run.cmake)
set_tests_properties(cli.seq_run PROPERTIES LABELS integration TIMEOUT 300)

denoise_cli_refusal(seq_pairs_flag "field '--layers': only applies to --task pairs" --task seq --layers 2)
denoise_cli_refusal(seq_split "field '--split': does not apply to --task seq" --task seq --split chrono)
denoise_cli_refusal(seq_source "field '--data': --task seq reads synthetic, ml-100k, ml-dat, csv" --task seq
                    --data split:${CMAKE_CURRENT_BINARY_DIR})
denoise_cli_refusal(seq_model "field '--model': unknown model 'gmf' for --task seq \\(gru4rec, mf, sasrec\\)"
                    --task seq --model gmf)
denoise_cli_refusal(seq_model_flag "field '--hidden': does not apply to --model mf" --task seq --model mf --hidden 8)
denoise_cli_refusal(seq_method "field '--methods': sgdl does not run in --task seq" --task seq --methods sgdl)
denoise_cli_refusal(seq_ratios_loo "field '--ratios': applies to --protocol chrono only" --task seq --protocol loo
                    --ratios 4:1:1)
denoise_cli_refusal(seq_cutoff "field '--k': cut-off 5000 exceeds the [0-9]+ items left by the filter" --task seq
                    --k 5000)
denoise_cli_refusal(seq_heads "field '--heads': SASRec's width \\(--factor 64\\) must be a multiple of --heads"
                    --task seq --heads 3)
if(EXISTS "${DENOISE_DATA_DIR}/ml-100k/u.data")
  add_test(NAME cli.seq_ml100k
           COMMAND denoise_cli --task seq --model mf --protocol loo --data ml-100k:${DENOISE_DATA_DIR}/ml-100k/u.data
                   --epochs 1 --methods normal --threads 1)
  set_tests_properties(cli.seq_ml100k PROPERTIES LABELS "integration;data" TIMEOUT 300
                       PASS_REGULAR_EXPRESSION "10-core filter \\(2 rounds\\): users 943 -> 943, items 1682 -> 1152, interactions 100000 -> 97953; leave-one-out: [0-9]+ training windows[^\n]*validation users 943, test users 943")
endif()
