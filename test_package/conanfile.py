# Builds and runs one consumer per target of the package: denoise::denoise (CPU) and, when the
# package has a host Thrust system (cpp or omp), denoise::thrust alone.
import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout


class DenoiseTestPackage(ConanFile):
    settings = "os", "arch", "compiler", "build_type"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    @property
    def _test_thrust(self):
        options = self.dependencies["denoise"].options
        return bool(options.with_thrust) and str(options.thrust_system) in ("cpp", "omp")

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["DENOISE_TEST_THRUST"] = self._test_thrust
        toolchain.user_presets_path = False  # leave the source tree as it is
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        if not can_run(self):
            return
        programs = ["test_package"] + (["test_thrust"] if self._test_thrust else [])
        for program in programs:
            self.run(os.path.join(self.cpp.build.bindir, program), env="conanrun")
