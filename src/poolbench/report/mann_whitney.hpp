#pragma once

#include <span>

namespace poolbench::report {

// The two-sided Mann-Whitney U test, as Google Benchmark's compare.py runs it
// (scipy.stats.mannwhitneyu(x, y, alternative='two-sided'), scipy 1.10's
// method 'auto'):
// - exact distribution of U when either sample has at most 8 values and there
//   are no ties (and n1 * n2 stays small enough to count);
// - otherwise the normal approximation with tie correction and continuity
//   correction.
struct mann_whitney_result {
  double u1 = 0;       // U statistic of the first sample
  double p_value = 1;  // two-sided, in [0, 1]
  bool exact = false;  // which method gave p_value
};

// Needs at least one value in each sample; throws std::invalid_argument
// otherwise. Non-finite values are not allowed either.
[[nodiscard]] mann_whitney_result mann_whitney_u(std::span<const double> x,
                                                 std::span<const double> y);

}  // namespace poolbench::report
