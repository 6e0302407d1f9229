# xtensor from the system (Debian: xtensor-dev), for offline `conan create` of denoise. Nothing is
# downloaded or copied: the headers are in the compiler's default path; ConanCenter's names and
# its `xsimd` option (off here, as in Debian's own CMake package).
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

HEADER = "/usr/include/xtensor/xtensor_config.hpp"


class XtensorSystemConan(ConanFile):
    name = "xtensor"
    description = "xtensor, multi-dimensional arrays with broadcasting, as installed by the system"
    license = "BSD-3-Clause"
    homepage = "https://github.com/xtensor-stack/xtensor"
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"xsimd": [True, False]}
    default_options = {"xsimd": False}

    def set_version(self):
        if self.version:
            return
        text = load(self, HEADER)
        parts = [re.search(rf"#define XTENSOR_VERSION_{p} (\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
        if not all(parts):
            raise ConanException(f"no xtensor version in {HEADER}")
        self.version = ".".join(m.group(1) for m in parts)

    def requirements(self):
        self.requires("xtl/[>=0.7 <0.8]")
        if self.options.xsimd:
            self.requires("xsimd/[>=8 <12]")

    def system_requirements(self):
        Apt(self).install(["xtensor-dev"])

    def package(self):
        # Only the system package's copyright notice: the headers stay where Debian put them.
        copy(self, "copyright", "/usr/share/doc/xtensor-dev", os.path.join(self.package_folder, "licenses"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "xtensor")
        self.cpp_info.set_property("cmake_target_name", "xtensor")
        self.cpp_info.includedirs = []
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        if self.options.xsimd:
            self.cpp_info.defines = ["XTENSOR_USE_XSIMD"]
