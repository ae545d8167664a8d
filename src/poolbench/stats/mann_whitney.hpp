#pragma once

#include <span>

namespace poolbench::stats {

// The two-sided Mann-Whitney U test, as Google Benchmark's compare.py runs it
// (scipy.stats.mannwhitneyu(x, y, alternative='two-sided'), scipy 1.10's
// method 'auto' by default):
// - exact distribution of U when either sample has at most 8 values and there
//   are no ties (and n1 * n2 stays small enough to count);
// - otherwise the normal approximation with tie correction and continuity
//   correction.
// Which p-value to compute when neither sample has ties.
enum class u_test_method {
  // scipy's 'auto', what compare.py gets: exact only when a side has at most
  // 8 values. With 9 repetitions a side that means the normal approximation,
  // whose smallest two-sided p (4.1e-4) is ten times the exact one (4.1e-5).
  scipy_auto,
  // The exact distribution whenever there are no ties and n1 * n2 is at most
  // 2500 (scipy's method='exact'): what poolbench's comparisons use, since
  // with 9 repetitions a side the approximation costs the power a Holm
  // correction over ~85 benchmarks needs.
  exact_without_ties,
};

struct mann_whitney_result {
  double u1 = 0;       // U statistic of the first sample
  double p_value = 1;  // two-sided, in [0, 1]
  bool exact = false;  // which method gave p_value
};

// Needs at least one value in each sample; throws std::invalid_argument
// otherwise. Non-finite values are not allowed either.
[[nodiscard]] mann_whitney_result mann_whitney_u(std::span<const double> x,
                                                 std::span<const double> y,
                                                 u_test_method method = u_test_method::scipy_auto);

}  // namespace poolbench::stats
