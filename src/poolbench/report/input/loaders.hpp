#pragma once

// Internal: one loader per file format, called by load.cpp once the JSON has
// parsed and its format is known.

#include <poolbench/report/input/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::report::detail {

// Google Benchmark JSON, with or without poolbench's samples.
[[nodiscard]] result_file load_google_benchmark(const nlohmann::ordered_json& doc,
                                                const std::string& label);

// pytest-benchmark's --benchmark-json output.
[[nodiscard]] result_file load_pytest_benchmark(const nlohmann::ordered_json& doc,
                                                const std::string& label);

// After a Google Benchmark run's timings: the benchmark's workload
// (explicit fields, else its name) and the params derived from it, and an
// open-loop run's section, from the first iteration of its `runs`
// (workload_fields.cpp).
void complete_poolbench_fields(const std::vector<const nlohmann::ordered_json*>& runs,
                               const std::string& label, benchmark_result& b);

// The workload of a run: its explicit "workload" fields win; files written
// before they existed (and plain Google Benchmark files with poolbench
// names) by the benchmark's name. A bad "workload" object is bad input (one
// line naming the benchmark), not a silent fallback.
[[nodiscard]] std::optional<results::workload> workload_of(const nlohmann::ordered_json& run,
                                                           const std::string& label,
                                                           const std::string& name);

// A JSON number as double; null (how NaN/Infinity arrive, see load.cpp) and
// anything else non-numeric as NaN.
[[nodiscard]] double number_or_nan(const nlohmann::ordered_json& value);

// A count read from a file: 0 for NaN, negative or absurd (> 2^50) values,
// which would otherwise make the conversion undefined.
[[nodiscard]] std::size_t count_of(double value);

}  // namespace poolbench::report::detail
