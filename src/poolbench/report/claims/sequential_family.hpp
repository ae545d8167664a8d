#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/stats_names.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace poolbench::report {

// The sequential rule over a family of claims: the time claims
// (evaluate_sequential) and the cost claims of one metric (cost_claims.hpp)
// are decided by stats::decide_family, the function the runner plans its
// second stage with, so all of them have the same looks, confidence and
// Holm correction.

struct sequential_pair {
  workload_claim* claim = nullptr;  // its estimate, corrected_p, result and look are set
  // Every value of each side in run order (repetition means, or a cost
  // counter's value per repetition).
  std::vector<double> base;
  std::vector<double> candidate;
  std::size_t repetitions = 0;    // a side, at the look that decided (or the last)
  std::size_t planned_total = 0;  // inconclusive at the first look: the total it asks for
};

// What one benchmark brings to a comparison: every value in run order
// (repetition means, or a cost counter's value per repetition), of which
// the first `first_look` are the first look's, the ones the pair is picked by.
struct side_values {
  std::vector<double> values;
  std::size_t first_look = 0;
};
// A benchmark's side_values, or nullopt to leave it out.
using side_values_of = std::function<std::optional<side_values>(const benchmark_result&)>;

// Two strategies of one workload set side by side: the claim with its key,
// source, strategies, their count and bound sides (not yet decided), and
// every value of each side.
struct picked_pair {
  workload_claim claim;
  const benchmark_result* fastest = nullptr;
  const benchmark_result* runner_up = nullptr;
  std::vector<double> fastest_values;
  std::vector<double> runner_up_values;
};

// Per Google Benchmark file, per workload in order of first appearance, the
// fastest and the runner-up by stats::leading_two over the means of the
// first look's values (the pair the runner's second stage picks), kept
// whatever later looks say. Benchmarks without a strategy or workload, failed
// ones and those with no first-look value are left out.
[[nodiscard]] std::vector<picked_pair> pick_pairs(const std::vector<result_file>& files,
                                                  const side_values_of& values_of);

// stats::decide_family over the pairs' values, its outcome written into
// each pair's claim. Returns the U tests of the first look's family.
std::size_t decide_sequentially(std::vector<sequential_pair>& family,
                                const sequential_settings& settings);

}  // namespace poolbench::report
