#pragma once
// Does a benchmark's time depend on when it ran? Repetitions run in order
// (interleaved with the other cases in the default experiment), so a
// repetition mean that rises or falls with its index means the run measured
// the machine's or the runner's changing state, not only the case (a
// process pool's cold rounds have gone from 2.3 to 5.4 ms in one run). The
// claims still compare means; this says which of them moved while measured.
//
// The test: Spearman's rank correlation between repetition index and
// repetition mean, two-sided, exact (every permutation) for up to 10
// repetitions and Student's t approximation above; Holm-corrected over every
// benchmark tested, so an A/A file (no drift anywhere) is flagged in at most
// alpha of runs whatever the number of benchmarks.

#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace poolbench::report {

// Spearman's rho of `values` against their order 0, 1, ..., n-1 (average
// ranks for ties). Throws std::invalid_argument for fewer than 2 values.
[[nodiscard]] double spearman_rho_against_order(std::span<const double> values);

// Two-sided p of rho for n values under "no relation" (any order equally
// likely). Throws std::invalid_argument for n < 3.
[[nodiscard]] double spearman_p_two_sided(double rho, std::size_t n);

struct drift_finding {
  std::string benchmark;
  std::string file;
  std::size_t repetitions = 0;
  double rho = 0;
  double p = 1;
  double corrected_p = 1;  // Holm over every benchmark tested
  // Mean of the last third of the repetitions over the first third's, minus
  // 1: +0.32 reads "32 % slower at the end than at the start".
  double change = 0;
  // The same with medians of the thirds, the order-independence figure:
  // what ran before a repetition (a large case, a fork-heavy one) should not
  // move it by more than order_tolerance().
  double median_change = 0;
};

// Issue 19's bound for order independence: the last third's median within
// ±15% of the first third's.
[[nodiscard]] constexpr double order_tolerance() {
  return 0.15;
}

struct drift_report {
  double alpha = 0.05;
  std::size_t tested = 0;                // benchmarks with at least min_repetitions()
  std::vector<drift_finding> drifting;   // corrected p < alpha, largest |change| first
  std::size_t within_tolerance = 0;      // tested with |median_change| <= order_tolerance()
  std::optional<drift_finding> largest;  // the tested one with the largest |median_change|
};

// Fewer repetitions cannot reach p < 0.05 two-sided (n = 4: the smallest
// exact p is 1/12).
[[nodiscard]] constexpr std::size_t drift_min_repetitions() {
  return 5;
}

// Over every successful closed-loop benchmark of every file (open-loop runs
// and pytest-benchmark rounds have no repetitions in run order).
[[nodiscard]] drift_report detect_drift(const std::vector<result_file>& files, double alpha = 0.05);

// One line: "drift: 2 of 96 benchmarks changed with their repetition order
// (Spearman, Holm p < 0.05): NAME +32%, NAME -8%"; "order: none of 96
// benchmarks changed ..." when none did; then "; last third against first
// third (medians) within ±15% for 93 of 96, the largest NAME +21%"; "" when
// none could be tested.
[[nodiscard]] std::string drift_text(const drift_report& report);

}  // namespace poolbench::report
