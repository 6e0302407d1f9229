# Script behind the 'install.*' tests: install the build tree into a temporary prefix, then
# configure, build and run the consumer project test/install against it, as a user would.
# Inputs: BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR, CXX_COMPILER, GENERATOR, CONFIG, and
#   SCENARIO  full      one consumer per target: denoise::denoise, and denoise::thrust when the
#                       build has it (find_package(denoise COMPONENTS denoise thrust)), plus one
#                       linking both (the README's host-compiler Thrust snippet)
#             no-thrust a CPU-only user on a machine without the Thrust headers: the directory
#                       holding thrust/version.h is hidden from find_path (CMAKE_IGNORE_PATH) and
#                       shadowed, for the compiler, by a thrust/version.h that is an #error.
#                       find_package(denoise) must succeed without denoise::thrust, the CPU
#                       consumer must build and run, and COMPONENTS thrust must fail, saying why.
#             all       (default) both, one after the other.
if(NOT CONFIG)
  set(CONFIG Release)
endif()
if(NOT SCENARIO)
  set(SCENARIO all)
endif()
if(NOT SCENARIO MATCHES "^(full|no-thrust|all)$")
  message(FATAL_ERROR "install test: SCENARIO must be full, no-thrust or all (got '${SCENARIO}')")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install test: ${what} failed (${rc}):\n${err}")
  endif()
endfunction()

# Configure test/install in ${WORK_DIR}/<name> against the prefix; extra arguments go to cmake.
function(configure_consumer name)
  run_step("configure consumer (${name})" ${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}"
    -B "${WORK_DIR}/${name}" -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=${CONFIG}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON ${ARGN})
endfunction()

function(build_and_run name)
  run_step("build consumer (${name})" ${CMAKE_COMMAND} --build "${WORK_DIR}/${name}" --config ${CONFIG})
  foreach(exe IN LISTS ARGN)
    unset(exe_path)
    find_program(exe_path ${exe} PATHS "${WORK_DIR}/${name}" "${WORK_DIR}/${name}/${CONFIG}" NO_DEFAULT_PATH
                 NO_CACHE)
    if(NOT exe_path)
      message(FATAL_ERROR "install test: ${exe} was not built (${name})")
    endif()
    run_step("run ${exe} (${name})" "${exe_path}")
  endforeach()
endfunction()

run_step("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" --config ${CONFIG})
foreach(file denoiseConfig.cmake denoiseConfigVersion.cmake denoiseTargets.cmake)
  if(NOT EXISTS "${prefix}/share/denoise/${file}")
    message(FATAL_ERROR "install test: share/denoise/${file} was not installed")
  endif()
endforeach()

# What the build tree was configured with.
load_cache("${BUILD_DIR}" READ_WITH_PREFIX build_
  DENOISE_WITH_THRUST DENOISE_THRUST_SYSTEM DENOISE_THRUST_INCLUDE_DIR)
set(host_thrust OFF)
if(build_DENOISE_WITH_THRUST AND NOT build_DENOISE_THRUST_SYSTEM STREQUAL "CUDA")
  set(host_thrust ON)
endif()

if(SCENARIO MATCHES "^(full|all)$")
  configure_consumer(full -DDENOISE_CONSUMER_THRUST=${host_thrust})
  if(host_thrust)
    build_and_run(full denoise_consumer denoise_thrust_consumer denoise_both_consumer)
  else()
    build_and_run(full denoise_consumer)
  endif()
endif()

if(SCENARIO MATCHES "^(no-thrust|all)$")
  # Every directory where this machine has thrust/version.h is ignored by find_path.
  set(hidden "${build_DENOISE_THRUST_INCLUDE_DIR}")
  foreach(dir /usr/include /usr/local/include /opt/local/include)
    if(EXISTS "${dir}/thrust/version.h")
      list(APPEND hidden "${dir}")
    endif()
  endforeach()
  list(FILTER hidden EXCLUDE REGEX "NOTFOUND$|^$")
  list(REMOVE_DUPLICATES hidden)
  string(REPLACE ";" "\\;" hidden_arg "${hidden}")
  # The compiler still searches /usr/include; a first-found thrust/version.h that stops the build
  # proves that the CPU target never includes Thrust.
  set(shadow "${WORK_DIR}/no-thrust-headers")
  file(WRITE "${shadow}/thrust/version.h"
       "#error \"install test: the Thrust headers are hidden, yet a CPU-only consumer included one\"\n")
  configure_consumer(no-thrust -DCMAKE_IGNORE_PATH=${hidden_arg} -DDENOISE_CONSUMER_THRUST=OFF
    -DDENOISE_CONSUMER_EXPECT_NO_THRUST=ON "-DCMAKE_CXX_FLAGS=-I${shadow}")
  build_and_run(no-thrust denoise_consumer)

  if(host_thrust)
    # Asking for the component must fail, with the reason.
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/no-thrust-required"
      -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
      -DCMAKE_IGNORE_PATH=${hidden_arg} -DDENOISE_CONSUMER_THRUST=ON
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(rc EQUAL 0)
      message(FATAL_ERROR "install test: COMPONENTS thrust was found although the Thrust headers are hidden")
    endif()
    if(NOT "${out}${err}" MATCHES "needs the Thrust headers")
      message(FATAL_ERROR "install test: COMPONENTS thrust failed without naming the Thrust headers:\n${out}\n${err}")
    endif()
    message("COMPONENTS thrust without the Thrust headers fails, as it should")
  endif()
endif()
