# xsimd from the system (Debian: libxsimd-dev), for offline `conan create` of denoise. Nothing is
# downloaded or copied: the headers are in the compiler's default path; ConanCenter's names.
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

HEADER = "/usr/include/xsimd/config/xsimd_config.hpp"


class XsimdSystemConan(ConanFile):
    name = "xsimd"
    description = "xsimd, C++ wrappers for SIMD intrinsics, as installed by the system"
    license = "BSD-3-Clause"
    homepage = "https://github.com/xtensor-stack/xsimd"
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"

    def set_version(self):
        if self.version:
            return
        text = load(self, HEADER)
        parts = [re.search(rf"#define XSIMD_VERSION_{p} (\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
        if not all(parts):
            raise ConanException(f"no xsimd version in {HEADER}")
        self.version = ".".join(m.group(1) for m in parts)

    def system_requirements(self):
        Apt(self).install(["libxsimd-dev"])

    def package(self):
        # Only the system package's copyright notice: the headers stay where Debian put them.
        copy(self, "copyright", "/usr/share/doc/libxsimd-dev", os.path.join(self.package_folder, "licenses"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "xsimd")
        self.cpp_info.set_property("cmake_target_name", "xsimd")
        self.cpp_info.includedirs = []
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
