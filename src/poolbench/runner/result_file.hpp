#pragma once
// The result file: Google Benchmark JSON built from the runs kept in memory
// (run_collector.hpp), with poolbench's additions — each run's workload as
// explicit fields, per-round samples, per-case latency percentiles, failed
// cases marked as such, and the run context (docs/result-format.md). The
// file stays readable by compare.py, and is written once, atomically.

#include <poolbench/runner/case_record.hpp>
#include <poolbench/runner/run_collector.hpp>

#include <poolbench/results/workload.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace poolbench::runner {

struct result_additions {
  std::map<std::string, case_record> records;                         // by case name
  std::map<std::string, results::workload> workloads;                 // by case name
  nlohmann::ordered_json context = nlohmann::ordered_json::object();  // after the machine's
  std::vector<std::string> run_order;  // "<case>#<repetition>", in the order they ran
  // Keys merged into every successful iteration run of a benchmark, by name
  // (open-loop runs: "open_loop", "histogram").
  std::map<std::string, nlohmann::ordered_json> run_extras;
  std::size_t max_samples_per_run = 1000;
};

// The finished document. Per benchmark, one time unit (the one in which its
// mean round time reads 10 or more: compare.py prints whole units) for
// real_time, cpu_time, samples and latency. Adds `workload` to every run;
// `samples` (at most `max_samples_per_run` evenly spaced rounds) and
// `latency` (service and queue time percentiles over all rounds of the
// case) to every successful iteration run; marks every run of a failed case
// as failed (an error in any repetition fails the case) and drops its
// aggregates. Non-finite numbers are left out: an absent value, never a
// fake one.
[[nodiscard]] nlohmann::ordered_json build_result_document(const std::vector<collected_run>& runs,
                                                           const nlohmann::ordered_json& machine,
                                                           const result_additions& additions);

// Per benchmark, the real time of each of its repetitions that did not fail,
// in seconds as the result file records it (in the benchmark's time unit,
// then converted back as a reader of the file converts it), in run order:
// the numbers the report's claims decide on, to the bit.
[[nodiscard]] std::map<std::string, std::vector<double>> recorded_repetition_seconds(
    const std::vector<collected_run>& runs);

// Writes `doc` to `destination` atomically (scratch file beside it, then
// rename). Throws std::runtime_error when it cannot be written.
void write_result_file(const std::string& destination, const nlohmann::ordered_json& doc);

// Where a run in which some case failed goes instead of `out`, so that a
// kept baseline survives it: `out` with a trailing ".json" replaced by
// ".failed.json" (keep.json -> keep.failed.json), else `out` + ".failed.json".
[[nodiscard]] std::string failed_out_path(const std::string& out);

}  // namespace poolbench::runner
