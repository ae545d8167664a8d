#pragma once
// One definition of a percentile for every table, file and check.

#include <span>

namespace poolbench::results {

// Linear interpolation between closest ranks (NumPy's default, "linear"),
// p in [0, 1]; `sorted` ascending and non-empty.
[[nodiscard]] double percentile_of_sorted(std::span<const double> sorted, double p);

}  // namespace poolbench::results
