# Eigen from the system (Debian: libeigen3-dev), for offline `conan create` of denoise. Nothing is
# downloaded or copied: the package points at the installed headers, under ConanCenter's names
# (find_package(Eigen3), Eigen3::Eigen), so recipes written against ConanCenter work unchanged.
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

HEADER = "/usr/include/eigen3/Eigen/src/Core/util/Macros.h"


class EigenSystemConan(ConanFile):
    name = "eigen"
    description = "Eigen, the C++ linear algebra template library, as installed by the system"
    license = "MPL-2.0"
    homepage = "https://eigen.tuxfamily.org"
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"

    def set_version(self):
        if self.version:
            return
        text = load(self, HEADER)
        parts = [re.search(rf"#define EIGEN_{p}_VERSION (\d+)", text) for p in ("WORLD", "MAJOR", "MINOR")]
        if not all(parts):
            raise ConanException(f"no Eigen version in {HEADER}")
        self.version = ".".join(m.group(1) for m in parts)

    def system_requirements(self):
        Apt(self).install(["libeigen3-dev"])  # mode 'check' (the default): fail if missing

    def package(self):
        # Only the system package's copyright notice: the headers stay where Debian put them.
        copy(self, "copyright", "/usr/share/doc/libeigen3-dev", os.path.join(self.package_folder, "licenses"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "Eigen3")
        self.cpp_info.set_property("cmake_target_name", "Eigen3::Eigen")
        self.cpp_info.set_property("pkg_config_name", "eigen3")
        self.cpp_info.includedirs = ["/usr/include/eigen3"]
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
