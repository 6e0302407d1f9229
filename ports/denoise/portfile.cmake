# Overlay port: vcpkg install denoise --overlay-ports=<this repo>/ports
# It builds from the checkout that holds this port (header-only: nothing is compiled).
set(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../..")
set(VCPKG_BUILD_TYPE release)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    openmp  DENOISE_WITH_OPENMP
    xtensor DENOISE_WITH_XTENSOR
    thrust  DENOISE_WITH_THRUST)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DDENOISE_THRUST_SYSTEM=CUDA  # the only Thrust vcpkg has is the CUDA toolkit's
    -DDENOISE_BUILD_TESTS=OFF
    -DDENOISE_BUILD_EXAMPLES=OFF
    -DDENOISE_BUILD_BENCH=OFF
    -DDENOISE_INSTALL=ON)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME denoise CONFIG_PATH share/denoise)
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/licenses")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
