#pragma once
// What poolbench prints when a run is over: the provenance line, one table
// per workload, and the computed one-screen summary, all from the result
// built in memory.

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace poolbench::cli {

// `label` names the result in messages (the --out path, or "this run").
void print_end_of_run(std::ostream& out, const nlohmann::ordered_json& document,
                      const std::string& label);

}  // namespace poolbench::cli
