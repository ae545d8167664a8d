#pragma once

#include <poolbench/report/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// SVG charts written directly (no plotting tool), deterministic to the byte
// for the same input, so committed charts can be checked for staleness.
// `labels` are what the charts call each benchmark (a table's short names,
// one per row); empty: their names. A benchmark that failed in any
// repetition is never drawn from the survivors: the chart says
// "failed: <reason>" instead. The floor (see is_floor) is a reference line.

// Time per round, one row per benchmark (svg_chart.cpp): the median within
// a box from the first to the third quartile, whiskers to the last round
// within 1.5 IQR of the box, outlier rounds as faint dots, and the 95 %
// interval of the mean over repetitions (mean_interval.hpp). The axis is
// logarithmic when what is drawn spans more than 10×, and is never
// stretched by outliers (those beyond it are counted at its end).
// Benchmarks with neither a median nor a mean are left out.
[[nodiscard]] std::string whisker_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title,
                                        const std::vector<std::string>& labels = {});

// Mean time per round against `workers` on log–log axes, one line per
// series, the 95 % interval of the mean as error bars (workers_chart.cpp). A
// benchmark's series is its label without the `workers:N` part. Benchmarks
// without a `workers` parameter or a mean are left out; returns "" when no
// series is left with two or more points.
[[nodiscard]] std::string workers_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title,
                                        const std::vector<std::string>& labels = {});

}  // namespace poolbench::report
