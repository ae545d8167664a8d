#pragma once
// How the charts against workers draw a series, and the legend that says so
// (workers_chart.cpp): colour per strategy, dashed for a new connection per
// request, hollow points for cold pools, a marker shape per file, and a ring
// or a square around server- or client-bound points.

#include <poolbench/report/charts/chart_style.hpp>
#include <poolbench/report/charts/svg_canvas.hpp>
#include <poolbench/report/claims/bottleneck.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace poolbench::report {

struct series_style {
  chart_style chart;
  bool new_connection = false;  // keepalive 0: a new connection per request
  std::size_t file = 0;         // index of its file among the chart's files
};

// Attributes of a series' line, a floor's line and the ideal round's line.
[[nodiscard]] std::string series_stroke(const series_style& s);
[[nodiscard]] std::string floor_stroke(bool new_connection);
[[nodiscard]] const char* ideal_stroke();

// A point of a series: a circle for the first file, a square for the
// second, a diamond beyond; hollow for a cold pool.
void draw_point(svg_canvas& svg, double x, double y, const series_style& s);
// A ring (server-bound) and/or a square (client-bound) around a point.
void draw_bound(svg_canvas& svg, double x, double y, bottleneck b);

// The key under every panel: one entry per series name (its line and
// point), then the marks that occur, then what the styles mean.
class workers_legend {
 public:
  explicit workers_legend(bool several_files) : several_files_(several_files) {}
  void add_series(const std::string& name, const series_style& style);
  bool ideal = false, server_bound = false, client_bound = false, wakeup_bound = false;

  [[nodiscard]] double height() const;
  void draw(svg_canvas& svg, double left, double top, const std::string& points_note) const;

 private:
  [[nodiscard]] std::vector<std::string> style_notes() const;
  bool several_files_;
  std::vector<std::pair<std::string, series_style>> series_;
};

}  // namespace poolbench::report
