#pragma once
// Open-loop results of one workload run on several client hosts at once,
// against one server, merged into the result the server saw: the latency
// histograms add bin by bin (so percentiles are recomputed, exactly as for
// one run), offered and achieved rates add, requests, completions and
// incompletes add, and each part's own numbers and context stay in the
// output ("parts"). See docs/multi-host.md.
//
// The parts must be the same command on each host: the same open-loop
// workloads (strategy, mode, rate, workers, delay, connection), the same
// arrivals, duration and time unit, and histograms of one layout. Seeds may
// (and should) differ. Anything else is refused with a one-line reason.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

struct merge_part {
  std::string label;  // the file's path, for messages and provenance
  nlohmann::ordered_json document;
};

// The merged Google Benchmark JSON document. Throws input_error naming the
// part and the reason when the parts cannot be merged.
[[nodiscard]] nlohmann::ordered_json merge_open_loop(const std::vector<merge_part>& parts);

}  // namespace poolbench::report
