#pragma once

#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <array>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// What compare gates on (--metric): a case's round time, or what it cost per
// repetition (docs/result-format.md, "Cost counters"): its client CPU per
// request or its peak PSS. Each is tested with the same U test, interval and
// verdicts over the repetitions' values.

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

// One property of a run (its machine or a setting) and its value in each of
// two result files: what `compare` names in its header, so a verdict that a
// change of machine or of settings produced is never read as the code's.
struct file_difference {
  std::string label;      // "CPU model", "repetitions", ...
  std::string base;       // "" when the old file does not record it
  std::string candidate;  // "" when the new file does not record it
  bool machine = false;   // a property of the hardware or the kernel
};

// Every machine property (CPU model, MHz, CPUs, kernel), the server kind,
// the build type, and every run setting (rounds, min-time, repetitions,
// warm-up rounds, keep-alive policy) whose values differ between the files.
// A property neither file records is skipped; one only a file records is a
// difference. Google Benchmark files keep these in `context`; pytest-benchmark
// files only the CPU, its count and the kernel release (machine_info).
[[nodiscard]] std::vector<file_difference> file_differences(const result_file& base,
                                                            const result_file& candidate);

// Whether any difference is of the machine: its verdicts may be the machine's.
[[nodiscard]] bool machines_differ(const std::vector<file_difference>& differences);

// "Intel(R) Xeon(R) Processor, 2 CPUs at 2100 MHz, Linux 6.1 x86_64", from
// what the file records, or "" when it records none of it.
[[nodiscard]] std::string machine_text(const result_file& file);

// A benchmark `compare --normalize floor` could not express in floors, and why.
struct unnormalized {
  std::string name;
  std::string reason;
};

// A result file with each closed-loop benchmark's time expressed in units of
// its own run's floor of the same workload (floor/batch:N/delay_ms:N with the
// same connection kind): every repetition mean and round divided by the
// floor's mean repetition time, so a machine that is uniformly faster or
// slower cancels. The floors themselves (the yardsticks, always 1) and what
// has no floor in the file (open-loop runs, other programs' benchmarks, a
// workload whose floor failed or is missing) are left out and listed in
// `skipped`. A failed benchmark stays, to be reported as failed.
// The floor's own noise is not carried into the values: its mean over n
// repetitions varies by about its CV / sqrt(n), which the interval of the
// comparison does not include.
struct floor_normalized {
  result_file file;
  std::vector<unnormalized> skipped;
};

[[nodiscard]] floor_normalized normalize_by_floor(const result_file& file);

// One benchmark present in both files.
struct comparison {
  std::string name;
  // Per-round statistics, for display only: rounds of one repetition are not
  // independent, so no test runs on them.
  statistics base;
  statistics candidate;
  // Over repetition means: the unit of inference.
  ratio_estimate estimate;
  std::optional<double> corrected_p;  // Holm over every benchmark tested in this comparison
  verdict result = verdict::inconclusive;
  // verdict::failed: which file(s) and the first error message.
  bool failed_in_base = false;
  bool failed_in_candidate = false;
  std::string failure;
  // Why no verdict was possible (too few repetitions for the exact U test to
  // reach the corrected alpha, aggregates only, ...), or "".
  std::string why_inconclusive;
  // The values are too few for the U test ever to reject in this comparison
  // (fewer than 2 a side, or its smallest p times the Holm family size is
  // not below alpha): the interval is not shown as numbers and a gate refuses.
  bool test_cannot_reject = false;
  // Inconclusive although the whole interval lies beyond the margin: +1
  // above 1 + threshold (a slowdown the test did not confirm), -1 below
  // 1 - threshold, 0 otherwise. Never read as "same"; a gate fails on +1.
  int unconfirmed_side = 0;
  // Inconclusive with the interval across the margin: the repetitions a side
  // that would decide it at this spread (projected_repetitions, as the
  // claims say it); NaN otherwise.
  double repetitions_to_decide = std::numeric_limits<double>::quiet_NaN();
  // No values to compare in one file or both (aggregates only, a counter
  // missing): nothing here can be judged.
  [[nodiscard]] bool not_judgeable() const {
    return result != verdict::failed && !estimate.ratio_interval && !test_cannot_reject;
  }
};

// What the values of a comparison are divided by before comparing.
enum class normalization {
  none,   // times as measured
  floor,  // each benchmark by its own run's floor of the same workload (normalize_by_floor)
};

// One open-loop run present in both files: compared on its latency
// percentiles and achieved rate (one run per rate: by threshold, no test).
struct latency_comparison {
  std::string name;
  open_loop_run base;
  open_loop_run candidate;
  double p50_ratio = 0, p99_ratio = 0, p999_ratio = 0, achieved_ratio = 0;  // new/old
  verdict result = verdict::inconclusive;
  bool failed_in_base = false;
  bool failed_in_candidate = false;
  std::string failure;
};

struct verdict_counts {
  std::array<std::size_t, 5> by_verdict{};  // indexed by verdict
  [[nodiscard]] std::size_t operator[](verdict v) const {
    return by_verdict[static_cast<std::size_t>(v)];
  }
};

struct comparison_report {
  std::string base_file;
  std::string candidate_file;
  std::vector<comparison> common;           // closed-loop runs, in the base file's order
  std::vector<latency_comparison> latency;  // open-loop runs, in the base file's order
  std::vector<std::string> only_in_base;
  std::vector<std::string> only_in_candidate;
  decision_rule rule;
  compare_metric metric = compare_metric::time;  // what `common` was compared on
  std::size_t tests = 0;                         // U tests run: the m of the Holm correction
  // Values a side the exact U test needs for its smallest p to pass Holm's
  // first threshold alpha / tests (repetitions_needed).
  std::size_t values_needed = 0;
  // What one value is: "repetitions", or "rounds" for pytest-benchmark files
  // (they have no repetitions).
  std::string value_unit = "repetitions";
  // Every difference of machine and settings between the files, and each
  // file's machine (machine_text), for the header.
  std::vector<file_difference> differences;
  std::string base_machine;
  std::string candidate_machine;
  normalization normalized = normalization::none;
  std::vector<unnormalized> not_normalized;  // --normalize floor: left out, and why

  [[nodiscard]] verdict_counts counts() const;  // over common and latency
  // Nothing to compare: no benchmark name is in both files.
  [[nodiscard]] bool empty() const { return common.empty() && latency.empty(); }
  // A gate's answer: some benchmark is `slower`, or failed in the new file
  // (a broken build must not pass). A failure only in the old file does not
  // fail the gate.
  [[nodiscard]] bool gate_fails() const;
};

// Matches benchmarks by name; rows are sorted by workload (batch, delay,
// connection, rate), then strategy, workers and mode, other programs'
// benchmarks by name. Open-loop runs are compared on latency (see
// latency_comparison and compare_latency). For each closed-loop pair, the U test and the bootstrap
// interval over repetition means, the Holm correction across all pairs, and
// the verdict of `rule` (see verdict.hpp). With a cost `metric`, every pair
// (open-loop runs too) is tested the same way on that counter's values per
// repetition; a file without the counter (require_metric), or a benchmark
// that has it in one file only, throws input_error. A benchmark without it
// in both files is inconclusive.
// With normalization::floor (time only, else usage_error) both files are
// first normalised by normalize_by_floor.
[[nodiscard]] comparison_report compare_results(const result_file& base,
                                                const result_file& candidate,
                                                const decision_rule& rule = {},
                                                compare_metric metric = compare_metric::time,
                                                normalization normalize = normalization::none);

// The comparison as an aligned text table (old, new, ratio with its
// interval, corrected p, verdict), the benchmarks present in one file only,
// a line counting verdicts, and how they were decided.
void write_comparison(std::ostream& out, const comparison_report& report);

// The verdict of one open-loop pair under `rule.threshold` (open_loop_compare.cpp):
// slower when p50 or p99 grew beyond 1 + threshold, the achieved rate fell
// below 1 - threshold, or more requests went unanswered; faster when p99
// fell below 1 - threshold and nothing was slower; same when p50, p99 and
// the achieved rate all lie within 1 +- threshold; else inconclusive.
[[nodiscard]] latency_comparison compare_latency(const benchmark_result& base,
                                                 const benchmark_result& candidate,
                                                 const decision_rule& rule);

// The open-loop part of a comparison as an aligned table and its method line.
void write_latency_comparison(std::ostream& out, const comparison_report& report);

// The smallest two-sided p the exact U test can give with n1 and n2 values
// (no ties): 2 / C(n1 + n2, n1), at most 1.
[[nodiscard]] double smallest_exact_p(std::size_t n1, std::size_t n2);

// The smallest n for which n values a side can reach `alpha` after a Holm
// correction over `tests` tests with the exact U test (at most 1000).
[[nodiscard]] std::size_t repetitions_needed(double alpha, std::size_t tests);

// "357.0900 us" style, or "n/a".
[[nodiscard]] std::string time_text(double seconds);

}  // namespace poolbench::report
