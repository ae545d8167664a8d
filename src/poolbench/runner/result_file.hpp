#pragma once
// Post-processing of the Google Benchmark JSON file poolbench just wrote:
// clean names, raw per-round samples, per-case latency percentiles, failed
// cases marked as such, and the run context (docs/result-format.md). The
// file stays readable by compare.py, and is written atomically.

#include <poolbench/runner/case_record.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace poolbench::runner {

// "serial/warm/batch:3/.../iterations:40/repeats:9/manual_time" → without
// the suffixes Google Benchmark appends for explicit iterations, repetitions
// and manual time, so names are exactly <strategy>/<warm|cold>/...
[[nodiscard]] std::string clean_benchmark_name(const std::string& name);

struct result_additions {
  std::map<std::string, case_record> records;                         // by clean case name
  nlohmann::ordered_json context = nlohmann::ordered_json::object();  // merged into "context"
  std::vector<std::string> run_order;  // "<case>#<repetition>", in the order they ran
  // Keys merged into every successful iteration run of a benchmark, by name
  // (open-loop runs: "open_loop", "histogram").
  std::map<std::string, nlohmann::ordered_json> run_extras;
  std::size_t max_samples_per_run = 1000;
};

// Reads Google Benchmark's output `gb_output`, and writes the finished file
// to `destination` atomically (scratch file + rename): cleans every run's
// name and run_name; adds `samples` (per-round times in the run's time_unit,
// at most `max_samples_per_run` evenly spaced rounds) and `latency`
// (service and queue time percentiles over all rounds of the case) to every
// successful iteration run; marks every run of a failed case as failed (an
// error in any repetition fails the case) and drops its aggregates; merges
// the context. Throws std::runtime_error when the input is missing or not
// Google Benchmark JSON, or the destination cannot be written.
void finish_result_file(const std::string& gb_output, const std::string& destination,
                        const result_additions& additions);

}  // namespace poolbench::runner
