# Conan 2 recipe for denoise, a header-only library. `conan create .` packages the same
# `cmake --install` tree that users of the plain CMake package get, and declares the same targets:
#   denoise::denoise  (component "core")    CPU, Eigen backend (+ OpenMP, xtensor as chosen)
#   denoise::thrust   (component "thrust")  the Thrust backend alone, on the `thrust_system` device
# Offline, against the system's packages: scripts/conan-create.sh (wrappers in conan/recipes/).
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

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
        "with_openmp": [True, False],
        "with_thrust": [True, False],
        # The device system of denoise::thrust (DENOISE_THRUST_SYSTEM). cpp and omp compile with
        # the host compiler against the `thrust` package; cuda takes Thrust from the CUDA toolkit.
        "thrust_system": ["cpp", "omp", "cuda"],
    }
    default_options = {
        "with_xtensor": True,
        "with_openmp": True,
        "with_thrust": True,
        "thrust_system": "omp",
    }
    exports_sources = "include/*", "cmake/*", "CMakeLists.txt", "LICENSE"
    no_copy_source = True

    def set_version(self):
        # The version is kept once, in core/version.hpp.
        header = load(self, os.path.join(self.recipe_folder, "include", "denoise", "core", "version.hpp"))
        parts = [re.search(rf"#define DENOISE_VERSION_{p} (\d+)", header).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    @property
    def _host_thrust(self):
        return self.options.with_thrust and self.options.thrust_system in ("cpp", "omp")

    @property
    def _needs_openmp(self):
        # The Thrust backend's host systems include Thrust's OMP policy, so they need OpenMP too.
        return self.options.with_openmp or self._host_thrust

    def configure(self):
        if not self.options.with_thrust:
            self.options.rm_safe("thrust_system")
        elif self._host_thrust:
            # One device system for Thrust and for denoise (ConanCenter's thrust defaults to tbb).
            self.options["thrust"].device_system = str(self.options.thrust_system)

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Ranges, not pins: a consumer's graph may settle on any compatible version.
        self.requires("eigen/[>=3.4 <4]")
        if self.options.with_xtensor:
            self.requires("xtensor/[>=0.24 <0.25]")
        if self._host_thrust:
            self.requires("thrust/[>=1.16 <2]")
        if self._needs_openmp and self.settings.compiler in ("clang", "apple-clang"):
            self.requires("llvm-openmp/[>=14 <20]")

    def validate(self):
        check_min_cppstd(self, 17)

    def package_id(self):
        self.info.clear()  # the packaged files are the same headers whatever the options

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["DENOISE_BUILD_TESTS"] = False
        toolchain.cache_variables["DENOISE_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["DENOISE_BUILD_BENCH"] = False
        toolchain.cache_variables["DENOISE_INSTALL"] = True
        toolchain.cache_variables["DENOISE_WITH_XTENSOR"] = bool(self.options.with_xtensor)
        toolchain.cache_variables["DENOISE_WITH_OPENMP"] = bool(self.options.with_openmp)
        toolchain.cache_variables["DENOISE_WITH_THRUST"] = bool(self.options.with_thrust)
        if self.options.with_thrust:
            toolchain.cache_variables["DENOISE_THRUST_SYSTEM"] = str(self.options.thrust_system).upper()
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        pass  # header-only: nothing to compile

    def package(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.install()
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        # Conan generates the CMake config from package_info(); drop the installed one.
        rmdir(self, os.path.join(self.package_folder, "share"))

    def _add_openmp(self, component):
        if self.settings.compiler in ("clang", "apple-clang"):
            component.requires.append("llvm-openmp::llvm-openmp")  # carries the flags and libomp
        elif self.settings.compiler == "msvc":
            component.cxxflags.append("/openmp")
        else:
            component.cxxflags.append("-fopenmp")
            component.sharedlinkflags.append("-fopenmp")
            component.exelinkflags.append("-fopenmp")

    def package_info(self):
        # The same file and target names as the CMake package. The package-wide target gets a
        # name of its own: were it denoise::denoise, it would aggregate every component, and
        # denoise::denoise would pull in Thrust.
        self.cpp_info.set_property("cmake_file_name", "denoise")
        self.cpp_info.set_property("cmake_target_name", "denoise::all")
        # 0.x: a new minor breaks the API, as in the CMake package's denoiseConfigVersion.cmake.
        self.cpp_info.set_property("cmake_config_version_compat", "SameMinorVersion")
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
            self._add_openmp(core)

        if self.options.with_thrust:
            system = str(self.options.thrust_system).upper()
            thrust = self.cpp_info.components["thrust"]
            thrust.set_property("cmake_target_name", "denoise::thrust")
            thrust.bindirs = []
            thrust.libdirs = []
            thrust.defines = [f"THRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_{system}",
                              f"DENOISE_THRUST_SYSTEM_{system}=1"]
            if self._host_thrust:
                thrust.requires = ["thrust::thrust"]
                self._add_openmp(thrust)
