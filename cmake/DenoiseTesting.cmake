# Helpers that every test area uses, so a new area only lists its sources.
#
#   denoise_add_test(<area> SOURCES a.cpp ... [LABELS unit ...] [LIBRARIES ...] [DATA] [THRUST])
#     One Boost.Test executable, test_<area>, registered in ctest as <area>.
#     DATA:   it reads ../shared/data; it gets DENOISE_DATA_DIR in its environment and is skipped
#             (exit 77) when the data is absent, unless DENOISE_REQUIRE_DATA=1 (as in CI).
#     THRUST: links denoise::thrust too.
#
#   denoise_add_compile_fail_test(<source.cpp>)
#     Builds the source twice through ctest: <name>_ok must compile; <name>_ko (with
#     DENOISE_SHOULD_FAIL defined) must fail, printing the regex on the source's "// expect: " line.

set(DENOISE_DATA_DIR "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH
    "Directory with the real datasets (ml-100k/...) read by the tests labelled 'data'")

if(NOT TARGET denoise::thrust)
  message(FATAL_ERROR "The tests cover the Thrust backend: configure with DENOISE_WITH_THRUST=ON")
endif()
find_package(Boost 1.71 REQUIRED COMPONENTS unit_test_framework)
# The sanitizer stage of CI turns this off: Thrust's OMP system shares every code path with its
# CPP system except the policy, and a third instantiation of every typed test costs a third of the
# sanitizer build. The Release stage keeps all three backends.
option(DENOISE_TEST_THRUST_OMP "Typed tests also instantiate backends::Thrust<thrust_system::omp>" ON)
option(DENOISE_PRECOMPILED_HEADERS "Precompile Boost.Test and Eigen for multi-file test executables" ON)

add_library(denoise_test_main OBJECT "${PROJECT_SOURCE_DIR}/test/support/test_main.cpp")
target_link_libraries(denoise_test_main PUBLIC denoise::denoise Boost::unit_test_framework denoise_warnings)
target_compile_definitions(denoise_test_main PUBLIC BOOST_TEST_DYN_LINK)
target_include_directories(denoise_test_main PUBLIC "${PROJECT_SOURCE_DIR}/test")

function(denoise_add_test area)
  cmake_parse_arguments(ARG "DATA;THRUST" "TIMEOUT" "SOURCES;LABELS;LIBRARIES" ${ARGN})
  set(target test_${area})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE denoise_test_main ${ARG_LIBRARIES})
  if(ARG_THRUST)
    target_link_libraries(${target} PRIVATE denoise::thrust)
    target_compile_definitions(${target} PRIVATE DENOISE_TEST_HAVE_THRUST=1)
    if(DENOISE_TEST_THRUST_OMP)
      target_compile_definitions(${target} PRIVATE DENOISE_TEST_HAVE_THRUST_OMP=1)
    endif()
  endif()
  # Executables built from several sources parse Boost.Test and Eigen once, in a precompiled header.
  list(LENGTH ARG_SOURCES source_count)
  if(DENOISE_PRECOMPILED_HEADERS AND source_count GREATER 2)
    target_precompile_headers(${target} PRIVATE <boost/test/unit_test.hpp> <Eigen/Core> <vector> <string>)
  endif()
  add_test(NAME ${area} COMMAND ${target} --log_level=test_suite --report_level=short)
  set(labels ${ARG_LABELS})
  if(NOT labels)
    set(labels unit)
  endif()
  if(ARG_DATA)
    list(APPEND labels data)
    set_tests_properties(${area} PROPERTIES
      ENVIRONMENT "DENOISE_DATA_DIR=${DENOISE_DATA_DIR}" SKIP_RETURN_CODE 77)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set_tests_properties(${area} PROPERTIES LABELS "${labels}" TIMEOUT ${ARG_TIMEOUT})
endfunction()

function(denoise_add_compile_fail_test source)
  get_filename_component(name "${source}" NAME_WE)
  file(STRINGS "${source}" expect_line REGEX "^// expect: ")
  if(NOT expect_line)
    message(FATAL_ERROR "${source}: a compile-fail test needs a '// expect: <regex>' line")
  endif()
  string(REGEX REPLACE "^// expect: " "" expect "${expect_line}")
  foreach(kind ok ko)
    set(target compile_fail_${name}_${kind})
    add_library(${target} OBJECT EXCLUDE_FROM_ALL "${source}")
    target_link_libraries(${target} PRIVATE denoise::denoise denoise::thrust)
    if(kind STREQUAL "ko")
      target_compile_definitions(${target} PRIVATE DENOISE_SHOULD_FAIL=1)
    endif()
    add_test(NAME compile_fail.${name}.${kind}
             COMMAND ${CMAKE_COMMAND} --build "${CMAKE_BINARY_DIR}" --target ${target} --config $<CONFIG>)
    # One build at a time in the shared build tree.
    set_tests_properties(compile_fail.${name}.${kind} PROPERTIES
      LABELS compile_fail RESOURCE_LOCK denoise_build_tree)
    if(kind STREQUAL "ko")
      set_tests_properties(compile_fail.${name}.${kind} PROPERTIES PASS_REGULAR_EXPRESSION "${expect}")
    endif()
  endforeach()
endfunction()
