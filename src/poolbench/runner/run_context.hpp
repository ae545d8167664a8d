#pragma once
// The result file's context: provenance (provenance.hpp) plus every setting
// of the run (docs/result-format.md).

#include <poolbench/runner/run_plan.hpp>
#include <poolbench/runner/server_session.hpp>

#include <nlohmann/json.hpp>

namespace poolbench::runner {

// Taken before the timed part: the load average then is `load_average_start`.
[[nodiscard]] nlohmann::ordered_json run_context(const run_plan& plan, const server_session& server,
                                                 const char* poolbench_version);

}  // namespace poolbench::runner
