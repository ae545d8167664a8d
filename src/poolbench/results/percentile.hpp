#pragma once
// The percentile of a list of values (a run's per-round samples), as NumPy
// computes it by default. Latencies kept in a histogram are read with
// latency_histogram::percentile instead, which is exact to its bin.

#include <span>

namespace poolbench::results {

// Linear interpolation between closest ranks (NumPy's default, "linear"),
// p in [0, 1]; `sorted` ascending and non-empty.
[[nodiscard]] double percentile_of_sorted(std::span<const double> sorted, double p);

}  // namespace poolbench::results
