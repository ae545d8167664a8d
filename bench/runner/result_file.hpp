#pragma once
// Post-processing of the Google Benchmark JSON file poolbench just wrote:
// clean names, raw per-round samples, and the run context (see the result-file
// contract in README.md). The file stays readable by compare.py.

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

// Rewrites `path` in place: cleans every run's name and run_name, adds
// `samples` (per-round times in the run's time_unit, at most
// `max_samples_per_run` evenly spaced rounds) to every successful
// "iteration" run, matched by name and repetition_index, and merges `context`
// (plus samples_note) into the file's context. Throws std::runtime_error
// when the file is missing or not Google Benchmark JSON.
void finish_result_file(const std::string& path,
                        const std::map<std::string, std::vector<std::vector<double>>>& samples,
                        nlohmann::ordered_json context, std::size_t max_samples_per_run = 1000);

}  // namespace poolbench::runner
