#pragma once
// What --version prints.

#include <string>
#include <string_view>

namespace poolbench::cli {

// "poolbench-report 0.1.0 (git e90148a4ab12)": CMake's PROJECT_VERSION and
// the commit the program was built from ("-dirty" when tracked files had
// changes, "unknown" outside a git checkout).
[[nodiscard]] std::string version_line(std::string_view program);

}  // namespace poolbench::cli
