# xtl from the system (Debian: xtl-dev), for offline `conan create` of denoise. Nothing is
# downloaded or copied: the headers are in the compiler's default path; ConanCenter's names.
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

HEADER = "/usr/include/xtl/xtl_config.hpp"


class XtlSystemConan(ConanFile):
    name = "xtl"
    description = "xtl, the basic tools of the xtensor stack, as installed by the system"
    license = "BSD-3-Clause"
    homepage = "https://github.com/xtensor-stack/xtl"
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"

    def set_version(self):
        if self.version:
            return
        text = load(self, HEADER)
        parts = [re.search(rf"#define XTL_VERSION_{p} (\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
        if not all(parts):
            raise ConanException(f"no xtl version in {HEADER}")
        self.version = ".".join(m.group(1) for m in parts)

    def system_requirements(self):
        Apt(self).install(["xtl-dev"])

    def package(self):
        # Only the system package's copyright notice: the headers stay where Debian put them.
        copy(self, "copyright", "/usr/share/doc/xtl-dev", os.path.join(self.package_folder, "licenses"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "xtl")
        self.cpp_info.set_property("cmake_target_name", "xtl")
        self.cpp_info.includedirs = []  # /usr/include: the compiler searches it already
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
