#pragma once
// Where a result came from, taken when the run happens (not when the build
// was configured): the source revision and whether it had local changes,
// the build, the compiler, the kernel, the CPU and the machine's load.

#include <nlohmann/json.hpp>

#include <string>

namespace poolbench::runner {

// git_revision, git_dirty, build_type, compiler, host, boot_id, kernel,
// cpu_model, cpu_count. git_revision is "unknown" (and git_dirty absent) when the
// source tree this binary was built from is not a git checkout any more.
[[nodiscard]] nlohmann::ordered_json provenance();

// The 1, 5 and 15 minute load averages, "0.52 0.40 0.33" ("unknown" if unreadable).
[[nodiscard]] std::string load_average();

}  // namespace poolbench::runner
