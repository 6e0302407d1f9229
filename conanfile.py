# Conan 2 recipe for denoise, a header-only library. `conan create .` packages the same
# `cmake --install` tree that users of the plain CMake package get.
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load

required_conan_version = ">=2.0"


class DenoiseConan(ConanFile):
    name = "denoise"
    description = ("Header-only C++ template library for training recommender systems on noisy "
                   "implicit feedback (ADT, SGDL, AutoDenoise)")
    license = "Apache-2.0"
    url = "https://github.com/denoise-rec/denoise"
    homepage = "https://github.com/denoise-rec/denoise"
    topics = ("recommender-systems", "denoising", "machine-learning", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "with_xtensor": [True, False],
        "with_thrust": [True, False],
        "with_openmp": [True, False],
    }
    default_options = {
        "with_xtensor": True,
        "with_thrust": True,
        "with_openmp": True,
    }
    exports_sources = "include/*", "cmake/*", "CMakeLists.txt", "LICENSE"
    no_copy_source = True

    def set_version(self):
        # The version is kept once, in core/version.hpp.
        header = load(self, os.path.join(self.recipe_folder, "include", "denoise", "core", "version.hpp"))
        parts = [re.search(rf"#define DENOISE_VERSION_{p} (\d+)", header).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        self.requires("eigen/3.4.0")
        if self.options.with_xtensor:
            self.requires("xtensor/0.24.7")
        if self.options.with_thrust:
            self.requires("thrust/1.17.2")
        if self.options.with_openmp and self.settings.compiler in ("clang", "apple-clang"):
            self.requires("llvm-openmp/17.0.6")

    def validate(self):
        check_min_cppstd(self, 17)

    def package_id(self):
        self.info.clear()

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["DENOISE_BUILD_TESTS"] = False
        toolchain.cache_variables["DENOISE_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["DENOISE_BUILD_BENCH"] = False
        toolchain.cache_variables["DENOISE_INSTALL"] = True
        toolchain.cache_variables["DENOISE_WITH_XTENSOR"] = bool(self.options.with_xtensor)
        toolchain.cache_variables["DENOISE_WITH_THRUST"] = bool(self.options.with_thrust)
        toolchain.cache_variables["DENOISE_WITH_OPENMP"] = bool(self.options.with_openmp)
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        pass  # header-only: nothing to compile

    def package(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.install()
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        # Conan generates its own config files from package_info(); drop ours to avoid two sources.
        for name in ("denoiseConfig.cmake", "denoiseConfigVersion.cmake", "denoiseTargets.cmake"):
            path = os.path.join(self.package_folder, "share", "denoise", name)
            if os.path.exists(path):
                os.remove(path)

    def package_info(self):
        # The same file and target names as the CMake package: find_package(denoise) and
        # denoise::denoise / denoise::thrust.
        self.cpp_info.set_property("cmake_file_name", "denoise")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "denoise::denoise")
        core.bindirs = []
        core.libdirs = []
        core.requires = ["eigen::eigen"]
        if self.options.with_xtensor:
            core.requires.append("xtensor::xtensor")
            core.defines.append("DENOISE_HAS_XTENSOR=1")
        if self.options.with_openmp:
            if self.settings.compiler in ("clang", "apple-clang"):
                core.requires.append("llvm-openmp::llvm-openmp")
            elif self.settings.compiler == "msvc":
                core.cxxflags.append("/openmp")
            else:
                core.cxxflags.append("-fopenmp")
                core.sharedlinkflags.append("-fopenmp")
                core.exelinkflags.append("-fopenmp")

        if self.options.with_thrust:
            thrust = self.cpp_info.components["thrust"]
            thrust.set_property("cmake_target_name", "denoise::thrust")
            thrust.bindirs = []
            thrust.libdirs = []
            thrust.requires = ["thrust::thrust"]
            thrust.defines = ["THRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP", "DENOISE_THRUST_SYSTEM_OMP=1"]
