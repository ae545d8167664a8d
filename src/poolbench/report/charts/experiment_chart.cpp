// A chart of one experiment against pool size: lines per strategy, and
// the cases without a pool (unbounded) as what a pool is weighed against.

#include <poolbench/report/charts/svg_chart.hpp>

#include <poolbench/report/charts/chart_parts.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace poolbench::report {
namespace {

std::optional<double> value_of(const experiment_row& r, experiment_metric m) {
  if (m == experiment_metric::round_time)
    return r.mean_s > 0 ? std::optional<double>(r.mean_s) : std::nullopt;
  return r.rejected_per_round;
}

std::string tick_of(double v, experiment_metric m) {
  return m == experiment_metric::round_time ? time_label(v) : count_label(v);
}

}  // namespace

std::string experiment_chart(const std::vector<experiment_row>& rows, const std::string& title,
                             experiment_metric metric) {
  constexpr double width = 760, margin_left = 80, margin_top = 46, margin_right = 130;
  constexpr double plot_height = 300;
  std::map<std::string, std::map<double, double>> lines;  // strategy -> workers -> value
  std::map<double, double> ideal;
  std::vector<std::pair<std::string, double>> references;
  std::vector<double> workers, values;
  for (const auto& r : rows) {
    const auto v = value_of(r, metric);
    if (!v)
      continue;
    values.push_back(*v);
    if (r.workers) {
      lines[r.strategy][static_cast<double>(*r.workers)] = *v;
      workers.push_back(static_cast<double>(*r.workers));
      if (metric == experiment_metric::round_time && r.ideal_round_s && *r.ideal_round_s > 0) {
        ideal[static_cast<double>(*r.workers)] = *r.ideal_round_s;
        values.push_back(*r.ideal_round_s);
      }
    } else {
      references.emplace_back(r.label(), *v);
    }
  }
  if (std::none_of(lines.begin(), lines.end(), [](const auto& l) { return l.second.size() > 1; }))
    return "";
  const double lo = *std::min_element(values.begin(), values.end());
  const double hi = *std::max_element(values.begin(), values.end());
  const auto y_axis = metric == experiment_metric::round_time
                          ? chart_axis::for_span(lo, hi)
                          : chart_axis::linear(std::max(hi, 1.0));
  const auto x_axis = chart_axis::logarithmic_at(workers);
  const double plot_width = width - margin_left - margin_right;
  const double bottom = margin_top + plot_height;
  auto x_of = [&](double w) { return margin_left + x_axis.fraction(w) * plot_width; };
  auto y_of = [&](double v) {
    return bottom - std::clamp(y_axis.fraction(v), 0.0, 1.0) * plot_height;
  };
  const double legend_rows = static_cast<double>(lines.size() + (ideal.empty() ? 0 : 1));
  svg_canvas svg(width, bottom + 60 + 16 * legend_rows, title);
  for (double t : y_axis.ticks()) {
    svg.line(margin_left, y_of(t), margin_left + plot_width, y_of(t), "stroke=\"#dddddd\"");
    svg.text(margin_left - 6, y_of(t) + 4, tick_of(t, metric), 11, "end");
  }
  for (double w : x_axis.ticks()) {
    svg.line(x_of(w), margin_top, x_of(w), bottom, "stroke=\"#eeeeee\"");
    svg.text(x_of(w), bottom + 16, count_label(w), 11, "middle");
  }
  svg.line(margin_left, bottom, margin_left + plot_width, bottom, "stroke=\"#888888\"");
  svg.text(margin_left + plot_width / 2, bottom + 36, "workers (log scale)", 12, "middle");
  const double mid = margin_top + plot_height / 2;
  const std::string y_title =
      metric == experiment_metric::round_time
          ? std::string("mean time per round") + (y_axis.logarithmic() ? " (log scale)" : "")
          : "rejected attempts per round";
  svg.text(16, mid, y_title, 12, "middle", "transform=\"rotate(-90 16 " + svg_number(mid) + ")\"");

  for (const auto& [name, v] : references) {
    svg.line(margin_left, y_of(v), margin_left + plot_width, y_of(v),
             std::string("stroke=\"") + floor_colour + "\" stroke-dasharray=\"6 4\"");
    svg.text(margin_left + plot_width + 4, y_of(v) + 4, name, 10, "start");
  }
  if (ideal.size() > 1) {
    std::string path;
    for (const auto& [w, s] : ideal)
      append_point(path, x_of(w), y_of(s));
    svg.polyline(path, "fill=\"none\" stroke=\"#999999\" stroke-dasharray=\"2 3\"");
  }
  double legend_y = bottom + 58;
  for (const auto& [strategy, points] : lines) {
    const std::string colour = strategy_colour(strategy);
    std::string path;
    for (const auto& [w, v] : points)
      append_point(path, x_of(w), y_of(v));
    if (points.size() > 1)
      svg.polyline(path, "fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"");
    for (const auto& [w, v] : points)
      svg.circle(x_of(w), y_of(v), 3.5, "fill=\"" + colour + "\"");
    svg.line(margin_left, legend_y - 4, margin_left + 24, legend_y - 4,
             "stroke=\"" + colour + "\" stroke-width=\"2\"");
    svg.text(margin_left + 30, legend_y, strategy, 11, "start");
    legend_y += 16;
  }
  if (ideal.size() > 1) {
    svg.line(margin_left, legend_y - 4, margin_left + 24, legend_y - 4,
             "stroke=\"#999999\" stroke-dasharray=\"2 3\"");
    svg.text(margin_left + 30, legend_y,
             "ideal round for the pool size (dashed lines across: cases without a pool)", 11,
             "start");
  }
  return svg.finish();
}

}  // namespace poolbench::report
