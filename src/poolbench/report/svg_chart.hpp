#pragma once

#include <poolbench/report/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// SVG charts written directly (no plotting tool), deterministic to the byte
// for the same input, so committed charts can be checked for staleness.

// One row per benchmark: a dot at the mean and a whisker from min to max,
// on a time axis starting at zero. Benchmarks without a mean are left out.
[[nodiscard]] std::string whisker_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title);

// Mean time against `workers`, one line per series; a benchmark's series is
// its name without the `workers:N` part. Benchmarks without a `workers`
// parameter or a mean are left out; returns "" when none is left.
[[nodiscard]] std::string workers_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title);

}  // namespace poolbench::report
