#pragma once
// What compare gates on (--metric): a case's round time, or what it cost per
// repetition (docs/result-format.md, "Cost counters"): its client CPU per
// request or its peak PSS. Each is tested with the same U test, interval and
// verdicts over the repetitions' values.

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// memory: the pool's own memory (pool_pss_mib), what the claims read;
// process_memory: the whole process's peak (peak_pss_mib), the only memory
// figure of files from before pool_pss_mib.
enum class compare_metric { time, cpu, memory, process_memory };

// "time", "cpu", "memory", "process-memory"; throws usage_error otherwise.
[[nodiscard]] compare_metric parse_compare_metric(std::string_view name);
[[nodiscard]] const char* to_string(compare_metric m) noexcept;

// The counter a metric reads: client_cpu_us_per_request, pool_pss_mib,
// peak_pss_mib, or "" for time (the repetition means).
[[nodiscard]] const char* metric_counter(compare_metric m) noexcept;

// The benchmark's finite values of the metric, one per successful
// repetition: inference_values() for time, else the counter's repetitions.
[[nodiscard]] std::vector<double> metric_values(const benchmark_result& b, compare_metric m);

// Whether `b` has the metric at all (time: always).
[[nodiscard]] bool has_metric(const benchmark_result& b, compare_metric m);

// "7.4803 ms", "30.00 us/req", "68.00 MiB"; "n/a" when not finite.
[[nodiscard]] std::string metric_text(double value, compare_metric m);

// A verdict as a row says it: slower/faster for time, higher/lower for a cost.
[[nodiscard]] const char* verdict_text(verdict v, compare_metric m) noexcept;

// What the values of `m` are, for the method line: "repetition means",
// "repetitions' client_cpu_us_per_request" (after "means of the").
[[nodiscard]] std::string metric_values_text(compare_metric m);

// Throws input_error naming the file and the counter when `file` has no
// benchmark carrying the metric's counter (a plain Google Benchmark file, a
// file from before the cost counters): a cost gate must not pass on nothing.
void require_metric(const result_file& file, compare_metric m);

}  // namespace poolbench::report
