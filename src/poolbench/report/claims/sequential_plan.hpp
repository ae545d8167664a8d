#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace poolbench::report {

// The sequential rule (sequential_rule.hpp) on result files: the workload
// claims of "What the results say", decided at the first look over the
// first `first_look` repetitions of each benchmark, and, where the runner
// added more, at a later look over all of them.
//
// Contract with the runner: a benchmark's repetition_means are in the order
// they ran and the extra repetitions come after the planned ones, so the
// first look can be recomputed from any later file and always says what it
// said when the second stage was planned. The pair a claim compares (the
// fastest and the runner-up) is chosen at the first look and kept.

struct sequential_claim {
  // The claim at the look that decided it (or the last one): its interval
  // is at look_confidence(), corrected_p is Holm over that look's family.
  workload_claim claim;
  std::string fastest_benchmark;  // benchmark names of the pair
  std::string runner_up_benchmark;
  std::size_t look = 1;           // 1: the first look; 2: a later one
  std::size_t repetitions = 0;    // per side at that look
  std::size_t planned_total = 0;  // inconclusive at the first look: the total a side it asks for
};

struct sequential_claims {
  sequential_settings settings;
  std::vector<sequential_claim> workloads;  // in compute_claims() order
  std::vector<std::string> failed;          // benchmarks left out: a repetition failed
  std::size_t tests = 0;                    // workloads with a U test at the first look
};

// Throws std::invalid_argument for bad settings (validate()).
[[nodiscard]] sequential_claims evaluate_sequential(const std::vector<result_file>& files,
                                                    const sequential_settings& settings = {});

// Seconds one more repetition of a benchmark takes. The default estimate is
// its rounds per repetition times its mean round time (timed rounds only;
// the runner plans with each repetition's measured wall time instead).
using repetition_seconds = std::function<double(const benchmark_result&)>;
[[nodiscard]] double timed_repetition_seconds(const benchmark_result& b);

// Run `extra_repetitions` more of each benchmark of `benchmarks`, interleaved
// with the others, so that each side reaches `total`.
struct extension {
  std::string workload;
  std::string source;                   // the result file the benchmarks are in
  std::vector<std::string> benchmarks;  // the fastest's and the runner-up's names
  std::size_t total = 0;
  std::size_t extra_repetitions = 0;  // a side
  double seconds = 0;                 // extra_repetitions x (both sides' repetition seconds)
};

struct stage_decision {
  std::vector<std::string> workloads_needing_more;  // inconclusive at the first look
  std::vector<extension> extensions;                // what fits the budget
  std::vector<std::string> over_budget;             // inconclusive, not extended: no time left
  std::size_t extra_repetitions = 0;                // summed over every benchmark
  double seconds = 0;                               // summed over the extensions
};

// After the first stage: which workloads get how many more repetitions, by
// stats::plan_extensions (its budget rule) over the files' first look. The
// runner plans with the same function from its runs in memory
// (runner/second_stage.hpp); this is the same plan from a written file.
[[nodiscard]] stage_decision plan_second_stage(
    const std::vector<result_file>& files, const sequential_settings& settings = {},
    double budget_seconds = std::numeric_limits<double>::infinity(),
    const repetition_seconds& seconds = timed_repetition_seconds);

}  // namespace poolbench::report
