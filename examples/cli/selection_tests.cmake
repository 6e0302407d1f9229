# --select-every (ADT's reference selection, issue 19), included from examples/CMakeLists.txt inside
# its DENOISE_BUILD_TESTS block: the result file lists every scored step, the chosen one is the
# lowest validation loss, and the reported epoch is that step's. It does not combine with the
# per-epoch rule's flags, nor with sgdl, which selects its own way.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/cli_selection_run.cmake [==[
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${CLI}" --methods normal,t-ce --epochs 4 --lr 0.01 --batch-size 128 --select-every 25 --synthetic-users 120
          --synthetic-items 160 --synthetic-positives 20 --out "${WORK_DIR}/result.json"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the CLI failed (${rc}): ${err}")
endif()
file(READ "${WORK_DIR}/result.json" json)
string(JSON every GET "${json}" config select_every)
if(NOT every EQUAL 25)
  message(FATAL_ERROR "config.select_every is '${every}', expected 25")
endif()
foreach(run 0 1)
  string(JSON n LENGTH "${json}" runs ${run} selection candidates)
  if(n LESS 3)
    message(FATAL_ERROR "run ${run}: ${n} scored steps, expected one every 25 steps and the last")
  endif()
  string(JSON chosen GET "${json}" runs ${run} selection iteration)
  string(JSON chosen_epoch GET "${json}" runs ${run} selection epoch)
  string(JSON best_epoch GET "${json}" runs ${run} best_epoch)
  if(NOT chosen_epoch EQUAL best_epoch)
    message(FATAL_ERROR "run ${run}: best_epoch ${best_epoch} is not the chosen step's epoch ${chosen_epoch}")
  endif()
  # Candidates after steps 25, 50, ... and after the last; the chosen one has the lowest loss
  # (if(LESS) compares the JSON numbers as floating point).
  set(lowest "")
  set(lowest_iteration "")
  math(EXPR last "${n} - 1")
  foreach(c RANGE ${last})
    string(JSON it GET "${json}" runs ${run} selection candidates ${c} iteration)
    math(EXPR expected "(${c} + 1) * 25")
    if(c LESS last AND NOT it EQUAL expected)
      message(FATAL_ERROR "run ${run}: candidate ${c} scored after step ${it}, expected ${expected}")
    endif()
    string(JSON loss GET "${json}" runs ${run} selection candidates ${c} validation_loss)
    if(lowest STREQUAL "" OR loss LESS lowest)
      set(lowest "${loss}")
      set(lowest_iteration "${it}")
    endif()
  endforeach()
  if(NOT lowest_iteration EQUAL chosen)
    message(FATAL_ERROR "run ${run}: chose step ${chosen}, but step ${lowest_iteration} has the lowest loss ${lowest}")
  endif()
endforeach()
]==])
add_test(NAME cli.select_every
         COMMAND ${CMAKE_COMMAND} -D CLI=$<TARGET_FILE:denoise_cli> -D WORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli_selection
                 -P ${CMAKE_CURRENT_BINARY_DIR}/cli_selection_run.cmake)
set_tests_properties(cli.select_every PROPERTIES LABELS integration)
denoise_cli_refusal(select_every_with_patience "field '--patience': does not apply with --select-every"
                    --select-every 10 --patience 2)
denoise_cli_refusal(select_every_with_sgdl "field '--select-every': does not apply to sgdl"
                    --select-every 10 --methods sgdl --model mf --loss bpr)
