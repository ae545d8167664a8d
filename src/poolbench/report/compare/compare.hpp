#pragma once

#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/compare/compare_metric.hpp>
#include <poolbench/report/compare/file_differences.hpp>
#include <poolbench/report/compare/floor_normalization.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

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
  // No values to compare in one file or both (aggregates only, a counter
  // missing): nothing here can be judged.
  [[nodiscard]] bool not_judgeable() const {
    return result != verdict::failed && !estimate.ratio_interval && !test_cannot_reject;
  }
};

// What the values of a comparison are divided by before comparing.
enum class normalization {
  none,   // times as measured
  floor,  // each benchmark by its own run's floor of the same workload (floor_normalization.hpp)
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
