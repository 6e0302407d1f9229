# Thrust and CUB from the system (Debian: libthrust-dev, libcub-dev), for offline `conan create` of
# denoise. Nothing is downloaded or copied: the headers are in the compiler's default path. Same
# names and `device_system` option as ConanCenter's thrust; the host systems only (cpp, omp): for
# cuda, Thrust comes with the CUDA toolkit, and there is no TBB wrapper here.
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

HEADER = "/usr/include/thrust/version.h"


class ThrustSystemConan(ConanFile):
    name = "thrust"
    description = "Thrust, the C++ parallel algorithms library, as installed by the system"
    license = "Apache-2.0"
    homepage = "https://github.com/NVIDIA/thrust"
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"device_system": ["cuda", "cpp", "omp", "tbb"]}
    default_options = {"device_system": "cpp"}

    def set_version(self):
        if self.version:
            return
        match = re.search(r"#define THRUST_VERSION (\d+)", load(self, HEADER))
        if not match:
            raise ConanException(f"no THRUST_VERSION in {HEADER}")
        number = int(match.group(1))  # MMMmmmpp
        self.version = f"{number // 100000}.{number // 100 % 1000}.{number % 100}"

    def validate(self):
        if self.options.device_system not in ("cpp", "omp"):
            raise ConanInvalidConfiguration(
                f"thrust (system wrapper): device_system={self.options.device_system} is not "
                "supported; use cpp or omp (CUDA brings its own Thrust)")

    def system_requirements(self):
        Apt(self).install(["libthrust-dev", "libcub-dev"])

    def package(self):
        # Only the system package's copyright notice: the headers stay where Debian put them.
        copy(self, "copyright", "/usr/share/doc/libthrust-dev", os.path.join(self.package_folder, "licenses"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "thrust")
        self.cpp_info.set_property("cmake_target_name", "thrust::thrust")
        self.cpp_info.includedirs = []
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        system = str(self.options.device_system).upper()
        self.cpp_info.defines = [f"THRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_{system}"]
