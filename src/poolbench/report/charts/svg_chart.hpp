#pragma once

#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// SVG charts written directly (no plotting tool), deterministic to the byte
// for the same input, so committed charts can be checked for staleness.
// `labels` are what the charts call each benchmark (a table's short names,
// one per row); empty: their names. A benchmark that failed in any
// repetition is never drawn from the survivors: the chart says
// "failed: <reason>" instead. The floor (see is_floor) is a reference line;
// so is serial in a chart of two pools or more, whose axis then spans the
// pools (and floors) only, serial's line standing at its end when beyond.

// Time per round, one row per benchmark (svg_chart.cpp): the median within
// a box from the first to the third quartile, whiskers to the last round
// within 1.5 IQR of the box, outlier rounds as faint dots, and the 95 %
// interval of the mean over repetitions (chart_parts.hpp). The axis is
// logarithmic when what is drawn spans more than 10×, and is never
// stretched by outliers (those beyond it are counted at its end).
// Benchmarks with neither a median nor a mean are left out.
[[nodiscard]] std::string whisker_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title,
                                        const std::vector<std::string>& labels = {});

// What a chart against workers draws on its y axis.
enum class workers_metric {
  time,        // mean time per round, with the 95 % interval over repetitions
  client_cpu,  // counter client_cpu_us_per_request
  memory,      // counter peak_pss_mib
};

// `metric` against `workers` on log–log axes (workers_chart.cpp): one panel
// per workload family (workload_family.hpp), one line per series (a
// benchmark's label less its workers, batch and delay parts), colour per
// strategy, dashed for a new connection per request, hollow points for cold
// pools, a ring or a square around a server- or client-bound point
// (bottleneck.hpp). Time panels of delayed workloads draw the ideal round,
// ceil(batch / workers) × delay. Floors are reference lines. Benchmarks
// without a `workers` parameter or the metric are left out; returns "" when
// no series is left with two or more points.
[[nodiscard]] std::string workers_chart(const std::vector<benchmark_result>& rows,
                                        const std::string& title,
                                        const std::vector<std::string>& labels = {},
                                        workers_metric metric = workers_metric::time);

// One point of a trend: a mean time (seconds) with its interval.
struct trend_point {
  std::string label;            // under the x axis: a revision or a file name
  std::optional<double> value;  // none: absent or failed in that file (a gap)
  std::optional<interval> band;
  bool marked = false;  // a regression: drawn red, with a "regression" class
};

// An SVG line chart of the points in order, left to right, on a time axis
// starting at zero: a line through the means (broken at gaps), a vertical
// bar for each interval, a dot per mean. Deterministic to the byte, like the
// results page's charts.
[[nodiscard]] std::string trend_chart(const std::vector<trend_point>& points,
                                      const std::string& title);

// What an experiment chart draws against workers.
enum class experiment_metric {
  round_time,          // mean round time (log scale when it spans more than 10x)
  rejected_per_round,  // rejected attempts per round (linear, from 0)
};

// `metric` against pool size (log axis at the sizes measured), one line per
// strategy in its colour; a case without a pool size (unbounded) is a
// dashed reference line across, named at its right end, since it has no
// pool size to stand at. Time charts also draw each size's ideal round.
// "" when no strategy has two points.
[[nodiscard]] std::string experiment_chart(const std::vector<experiment_row>& rows,
                                           const std::string& title, experiment_metric metric);

}  // namespace poolbench::report
