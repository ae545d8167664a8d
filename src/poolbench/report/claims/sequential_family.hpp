#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/stats_names.hpp>

#include <cstddef>
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

// stats::decide_family over the pairs' values, its outcome written into
// each pair's claim. Returns the U tests of the first look's family.
std::size_t decide_sequentially(std::vector<sequential_pair>& family,
                                const sequential_settings& settings);

}  // namespace poolbench::report
