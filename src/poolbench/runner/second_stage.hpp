#pragma once
// Repetitions sized to decide, in the runner (docs/sized-repetitions.md):
// after the planned repetitions of the closed loop, the workloads whose claim
// is still inconclusive get more repetitions of their two benchmarks, within
// a time budget, interleaved like the first stage. The extra repetitions are
// appended to each benchmark's runs after the planned ones (the rule's
// contract: its first look is recomputed from the first repetitions), and
// the benchmark's aggregates are recomputed over all of them with Google
// Benchmark's own statistic functions, so the file reads as one run of N.

#include <poolbench/runner/closed_loop_runner.hpp>
#include <poolbench/runner/result_file.hpp>
#include <poolbench/runner/run_collector.hpp>

#include <poolbench/stats/sequential_family.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace poolbench::runner {

// One comparison of the first stage, paired as the report's claims pair it
// (claims.hpp): per workload (the case without its strategy), the strategy
// with the lowest mean over its first first_look repetitions against the
// next one. Failed cases take no part.
struct stage_comparison {
  std::string workload;  // as the claims word it: "batch=3 delay_ms=0 keepalive=0 mode=warm ..."
  std::string fastest;   // benchmark names
  std::string runner_up;
};

struct second_stage_plan {
  std::vector<stage_comparison> comparisons;  // the family, in the claims' order
  stats::extension_plan plan;                 // indices into `comparisons`
};

// The workloads to extend, planned in memory from the first stage's runs
// (`additions` as they stand after it: workloads and records by case), with
// each benchmark's measured wall time of one repetition
// (closed_loop_runner::repetition_seconds); a benchmark without one is never
// extended under a finite budget. The values are each repetition's time as
// the result file records it, and the decision is stats::decide_family and
// stats::plan_extensions: the report, reading the file, finds the same
// comparisons inconclusive at the first look.
[[nodiscard]] second_stage_plan plan_extensions(
    const std::vector<collected_run>& first_stage, const result_additions& additions,
    const stats::sequential_settings& settings, double budget_seconds,
    const std::map<std::string, double>& repetition_seconds);

// Per benchmark name, the extra repetitions the plan gives it.
[[nodiscard]] std::map<std::string, std::size_t> extra_repetitions(const second_stage_plan& plan);

// Both stages as one: for every benchmark with second-stage iteration runs,
// those runs after its first-stage ones (repetition_index continuing,
// `repetitions` the total, the first stage's indices), then its aggregates
// recomputed over all of them as Google Benchmark computes them (its
// default mean, median, stddev and cv, with its own statistic functions,
// counters included); the first stage's aggregates of that benchmark are
// dropped. Other benchmarks are kept as they were, in their order.
[[nodiscard]] std::vector<collected_run> merge_stages(const std::vector<collected_run>& first,
                                                      const std::vector<collected_run>& second);

// The result context's "sequential" record (docs/result-format.md).
[[nodiscard]] nlohmann::ordered_json sequential_record(const stats::sequential_settings& settings,
                                                       double budget_seconds,
                                                       const second_stage_plan& plan,
                                                       double seconds_taken);

// One line (at most 120 columns) on what the second stage did. `repetitions`:
// the run's repetitions a side (0: unknown), to say when they were too few
// for the rule's first look.
[[nodiscard]] std::string second_stage_line(const nlohmann::ordered_json& sequential,
                                            std::size_t repetitions = 0);

struct second_stage_outcome {
  std::vector<collected_run> runs;  // both stages, merged
  nlohmann::ordered_json record;    // context["sequential"]
};

// Plans from the first stage (`first`, `additions` as they stand after it),
// runs the extensions through `runner` (Google Benchmark's registry is
// cleared before and after), and merges. With a budget of 0 nothing runs:
// the record still says which workloads were left inconclusive.
[[nodiscard]] second_stage_outcome run_second_stage(closed_loop_runner& runner,
                                                    std::vector<collected_run> first,
                                                    const result_additions& additions,
                                                    const stats::sequential_settings& settings,
                                                    double budget_seconds);

}  // namespace poolbench::runner
