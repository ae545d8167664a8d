#pragma once

#include <poolbench/report/stats_names.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

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

}  // namespace poolbench::report
