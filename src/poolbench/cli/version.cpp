#include <poolbench/cli/version.hpp>

#include "git_revision.hpp"

namespace poolbench::cli {

std::string version_line(std::string_view program) {
  return std::string(program) + " " POOLBENCH_VERSION " (git " POOLBENCH_GIT_REVISION ")";
}

}  // namespace poolbench::cli
