# Script behind the cli.small_run test: a tiny synthetic experiment with every output option.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${CLI}" --synthetic-users 80 --synthetic-items 120 --synthetic-positives 15 --epochs 3
          --seeds 1,2 --out "${WORK_DIR}/result.json" --export-weights "${WORK_DIR}/weights.csv"
          --plot "${WORK_DIR}/fig"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the CLI failed (${rc}): ${err}")
endif()
foreach(expected "method" "normal" "t-ce" "r-ce" "inverse-frequency" "p vs normal")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the table lacks '${expected}'")
  endif()
endforeach()
file(READ "${WORK_DIR}/result.json" json)
string(JSON runs LENGTH "${json}" runs)
if(NOT runs EQUAL 8)
  message(FATAL_ERROR "result.json has ${runs} runs, expected 4 methods x 2 seeds")
endif()
string(JSON recall GET "${json}" summary t-ce recall@20 mean)
string(JSON epochs LENGTH "${json}" runs 0 epochs)
if(NOT epochs EQUAL 3 OR recall STREQUAL "")
  message(FATAL_ERROR "result.json: ${epochs} epochs in the first run, t-ce recall '${recall}'")
endif()
# The config records every setting that changes a result (issue 18), so a result file is enough to
# rerun it: model, split, optimiser, synthetic data and the build.
foreach(key dropout hidden corruption dense_adam ratios leave_last split_seed threads patience build
        "synthetic;dim" "synthetic;popularity_skew" "synthetic;like_share" "synthetic;dislike_share"
        "synthetic;noise_appeal_skew" "build;compiler" "build;version")
  string(JSON value ERROR_VARIABLE missing GET "${json}" config ${key})
  if(missing)
    message(FATAL_ERROR "result.json config lacks '${key}': ${missing}")
  endif()
endforeach()
file(STRINGS "${WORK_DIR}/weights_t-ce.csv" header LIMIT_COUNT 1)
if(NOT header STREQUAL "instance,user,item,user_raw,item_raw,weight,loss,noisy")
  message(FATAL_ERROR "weights CSV header: ${header}")
endif()
foreach(svg fig_curve.svg fig_t-ce_loss.svg)
  file(READ "${WORK_DIR}/${svg}" head LIMIT 64)
  string(FIND "${head}" "<svg xmlns" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "${svg} is not an SVG")
  endif()
endforeach()
