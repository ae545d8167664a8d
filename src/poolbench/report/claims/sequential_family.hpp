#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/stats/sequential_rule.hpp>

#include <cstddef>
#include <vector>

namespace poolbench::report {

// The sequential rule (sequential_rule.hpp) over a family of comparisons,
// whatever they compare: the time claims (evaluate_sequential) and the cost
// claims of one metric (cost_claims.hpp) are decided by this one function,
// so both have the same looks, confidence and Holm correction.

struct sequential_pair {
  workload_claim* claim = nullptr;  // its estimate, corrected_p, result and look are set
  // Every value of each side in run order (repetition means, or a cost
  // counter's value per repetition); the rule takes the first first_look,
  // then the first allowed total both sides reach.
  std::vector<double> base;
  std::vector<double> candidate;
  std::size_t repetitions = 0;    // a side, at the look that decided (or the last)
  std::size_t planned_total = 0;  // inconclusive at the first look: the total it asks for
};

// First look over each pair's first `first_look` values: the Holm-corrected
// U test at alpha / L over the family and the Welch interval at 1 - alpha / L.
// A pair still inconclusive whose two sides both reach an allowed later total
// is looked at again at the largest one reached, each total its own family
// (the pairs not at that look count with p = 1). Returns the U tests of the
// first look's family.
std::size_t decide_sequentially(std::vector<sequential_pair>& family,
                                const sequential_settings& settings);

}  // namespace poolbench::report
